/**
 * The translation provider contract every engine adapter implements (Apertium here; hosted
 * engines plug in the same way), and the two errors that tell the translate worker whether a
 * failure is worth retrying.
 */
import type { LanguageCode } from '@syndication/contracts';

export interface TranslationRequest {
  source: LanguageCode;
  target: LanguageCode;
  /** Paragraphs of plain text; the answer has exactly as many, in the same order. */
  segments: string[];
}

export interface TranslationResponse {
  segments: string[];
  /** Share of words the engine did not know (0..1), where the engine reports it. */
  unknownWordRatio?: number;
}

/**
 * What one call may carry. The translate stage and the providers' own batching honour these, so
 * a story is cut into as few calls as the engine allows and never into one it would reject.
 */
export interface ProviderLimits {
  /** Segments (texts) in one call. */
  maxSegments: number;
  /** Characters in one call, summed over its segments (and over targets when multi-target). */
  maxCharsPerCall: number;
  /** One call can ask for several target languages (Azure). */
  multiTarget: boolean;
  /** The engine can be told the text is HTML and keeps its tags. */
  html: boolean;
}

export interface TranslationProvider {
  readonly name: string;
  readonly limits: ProviderLimits;
  supports(source: LanguageCode, target: LanguageCode): Promise<boolean>;
  translate(req: TranslationRequest): Promise<TranslationResponse>;
}

/** Permanent: no provider (or not this one) translates the pair. Retrying cannot help. */
export class TranslationUnsupportedError extends Error {
  override readonly name = 'TranslationUnsupportedError';

  constructor(
    readonly source: LanguageCode,
    readonly target: LanguageCode,
    detail?: string,
  ) {
    super(`No translation available for ${source} -> ${target}${detail ? `: ${detail}` : ''}`);
  }
}

/** The engine failed; `retryable` separates outages and rate limits from rejected input. */
export class TranslationProviderError extends Error {
  override readonly name = 'TranslationProviderError';
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly provider: string;
  /**
   * The account's character quota is spent (DeepL 456, Azure 403001, OpenAI insufficient_quota):
   * retrying the same provider soon cannot help, so the stage pauses it and uses the fallback.
   */
  readonly quotaExceeded: boolean;
  /** The engine's HTTP status, when it answered. */
  readonly status?: number;

  constructor(
    provider: string,
    message: string,
    opts: { retryable: boolean; retryAfterMs?: number; quotaExceeded?: boolean; status?: number; cause?: unknown },
  ) {
    super(`${provider}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.provider = provider;
    this.retryable = opts.retryable;
    this.quotaExceeded = opts.quotaExceeded ?? false;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    if (opts.status !== undefined) this.status = opts.status;
  }
}

/** Cuts segments into calls that respect a provider's limits; one over-long segment is a call alone. */
export function batchByLimits(segments: readonly string[], limits: Pick<ProviderLimits, 'maxSegments' | 'maxCharsPerCall'>): number[][] {
  const batches: number[][] = [];
  let batch: number[] = [];
  let chars = 0;
  segments.forEach((segment, i) => {
    if (batch.length && (batch.length >= limits.maxSegments || chars + segment.length > limits.maxCharsPerCall)) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
    batch.push(i);
    chars += segment.length;
  });
  if (batch.length) batches.push(batch);
  return batches;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
