/**
 * Bounded outbound HTTP with the SSRF guard applied at connect time. node:http/https is used
 * (not fetch) because it takes a custom `lookup`: every address DNS returns is checked against
 * the policy before the socket connects, so a host name that resolves (or re-resolves, DNS
 * rebinding) to an internal address is refused; IP-literal hosts, which skip `lookup`, are
 * checked before the request. Redirects are followed by hand, at most `maxRedirects` hops, each
 * hop going through the same checks. Everything is bounded: connect time, total time (across
 * hops) and response bytes.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { type OutboundPolicy, checkAddress, checkHostName } from './address-policy';

export interface GuardedRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  policy: OutboundPolicy;
  /** Total time, across redirects, until the response body has been read. */
  timeoutMs: number;
  /** Time to establish the TCP connection of each hop. */
  connectTimeoutMs: number;
  /** Response bytes read at most; `oversize` decides whether more is an error or a cut. */
  maxResponseBytes: number;
  oversize?: 'error' | 'truncate';
  /** 0 (the default) returns a 3xx as it is; otherwise the redirect is followed, re-checked per hop. */
  maxRedirects?: number;
  /** Skip reading the body of responses with these statuses (e.g. 2xx for webhooks). */
  discardBody?: (status: number) => boolean;
}

export interface GuardedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
  redirects: number;
  /** Only with oversize 'truncate': the body was cut at maxResponseBytes. */
  truncated: boolean;
}

export type OutboundErrorCode =
  | 'destination_forbidden'
  | 'invalid_url'
  | 'connect_timeout'
  | 'timeout'
  | 'response_too_large'
  | 'too_many_redirects'
  | 'bad_redirect';

/**
 * A refusal or a bound hit. `requestSent` says whether any byte of the request can have reached
 * the server (what webhooks need to decide whether an outcome is in doubt).
 */
