/**
 * `/v1/feeds`: a partner registers the RSS/Atom feeds it wants us to poll. Only the row is
 * written here (the intake never touches Redis); the feed poller notices new, changed and deleted
 * rows and keeps one BullMQ job scheduler per enabled feed. A feed belongs to the partner that
 * registered it: its items are ingested as that partner's stories.
 */
import { Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { FEED_MAX_INTERVAL_SECONDS } from '@syndication/contracts';
import { parseMediaType, parseStrictJson } from '@syndication/formats';
import { OutboundError, checkUrl } from '@syndication/net';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { ProblemError } from '../http/problem';

/** Enough for any real partner; a bound so one key cannot make us poll the world. */
export const MAX_FEEDS_PER_PARTNER = 100;
const DEFAULT_INTERVAL_SECONDS = 300;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface FeedRow {
  id: string;
  url: string;
  interval_seconds: number;
  enabled: boolean;
  last_polled_at: Date | null;
  last_status: string | null;
  last_error: string | null;
  last_result: unknown;
  consecutive_failures: number;
  next_poll_at: Date | null;
  created_at: Date;
}

const COLUMNS = 'id, url, interval_seconds, enabled, last_polled_at, last_status, last_error, last_result, consecutive_failures, next_poll_at, created_at';

function invalid(pointer: string, code: string, message: string): ProblemError {
  return new ProblemError(422, code, 'Unprocessable content', message, [{ pointer, code, message }]);
}

@Controller('v1/feeds')
@UseGuards(PartnerAuthGuard)
export class FeedsController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Registers a feed, or updates (and re-enables) the partner's feed with the same URL. */
  @Post()
  async register(@Req() req: PartnerRequest, @Res({ passthrough: true }) res: Response, @Headers('content-type') contentType?: string) {
    if (parseMediaType(contentType).type !== 'application/json') {
      throw new ProblemError(415, 'unsupported_media_type', 'Unsupported media type', 'Send application/json: {"url": "https://…", "interval_seconds": 300}');
    }
    const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const { url, interval } = this.validate(parseStrictJson(body));
    const result = await this.db.transaction(async (m) => {
      // Serialises registrations of one partner, so the count below cannot be raced past.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`feeds/${req.partner.id}`]);
      const existing: Array<{ id: string }> = await m.query('SELECT id FROM polled_feed WHERE partner_id = $1 AND url = $2', [req.partner.id, url]);
      if (!existing[0]) {
        const counted: Array<{ n: number }> = await m.query('SELECT count(*)::int AS n FROM polled_feed WHERE partner_id = $1', [req.partner.id]);
        if ((counted[0]?.n ?? 0) >= MAX_FEEDS_PER_PARTNER) {
          throw new ProblemError(409, 'too_many_feeds', 'Conflict', `A partner may register at most ${MAX_FEEDS_PER_PARTNER} feeds; delete one first`);
        }
      }
      const rows: FeedRow[] = await m.query(
        `INSERT INTO polled_feed (partner_id, url, interval_seconds) VALUES ($1, $2, $3)
         ON CONFLICT (partner_id, url) DO UPDATE
           SET interval_seconds = EXCLUDED.interval_seconds, enabled = true, next_poll_at = NULL,
               consecutive_failures = 0, updated_at = now()
         RETURNING ${COLUMNS}`,
        [req.partner.id, url, interval],
      );
      return { row: rows[0]!, created: !existing[0] };
    });
    res.status(result.created ? 201 : 200);
    res.setHeader('Location', `${this.config.intake.publicUrl}/v1/feeds/${result.row.id}`);
    return view(result.row);
  }

  @Get()
  async list(@Req() req: PartnerRequest) {
    const rows: FeedRow[] = await this.db.query(`SELECT ${COLUMNS} FROM polled_feed WHERE partner_id = $1 ORDER BY created_at, id`, [req.partner.id]);
    return { feeds: rows.map(view) };
  }

  @Get(':id')
  async get(@Req() req: PartnerRequest, @Param('id') id: string) {
    return view(await this.owned(req, id));
  }

  /** Stops polling (the poller drops the scheduler); stories already ingested stay. */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() req: PartnerRequest, @Param('id') id: string): Promise<void> {
    await this.owned(req, id);
    await this.db.query('DELETE FROM polled_feed WHERE id = $1 AND partner_id = $2', [id, req.partner.id]);
  }

  private async owned(req: PartnerRequest, id: string): Promise<FeedRow> {
    // Another partner's feed is "not found", exactly like a missing one.
    const rows: FeedRow[] = UUID.test(id)
      ? await this.db.query(`SELECT ${COLUMNS} FROM polled_feed WHERE id = $1 AND partner_id = $2`, [id, req.partner.id])
      : [];
    if (!rows[0]) throw new ProblemError(404, 'not_found', 'Not found', 'No such feed');
    return rows[0];
  }

  private validate(raw: unknown): { url: string; interval: number } {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('', 'invalid_type', 'The body must be a JSON object');
    const obj = raw as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      if (key !== 'url' && key !== 'interval_seconds') throw invalid(`/${key}`, 'unknown_field', `Unknown field ${key.slice(0, 40)}`);
    }
    if (typeof obj['url'] !== 'string' || obj['url'].length === 0) throw invalid('/url', 'missing_field', 'url is required');
    if (obj['url'].length > 2048) throw invalid('/url', 'too_long', 'max 2048 characters');
    let url: URL;
    try {
      // Scheme, credentials, IP literals and metadata names now; names are checked again on
      // every connection, against what they resolve to at that moment.
      url = checkUrl(this.config.outbound, obj['url']);
    } catch (err) {
      if (!(err instanceof OutboundError)) throw err;
      throw invalid('/url', err.code, err.message);
    }
    const min = this.config.poller.minIntervalSeconds;
    const interval = obj['interval_seconds'] ?? Math.max(min, DEFAULT_INTERVAL_SECONDS);
    if (typeof interval !== 'number' || !Number.isInteger(interval) || interval < min || interval > FEED_MAX_INTERVAL_SECONDS) {
      throw invalid('/interval_seconds', 'out_of_range', `interval_seconds must be an integer from ${min} to ${FEED_MAX_INTERVAL_SECONDS}`);
    }
    url.hash = '';
    return { url: url.toString(), interval };
  }
}

function view(r: FeedRow) {
  return {
    id: r.id,
    url: r.url,
    interval_seconds: r.interval_seconds,
    enabled: r.enabled,
    last_polled_at: r.last_polled_at,
    last_status: r.last_status,
    last_error: r.last_error,
    last_result: r.last_result,
    consecutive_failures: r.consecutive_failures,
    next_poll_at: r.next_poll_at,
    created_at: r.created_at,
  };
}
