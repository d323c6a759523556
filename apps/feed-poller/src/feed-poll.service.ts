/**
 * One poll of one feed: claim the row, fetch conditionally, hand the document to the intake's own
 * ingest path (lenient: a bad item never blocks the others; items identified by content, never by
 * the feed's bytes), and record the outcome on the row. Every expected failure (the partner's
 * server down, a 404, an HTML page, a refused address, a malformed feed) is recorded and backs the
 * feed off; only our own faults (Postgres away) are thrown, so BullMQ records the job as failed.
 *
 * Dedupe across polls and restarts is the intake's: (partner, external id) and (story, version)
 * are unique in Postgres, and an unchanged item is a duplicate. Items without a guid are
 * identified by their link, else by a hash of headline and cleaned body (see README).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { queryRows } from '@syndication/database';
import { FormatError } from '@syndication/formats';
import { OutboundError } from '@syndication/net';
import { IntakeService } from '../../intake-api/src/stories/intake.service';
import { ProblemError } from '../../intake-api/src/http/problem';
import { fetchFeed } from './feed-fetch';

/** Failures double the wait, from one interval up to this (or the interval, if longer). */
export const MAX_BACKOFF_SECONDS = 6 * 3600;
const MAX_RECORDED_PROBLEMS = 20;

export type PollOutcome =
  | { status: 'skipped' }
  | { status: 'not_modified' }
  | { status: 'ok' | 'partial'; items: number; accepted: number; duplicates: number; rejected: number }
  | { status: 'error'; code: string; message: string };

interface ClaimedFeed {
  id: string;
  partner_id: string;
  partner_slug: string;
  url: string;
  etag: string | null;
  last_modified: string | null;
}

