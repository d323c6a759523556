/**
 * A `fetch` for client libraries that take one (grammY), sending through the outbound SSRF guard
 * (libs/net): a Bot API root or an instance URL is operator input, so it gets the same address
 * checks, timeouts and response bound as a webhook. Only string and byte bodies: the channels
 * send JSON, never streamed uploads.
 */
import { guardedRequest, type OutboundPolicy } from '@syndication/net';

export interface GuardedFetchOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
}

export type FetchLike = (url: string | URL, init?: { method?: string; headers?: unknown; body?: unknown }) => Promise<Response>;

export function guardedFetch(opts: GuardedFetchOptions): FetchLike {
  return async (url, init = {}) => {
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new TypeError('guardedFetch sends string or byte bodies only');
    }
    const res = await guardedRequest(url.toString(), {
      method: init.method ?? 'GET',
      headers: plainHeaders(init.headers),
      ...(body === undefined || body === null ? {} : { body: typeof body === 'string' ? body : Buffer.from(body) }),
      policy: opts.policy,
      timeoutMs: opts.timeoutMs,
      connectTimeoutMs: opts.connectTimeoutMs,
      maxResponseBytes: opts.maxResponseBytes,
      maxRedirects: 0,
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
    }
    return new Response(res.status === 204 || res.status === 304 ? null : new Uint8Array(res.body), { status: res.status, headers });
  };
}

function plainHeaders(raw: unknown): Record<string, string> {
  if (!raw) return {};
  if (raw instanceof Headers) return Object.fromEntries(raw.entries());
  if (Array.isArray(raw)) return Object.fromEntries(raw as Array<[string, string]>);
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}
