/**
 * `Retry-After` as RFC 9110 defines it (delay-seconds or an HTTP-date). Shared so every HTTP
 * channel honours it the same way: the reliability plan requires the next attempt no earlier than
 * what the endpoint asked for.
 */

/**
 * An endpoint can ask for any delay; past this we stop deferring to it, so one bad header cannot
 * park a delivery beyond the retry horizon the ledger and dashboard expect.
 */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** Milliseconds to wait, or undefined when the header is absent or unparseable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) {
    return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS);
  }
  // Date.parse reads bare numbers like "7.5" as dates; every HTTP-date form names a month.
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
