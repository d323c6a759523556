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

export interface TranslationProvider {
  readonly name: string;
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

  constructor(
    provider: string,
    message: string,
    opts: { retryable: boolean; retryAfterMs?: number; cause?: unknown },
  ) {
    super(`${provider}: ${message}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.provider = provider;
    this.retryable = opts.retryable;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}
