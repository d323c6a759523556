/**
 * The canonical story every input format maps to. Parsers only parse: clean-up and language
 * detection run afterwards, on this shape, whatever the format was.
 */
export type InputFormat = 'plain' | 'ninjs';

export interface CanonicalStory {
  format: InputFormat;
  /** The partner's id for the story (ninjs `uri`); absent for plain text. */
  externalId?: string;
  version?: number;
  headline: string;
  /** ISO date the story is about, e.g. from the seed's `date YYYY-MM-DD` line. */
  storyDate?: string;
  dateline?: string;
  paragraphs: string[];
  /** Language the document declares (ISO 639-1), if any. */
  language?: string;
}

/**
 * A document that cannot be accepted. Carries what an RFC 9457 problem needs; the HTTP layer
 * maps it, so parsers stay free of HTTP types.
 */
export class FormatError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    readonly code: string,
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

export const LIMITS = { headline: 512, bodyChars: 200_000, paragraphs: 2_000 } as const;

/** Shared field checks: limits and control characters that must never reach a channel. */
export function checkHeadline(headline: string, pointer: string): string {
  const h = headline.replace(/\s+/g, ' ').trim();
  if (!h) throw new FormatError(422, 'missing_field', pointer, 'headline is required');
  if (h.length > LIMITS.headline) throw new FormatError(422, 'too_long', pointer, `max ${LIMITS.headline} characters`);
  // CR/LF in a headline is header injection waiting to happen (email subjects); tabs are just spaces.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(headline)) {
    throw new FormatError(422, 'control_characters', pointer, 'headline contains control characters');
  }
  if (/[\u202a-\u202e\u2066-\u2069]/.test(h)) {
    throw new FormatError(422, 'disallowed_characters', pointer, 'headline contains bidirectional override characters');
  }
  return h;
}

export function checkBody(paragraphs: string[], pointer: string): string[] {
  const kept = paragraphs.map((p) => p.replace(/[ \t\u00a0]+/g, ' ').trim()).filter((p) => p.length > 0);
  if (kept.length === 0) throw new FormatError(422, 'missing_field', pointer, 'body is required');
  if (kept.length > LIMITS.paragraphs) throw new FormatError(422, 'too_many_items', pointer, `max ${LIMITS.paragraphs} paragraphs`);
  const chars = kept.reduce((n, p) => n + p.length, 0);
  if (chars > LIMITS.bodyChars) throw new FormatError(422, 'too_long', pointer, `max ${LIMITS.bodyChars} characters`);
  return kept;
}