@Injectable()
export class FeedPollService {
  private readonly logger = new Logger('FeedPoller');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly intake: IntakeService,
  ) {}

  async poll(feedId: string): Promise<PollOutcome> {
    const feed = await this.claim(feedId);
    if (!feed) return { status: 'skipped' };
    try {
      const outcome = await this.fetchAndIngest(feed);
      await this.record(feed, outcome);
      return outcome.result;
    } catch (err) {
      // Our own fault (storage): free the feed for the next run and let BullMQ record the failure.
      await this.db.query('UPDATE polled_feed SET lease_until = NULL WHERE id = $1', [feed.id]).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Takes the feed for this poll unless it is disabled, deleted, backing off, or being polled by
   * another poller right now (the lease outlives any fetch, so a dead poller's lease expires).
   */
  private async claim(feedId: string): Promise<ClaimedFeed | undefined> {
    const leaseSeconds = Math.ceil(this.config.poller.fetchTimeoutMs / 1000) + 60;
    const rows = await queryRows<ClaimedFeed>(
      this.db,
      `UPDATE polled_feed f SET lease_until = now() + make_interval(secs => $2)
         FROM partner p
        WHERE f.id = $1 AND p.id = f.partner_id AND f.enabled
          AND (f.lease_until IS NULL OR f.lease_until < now())
          -- a tenth of an interval of slack: the scheduler's next firing must not just miss the backoff's end
          AND (f.next_poll_at IS NULL OR f.next_poll_at <= now() + make_interval(secs => f.interval_seconds / 10.0))
        RETURNING f.id, f.partner_id, p.slug AS partner_slug, f.url, f.etag, f.last_modified`,
      [feedId, leaseSeconds],
    );
    return rows[0];
  }

  private async fetchAndIngest(feed: ClaimedFeed): Promise<{ result: PollOutcome; etag?: string; lastModified?: string; problems?: unknown[] }> {
    let fetched;
    try {
      fetched = await fetchFeed(feed.url, { etag: feed.etag, lastModified: feed.last_modified }, {
        policy: this.config.outbound,
        timeoutMs: this.config.poller.fetchTimeoutMs,
        maxBytes: this.config.intake.maxBodyBytes,
      });
    } catch (err) {
      if (err instanceof OutboundError) return { result: { status: 'error', code: err.code, message: err.message } };
      const e = err as Error & { code?: string };
      // DNS, refused, reset: the partner's side or the network, not ours.
      return { result: { status: 'error', code: e.code ? `network_${e.code}` : 'network_error', message: e.message.slice(0, 300) } };
    }
    if (fetched.kind === 'not_modified') return { result: { status: 'not_modified' } };
    if (fetched.kind === 'failed') return { result: { status: 'error', code: fetched.code, message: fetched.message } };

    const validators = { etag: fetched.etag, lastModified: fetched.lastModified };
    try {
      const r = await this.intake.accept(
        { id: feed.partner_id, slug: feed.partner_slug },
        { contentType: fetched.contentType, body: fetched.body, lenient: true, contentIdentity: true },
      );
      const rejected = r.rejected ?? [];
      const accepted = r.items.filter((i) => i.created).length;
      return {
        ...validators,
        result: { status: rejected.length ? 'partial' : 'ok', items: r.items.length + rejected.length, accepted, duplicates: r.items.length - accepted, rejected: rejected.length },
        problems: rejected.slice(0, MAX_RECORDED_PROBLEMS).map((p) => ({ index: p.index, external_id: p.externalId, code: p.code, detail: p.detail, errors: p.errors.slice(0, 3) })),
      };
    } catch (err) {
      // The whole document refused: the same bytes would be refused again, so the validators are
      // kept (the next poll is a cheap 304 until the partner fixes the feed).
      if (err instanceof FormatError) return { ...validators, result: { status: 'error', code: err.code, message: `${err.message} (at ${err.pointer})` } };
      if (err instanceof ProblemError) return { ...validators, result: { status: 'error', code: err.code, message: err.detail ?? err.title } };
      throw err;
    }
  }

  private async record(feed: ClaimedFeed, o: { result: PollOutcome; etag?: string; lastModified?: string; problems?: unknown[] }): Promise<void> {
    const r = o.result;
    if (r.status === 'not_modified') {
      await this.db.query(
        `UPDATE polled_feed SET last_polled_at = now(), last_status = 'not_modified', consecutive_failures = 0,
                next_poll_at = NULL, lease_until = NULL, updated_at = now() WHERE id = $1`,
        [feed.id],
      );
      return;
    }
    const hasValidators = o.etag !== undefined || o.lastModified !== undefined;
    if (r.status === 'error') {
      const rows = await queryRows<{ consecutive_failures: number }>(
        this.db,
        `UPDATE polled_feed
            SET last_polled_at = now(), last_status = 'error', last_error = $2, last_result = $3,
                consecutive_failures = consecutive_failures + 1,
                next_poll_at = now() + make_interval(secs => LEAST(GREATEST(interval_seconds, $4), interval_seconds * power(2, LEAST(consecutive_failures, 20)))),
                etag = CASE WHEN $5 THEN $6 ELSE etag END,
                last_modified = CASE WHEN $5 THEN $7 ELSE last_modified END,
                lease_until = NULL, updated_at = now()
          WHERE id = $1
          RETURNING consecutive_failures`,
        [feed.id, `${r.code}: ${r.message}`.slice(0, 1000), JSON.stringify({ error: { code: r.code, message: r.message } }), MAX_BACKOFF_SECONDS, hasValidators, o.etag ?? null, o.lastModified ?? null],
      );
      const n = rows[0]?.consecutive_failures ?? 1;
      // One line when a feed starts failing and then every tenth time, not a line per poll.
      if (n === 1 || n % 10 === 0) this.logger.warn(`feed ${feed.id} (${feed.partner_slug}): ${r.code}: ${r.message} (failure ${n})`);
      return;
    }
    if (r.status === 'skipped') return;
    await this.db.query(
      `UPDATE polled_feed
          SET last_polled_at = now(), last_status = $2, last_error = NULL, last_result = $3, consecutive_failures = 0,
              next_poll_at = NULL, etag = $4, last_modified = $5, lease_until = NULL, updated_at = now()
        WHERE id = $1`,
      [feed.id, r.status, JSON.stringify({ items: r.items, accepted: r.accepted, duplicates: r.duplicates, rejected: r.rejected, problems: o.problems ?? [] }), o.etag ?? null, o.lastModified ?? null],
    );
  }
}
