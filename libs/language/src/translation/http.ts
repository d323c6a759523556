/**
 * The one HTTP call path of the hosted providers: a timeout on every request, and one mapping
 * from an engine's answer to TranslationProviderError (retryable or not, Retry-After, quota), so
 * every adapter treats outages, rate limits and spent quotas the same way.
 */
import { TranslationProviderError, parseRetryAfter } from './provider';

export interface ProviderRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is already a string or form. */
  body?: unknown;
  timeoutMs: number;
}

/** Per-engine refinement of the generic mapping (e.g. Azure's 403001 means quota, not auth). */
export type QuotaTest = (status: number, body: string) => boolean;

export async function requestJson<T>(provider: string, url: string, req: ProviderRequest, isQuota?: QuotaTest): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body: string | URLSearchParams | undefined;
  if (req.body instanceof URLSearchParams || typeof req.body === 'string') body = req.body;
  else if (req.body !== undefined) {
    body = JSON.stringify(req.body);
    headers['content-type'] ??= 'application/json; charset=utf-8';
  }
  let res: Response;
  try {
    res = await fetch(url, { method: req.method, headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(req.timeoutMs) });
  } catch (err) {
    // Duck-typed: the abort reason is a DOMException, not always an Error of this realm.
    const reason = (err as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timed out' : 'unreachable';
    throw new TranslationProviderError(provider, `${new URL(url).pathname} ${reason} (${new URL(url).origin})`, { retryable: true, cause: err });
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) throw httpError(provider, res.status, res.headers.get('retry-after'), text, isQuota);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new TranslationProviderError(provider, `malformed answer from ${new URL(url).pathname}`, { retryable: true, cause: err });
  }
}

/**
 * 429 and 5xx are worth retrying (after Retry-After when given); other 4xx reject the request or
 * the credentials and will not get better by themselves. A spent quota is its own outcome.
 */
export function httpError(provider: string, status: number, retryAfter: string | null, body: string, isQuota?: QuotaTest): TranslationProviderError {
  const quotaExceeded = isQuota?.(status, body) ?? false;
  const retryable = !quotaExceeded && (status >= 500 || status === 429 || status === 408);
  const retryAfterMs = parseRetryAfter(retryAfter);
  return new TranslationProviderError(provider, `HTTP ${status} ${errorText(body)}`.trim(), {
    retryable,
    quotaExceeded,
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The human part of an engine's error body: `{error: {message}}`, `{error: "..."}`, `{message}`. */
export function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; explanation?: unknown };
    const e = parsed.error;
    if (typeof e === 'string') return e;
    if (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
    if (typeof parsed.message === 'string') return parsed.message;
    if (typeof parsed.explanation === 'string') return parsed.explanation;
  } catch {
    // Not JSON (a proxy's error page): the raw text, shortened.
  }
  return body.slice(0, 200);
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/u, '');
}

/**
 * A remote lookup (an engine's language list) trusted for a while. A failed lookup is not kept,
 * or one outage would poison `supports()` until the TTL ran out.
 */
export class CachedLookup<T> {
  private cached?: { at: number; value: Promise<T> };

  constructor(
    private readonly load: () => Promise<T>,
    private readonly ttlMs = 10 * 60_000,
  ) {}

  get(): Promise<T> {
    const c = this.cached;
    if (c && Date.now() - c.at < this.ttlMs) return c.value;
    const value = this.load();
    this.cached = { at: Date.now(), value };
    value.catch(() => {
      if (this.cached?.value === value) this.cached = undefined;
    });
    return value;
  }
}
