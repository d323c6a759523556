/**
 * The contract every channel kind implements, and the two error types the publisher worker
 * branches on. Adapters never touch the ledger: they report what happened and the worker decides
 * between delivered / retry / failed / in_doubt.
 *
 * `resendSafe` is what decides in_doubt: an ambiguous send (a timeout after the request left, a
 * reset mid-exchange, a worker that died between the side effect and the ledger write) is retried
 * on a resend-safe channel and held for an operator on any other.
 */
import type { ChannelKind, PublishableStory, WithdrawalNotice } from '@syndication/contracts';

export interface DeliveryOutcome {
  /** What the receipt shows: webhook-id, feed GUID, message id... */
  externalId?: string;
  detail?: Record<string, unknown>;
}

export interface PublishContext {
  deliveryId: string;
  /** 1-based; lets an adapter vary behaviour on retries without keeping state. */
  attempt: number;
}

export interface ChannelAdapter<C = unknown> {
  readonly kind: ChannelKind;
  /** True when a resend of the same delivery is harmless (the receiver dedupes or the send is idempotent). */
  readonly resendSafe: boolean;
  /** Validates the channel row's jsonb config; throws ChannelConfigError naming the field. */
  parseConfig(raw: unknown): C;
  /** Resolves on success; rejects with ChannelDeliveryError for anything else. */
  publish(config: C, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome>;
  /**
   * Tells the channel to stop showing a story it carries (kill or hold), for kinds in
   * NOTICE_CHANNEL_KINDS. Kinds rendered on read (feeds) have none: they filter the story out.
   */
  withdraw?(config: C, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome>;
  /**
   * Longest one publish or withdraw with this config may take (the adapter's own request timeout).
   * The publisher's claim lease covers it plus a margin, so a live sender never loses its row to
   * another worker. Absent: DEFAULT_SEND_TIMEOUT_MS.
   */
  sendTimeoutMs?(config: C): number;
}

/** The send timeout assumed for an adapter that does not declare its own (the webhook ceiling). */
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;

export interface ChannelDeliveryErrorInit {
  /** Short machine-readable reason, shown in the dashboard and used for "top failing causes". */
  code: string;
  retryable: boolean;
  /** The request may have reached the endpoint (e.g. timeout after send). */
  inDoubt?: boolean;
  /** The endpoint asked for this much quiet time before the next attempt. */
  retryAfterMs?: number;
  detail?: Record<string, unknown>;
  cause?: unknown;
}

export class ChannelDeliveryError extends Error {
  readonly code: string;
  readonly retryable: boolean;
  readonly inDoubt: boolean;
  readonly retryAfterMs?: number;
  readonly detail?: Record<string, unknown>;

  constructor(message: string, init: ChannelDeliveryErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'ChannelDeliveryError';
    this.code = init.code;
    this.retryable = init.retryable;
    this.inDoubt = init.inDoubt ?? false;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.detail !== undefined) this.detail = init.detail;
  }
}

/** A channel row whose config cannot be used; retrying will not help, fixing the row will. */
export class ChannelConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ChannelConfigError';
  }
}

export function isChannelDeliveryError(err: unknown): err is ChannelDeliveryError {
  return err instanceof ChannelDeliveryError;
}

/**
 * The id a story keeps on every surface that supports updates in place (feed GUID, Atom id):
 * stable across versions so a correction replaces the item instead of duplicating it.
 */
export function storyUrn(story: Pick<PublishableStory, 'storyId' | 'language'>): string {
  return `urn:syndication:${story.storyId}:${story.language}`;
}
