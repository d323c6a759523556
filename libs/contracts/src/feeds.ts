/**
 * Polled partner feeds. Polling is a scheduled source, not a pipeline stage: its queue is not in
 * QUEUES (the outbox relay never carries it), and what it ingests enters the pipeline through the
 * intake's own path (story_version + outbox rows).
 *
 * Never rename the queue or the scheduler id format without a migration: schedulers in Redis are
 * found by them.
 */
export const FEED_POLL_QUEUE = 'feed-poll';
export const FEED_POLL_JOB = 'poll';

/** Only the feed's id travels; the row holds URL, validators and state. */
export interface FeedPollJob {
  feedId: string;
}

/** One job scheduler per feed, with an id derived from the row, so upserts never duplicate it. */
export function feedSchedulerId(feedId: string): string {
  return `feed.${feedId}`;
}

export const FEED_MAX_INTERVAL_SECONDS = 86_400;