export class OutboundError extends Error {
  constructor(
    readonly code: OutboundErrorCode,
    message: string,
    readonly requestSent = false,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** Network errors carry `requestSent` too, so callers can tell "never connected" from "lost mid-exchange". */
export type NetworkError = Error & { code?: string; requestSent?: boolean };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** A `lookup` that resolves every address of the host and refuses the connection if any is forbidden. */
export function guardedLookup(policy: OutboundPolicy, urlHost: string) {
  return (
    hostname: string,
    options: number | { family?: number | string; all?: boolean; hints?: number },
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    const opts = typeof options === 'number' ? { family: options } : options;
    const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : (opts.family as 0 | 4 | 6 | undefined) ?? 0;
    dnsLookup(hostname, { family, all: true, ...(opts.hints === undefined ? {} : { hints: opts.hints }) }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      // Refuse if any answer is forbidden: a name that mixes public and internal answers is an attack, not a CDN.
      for (const a of addresses) {
        const verdict = checkAddress(policy, a.address, urlHost);
        if (!verdict.allowed) {
          return callback(forbidden(urlHost, a.address, verdict.reason) as NodeJS.ErrnoException, '', 0);
        }
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`no addresses for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      if (opts.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

function forbidden(host: string, address: string, reason: string): OutboundError {
  return new OutboundError('destination_forbidden', `${host} resolves to ${address}: ${reason}, refused by the outbound policy`, false, { host, address, reason });
}

/** Checks what can be checked on the URL alone: scheme, credentials, metadata names, IP-literal hosts. */
export function checkUrl(policy: OutboundPolicy, raw: string | URL): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('invalid_url', 'not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('invalid_url', 'only http and https URLs are allowed');
  if (url.username || url.password) throw new OutboundError('invalid_url', 'URLs must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const byName = checkHostName(policy, host);
  if (!byName.allowed) throw forbidden(host, host, byName.reason);
  if (isIpLiteral(host)) {
    const verdict = checkAddress(policy, host, host);
    if (!verdict.allowed) throw forbidden(host, host, verdict.reason);
  }
  return url;
}

function isIpLiteral(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** One request, following redirects when asked. Rejects with OutboundError or a NetworkError. */
export async function guardedRequest(target: string | URL, opts: GuardedRequestOptions): Promise<GuardedResponse> {
  const deadline = Date.now() + opts.timeoutMs;
  let url = checkUrl(opts.policy, target);
  let method = opts.method ?? 'GET';
  let body = opts.body;
  for (let hop = 0; ; hop++) {
    const res = await requestOnce(url, { ...opts, method, body, deadline });
    const location = res.headers.location;
    if (!opts.maxRedirects || !REDIRECTS.has(res.status) || !location) return { ...res, url: url.toString(), redirects: hop };
    if (hop >= opts.maxRedirects) throw new OutboundError('too_many_redirects', `more than ${opts.maxRedirects} redirects`, true, { location: location.slice(0, 256) });
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new OutboundError('bad_redirect', 'the redirect target is not a valid URL', true, { location: location.slice(0, 256) });
    }
    // An https origin never hands us to plain http (a downgrade anyone on path could exploit).
    if (url.protocol === 'https:' && next.protocol === 'http:') {
      throw new OutboundError('bad_redirect', 'redirect from https to http refused', true, { location: location.slice(0, 256) });
    }
    url = checkUrl(opts.policy, next);
    if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
    }
  }
}

function requestOnce(
  url: URL,
  opts: GuardedRequestOptions & { method: string; body: string | Buffer | undefined; deadline: number },
): Promise<Omit<GuardedResponse, 'url' | 'redirects'>> {
  return new Promise((resolve, reject) => {
    const remaining = opts.deadline - Date.now();
    if (remaining <= 0) return reject(new OutboundError('timeout', 'no time left for this request', false));
    const mod = url.protocol === 'https:' ? https : http;
    let sent = false;
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const fail = (err: NetworkError) => {
      if (settled) return;
      settled = true;
      clearTimeout(total);
      clearTimeout(connectTimer);
      if (!(err instanceof OutboundError)) err.requestSent = sent;
      reject(err);
    };
    const req = mod.request(url, {
      method: opts.method,
      headers: {
        ...opts.headers,
        ...(opts.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(opts.body)) }),
      },
      // A fresh connection per request: every socket is made through the guarded lookup, and a
      // pooled socket can never outlive a policy change.
      agent: false,
      lookup: guardedLookup(opts.policy, url.hostname.replace(/^\[|\]$/g, '')) as unknown as http.RequestOptions['lookup'],
    });
    const total = setTimeout(
      () => req.destroy(new OutboundError('timeout', 'the request did not complete in time', sent)),
      remaining,
    );
    req.on('socket', (socket: Socket) => {
      if (!socket.connecting) {
        sent = true;
        return;
      }
      connectTimer = setTimeout(
        () => req.destroy(new OutboundError('connect_timeout', `no connection within ${opts.connectTimeoutMs} ms`, false)),
        Math.min(opts.connectTimeoutMs, remaining),
      );
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        sent = true;
      });
    });
    req.on('error', fail);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const done = (body: Buffer, truncated: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        resolve({ status, headers: res.headers, body, truncated });
      };
      if (opts.discardBody?.(status)) {
        res.resume();
        res.on('error', () => undefined);
        req.destroy();
        return done(Buffer.alloc(0), false);
      }
      const declared = Number(res.headers['content-length']);
      if (opts.oversize !== 'truncate' && Number.isFinite(declared) && declared > opts.maxResponseBytes) {
        return req.destroy(new OutboundError('response_too_large', `the response declares ${declared} bytes (limit ${opts.maxResponseBytes})`, true));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (size + chunk.length > opts.maxResponseBytes) {
          if (opts.oversize === 'truncate') {
            chunks.push(chunk.subarray(0, opts.maxResponseBytes - size));
            done(Buffer.concat(chunks), true);
            req.destroy();
          } else {
            req.destroy(new OutboundError('response_too_large', `the response exceeds ${opts.maxResponseBytes} bytes`, true));
          }
          return;
        }
        size += chunk.length;
        chunks.push(chunk);
      });
      res.on('end', () => done(Buffer.concat(chunks), false));
      res.on('error', (err) => fail(err));
      res.on('aborted', () => fail(Object.assign(new Error('the response was cut off'), { code: 'ECONNRESET' })));
    });
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
