/**
 * The partner's read side beyond `GET /v1/stories/:id`:
 * - `GET /v1/stories?uri=<the partner's own id>`: the same status view, found by the id the
 *   partner sent (ninjs/NITF/NewsML-G2 uri or guid, feed item guid, or X-Story-Id; for plain
 *   text without one, the content hash our answer to the push named);
 * - `GET /v1/stories/:id/receipts`: what was delivered where, per version, channel and language,
 *   with the ids the channel used or was given back.
 * Both are scoped to the calling partner: another partner's story is a 404, like a missing one.
 */
import { Controller, Get, Inject, Injectable, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import type { ChannelKind, DeliveryStatus } from '@syndication/contracts';
import { isUuid } from '@syndication/database';
import { findUnsafeChar } from '@syndication/formats';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { ProblemError } from '../http/problem';
import { StoryStatusService } from './story-status.service';

export interface DeliveryReceipt {
  delivery_id: string;
  version: number;
  version_id: string;
  channel: string;
  channel_kind: ChannelKind;
  language: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: string;
  delivered_at: string | null;
  last_error: string | null;
  /** The id this delivery carries on the channel: the webhook-id header, the feed item's guid. */
  external_id: string | null;
  /** The id the receiving system gave back (a webhook's JSON `id`), when it gave one. */
  remote_id: string | null;
  /** Where it can be seen: the feed's URL, or the `Location` a webhook receiver answered with. */
  url: string | null;
}

export interface StoryReceipts {
  story_id: string;
  uri: string;
  latest_version: number;
  receipts: DeliveryReceipt[];
}

interface ReceiptRow {
  delivery_id: string;
  version: number;
  version_id: string;
  channel: string;
  channel_kind: ChannelKind;
  language: string;
  status: DeliveryStatus;
  attempts: number;
  created_at: Date;
  delivered_at: Date | null;
  last_error: string | null;
  external_id: string | null;
  detail: Record<string, unknown>;
}

const notFound = () => new ProblemError(404, 'not_found', 'Not found', 'No such story');

@Injectable()
export class StoryReceiptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async idByUri(partnerId: string, uri: string): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM story WHERE partner_id = $1 AND external_id = $2', [partnerId, uri]);
    return rows[0]?.id ?? null;
  }

  async receipts(partnerId: string, storyId: string): Promise<StoryReceipts | null> {
    if (!isUuid(storyId)) return null;
    const stories: Array<{ id: string; external_id: string; latest_version: number }> = await this.db.query(
      'SELECT id, external_id, latest_version FROM story WHERE id = $1 AND partner_id = $2',
      [storyId, partnerId],
    );
    const s = stories[0];
    if (!s) return null;
    const rows: ReceiptRow[] = await this.db.query(
      `SELECT d.id AS delivery_id, v.version, v.id AS version_id, c.slug AS channel, c.kind AS channel_kind, d.language,
              d.status, d.attempts, d.created_at, d.delivered_at, d.last_error, d.external_id, d.detail
         FROM delivery d
         JOIN story_version v ON v.id = d.story_version_id
         JOIN channel c ON c.id = d.channel_id
        WHERE v.story_id = $1
        ORDER BY v.version DESC, c.slug, d.language`,
      [storyId],
    );
    return { story_id: s.id, uri: s.external_id, latest_version: s.latest_version, receipts: rows.map((r) => this.receipt(r)) };
  }

  private receipt(r: ReceiptRow): DeliveryReceipt {
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    const url =
      r.channel_kind === 'feed'
        ? `${this.config.feeds.publicUrl}/feeds/${r.channel}.rss`
        : text(r.detail['location']);
    return {
      delivery_id: r.delivery_id,
      version: r.version,
      version_id: r.version_id,
      channel: r.channel,
      channel_kind: r.channel_kind,
      language: r.language,
      status: r.status,
      attempts: r.attempts,
      created_at: r.created_at.toISOString(),
      delivered_at: r.delivered_at ? r.delivered_at.toISOString() : null,
      last_error: r.last_error,
      external_id: r.external_id,
      remote_id: text(r.detail['remote_id']),
      url: r.status === 'delivered' ? url : null,
    };
  }
}

@Controller('v1/stories')
@UseGuards(PartnerAuthGuard)
export class StoryReceiptsController {
  constructor(
    private readonly receiptsService: StoryReceiptsService,
    private readonly status: StoryStatusService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Status by the partner's own id: the same view as GET /v1/stories/:id. */
  @Get()
  async byUri(@Req() req: PartnerRequest, @Res({ passthrough: true }) res: Response, @Query('uri') uri?: unknown) {
    // A NUL or lone surrogate can name no story, and Postgres would refuse the comparison (a 500).
    if (typeof uri !== 'string' || uri.length === 0 || uri.length > 1024 || findUnsafeChar(uri)) {
      throw new ProblemError(400, 'invalid_query', 'Bad request', 'Give the story by your own id: ?uri=<uri> (1-1024 characters, once)', [
        { pointer: '/query/uri', code: 'invalid_query', message: 'required, 1-1024 characters' },
      ]);
    }
    const id = await this.receiptsService.idByUri(req.partner.id, uri);
    const view = id ? await this.status.get(req.partner.id, id) : null;
    if (!view) throw notFound();
    res.setHeader('Content-Location', `${this.config.intake.publicUrl}/v1/stories/${view.id}`);
    return view;
  }

  @Get(':id/receipts')
  async receipts(@Req() req: PartnerRequest, @Param('id') id: string) {
    const out = await this.receiptsService.receipts(req.partner.id, id);
    if (!out) throw notFound();
    return out;
  }
}
