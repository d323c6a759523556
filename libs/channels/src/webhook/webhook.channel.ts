/**
 * Outbound Standard Webhooks (https://www.standardwebhooks.com): one signed POST per delivery.
 * The delivery id is the `webhook-id`, so every retry of a delivery carries the same id and the
 * receiver can dedupe; that is what makes a timeout safe to resend. Outcomes follow the
 * reliability plan's F6 table. Requests go through the outbound SSRF guard (libs/net): the
 * endpoint's resolved address is checked at connect time, so a partner URL cannot reach internal
 * services unless the operator allowlisted them.
 */
import { randomBytes } from 'node:crypto';

import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { DENY_PRIVATE, OutboundError, type OutboundPolicy, guardedRequest } from '@syndication/net';
import { Webhook } from 'standardwebhooks';

import {
  ChannelConfigError,
  ChannelDeliveryError,
  type ChannelAdapter,
  type DeliveryOutcome,
  type PublishContext,
} from '../channel';
import { configObject, optionalInteger, rejectUnknownFields, requiredString } from '../config-fields';
import { parseRetryAfter } from '../retry-after';
import { buildWebhookPayload } from './webhook.payload';
import { buildWithdrawalPayload } from './webhook.withdrawal';

export interface WebhookConfig {
  url: string;
  /** `whsec_` + base64 of 24-64 random bytes, as the Standard Webhooks spec recommends. */
  secret: string;
  timeoutMs?: number;
}

/** Standard Webhooks asks senders for a 15-30 s total timeout; the plan pins it at 30 s. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 30_000;
const MAX_WEBHOOK_TIMEOUT_MS = 30_000;
/** A receiver that cannot even accept a connection in 5 s is down; failing fast frees the worker. */
export const WEBHOOK_CONNECT_TIMEOUT_MS = 5_000;
const SECRET_PREFIX = 'whsec_';
const BODY_SNIPPET_BYTES = 512;
const RESPONSE_ID_BYTES = 4096;
const USER_AGENT = 'syndication-webhooks/1';

/** Errors that happen before any byte of the request can have reached the endpoint. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNTIMEOUT',
]);

export function generateWebhookSecret(bytes = 32): string {
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

export class WebhookChannel implements ChannelAdapter<WebhookConfig> {
  readonly kind = 'webhook' as const;
  /** Every attempt carries the delivery's `webhook-id`, which receivers dedupe on. */
  readonly resendSafe = true;

  /**
   * `defaultTimeoutMs` applies to channels whose config sets no `timeoutMs` (WEBHOOK_TIMEOUT_MS);
   * `outbound` is the SSRF policy (OUTBOUND_ALLOW_PRIVATE / OUTBOUND_ALLOWLIST), refusing every
   * non-public address by default.
   */
  constructor(
    private readonly defaultTimeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS,
    private readonly outbound: OutboundPolicy = DENY_PRIVATE,
  ) {}

  parseConfig(raw: unknown): WebhookConfig {
    const obj = configObject(raw);
    rejectUnknownFields(obj, ['url', 'secret', 'timeoutMs']);
    const url = parseEndpointUrl(requiredString(obj, 'url'));
    const secret = parseSecret(requiredString(obj, 'secret'));
    const timeoutMs = optionalInteger(obj, 'timeoutMs', { min: 1, max: MAX_WEBHOOK_TIMEOUT_MS });
    return timeoutMs === undefined ? { url, secret } : { url, secret, timeoutMs };
  }

  sendTimeoutMs(config: WebhookConfig): number {
    return config.timeoutMs ?? this.defaultTimeoutMs;
  }

  async publish(config: WebhookConfig, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome> {
    const now = new Date();
    const msgId = ctx.deliveryId;
    const body = JSON.stringify(buildWebhookPayload(story, { now, deliveryId: msgId }));
    return this.post(config, msgId, body, now);
  }

  /** `story.withdrawn` / `story.withheld`: its own delivery, so its own `webhook-id`. */
  async withdraw(config: WebhookConfig, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    const now = new Date();
    return this.post(config, ctx.deliveryId, JSON.stringify(buildWithdrawalPayload(notice, now)), now);
  }

  private async post(config: WebhookConfig, msgId: string, body: string, now: Date): Promise<DeliveryOutcome> {
    // Signed per attempt: the timestamp must be fresh for the receiver's tolerance window, while
    // the id stays the delivery's.
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'webhook-id': msgId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(config.secret).sign(msgId, now, body),
    };

    let res;
    try {
      res = await guardedRequest(config.url, {
        method: 'POST',
        headers,
        body,
        policy: this.outbound,
        timeoutMs: config.timeoutMs ?? this.defaultTimeoutMs,
        connectTimeoutMs: WEBHOOK_CONNECT_TIMEOUT_MS,
        // A redirect could point anywhere, including internal hosts: it is a failure, never followed.
        maxRedirects: 0,
        // Bounded: enough for a receiver's JSON id on 2xx, or an error snippet.
        maxResponseBytes: RESPONSE_ID_BYTES,
        oversize: 'truncate',
      });
    } catch (err) {
      throw classifyFetchError(err);
    }

    if (res.status >= 200 && res.status < 300) {
      // 2xx with any body is success. What the receiver says about its copy (a JSON `id`, a
      // `Location`) goes on the receipt; only a bounded prefix was read, within the same timeout.
      const headers = toHeaders(res.headers);
      return { externalId: msgId, detail: { status: res.status, ...receiverReference(headers, res.body) } };
    }
    const snippet = res.body.length ? res.body.subarray(0, BODY_SNIPPET_BYTES).toString('utf8') : undefined;
    throw classifyResponse(res.status, toHeaders(res.headers), snippet);
  }
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) h.append(k, one);
  }
  return h;
}

function parseEndpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChannelConfigError('url', 'is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ChannelConfigError('url', 'must use http or https');
  }
  // Credentials in the URL would end up in logs and receipts; the signature is the auth.
  if (url.username !== '' || url.password !== '') {
    throw new ChannelConfigError('url', 'must not contain credentials');
  }
  return url.toString();
}

function parseSecret(value: string): string {
  if (!value.startsWith(SECRET_PREFIX)) {
    throw new ChannelConfigError('secret', `must start with "${SECRET_PREFIX}"`);
  }
  try {
    new Webhook(value);
  } catch {
    throw new ChannelConfigError('secret', 'is not valid base64 after the prefix');
  }
  const bytes = Buffer.from(value.slice(SECRET_PREFIX.length), 'base64').length;
  if (bytes < 24 || bytes > 64) {
    throw new ChannelConfigError('secret', 'must encode 24 to 64 bytes');
  }
  return value;
}

/** Exported for tests and for other HTTP channels that want the same F6 semantics. */
export function classifyResponse(status: number, headers: Headers, bodySnippet?: string): ChannelDeliveryError {
  const detail: Record<string, unknown> = { status };
  if (bodySnippet) detail['body'] = bodySnippet;
  const fail = (code: string, retryable: boolean, retryAfterMs?: number): ChannelDeliveryError =>
    new ChannelDeliveryError(`webhook endpoint answered ${status}`, {
      code,
      retryable,
      detail,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });

  if (status >= 300 && status < 400) {
    const location = headers.get('location');
    if (location) detail['location'] = location.slice(0, 256);
    return fail('redirect_blocked', false);
  }
  if (status === 429 || status === 503) {
    return fail(status === 429 ? 'rate_limited' : 'unavailable', true, parseRetryAfter(headers.get('retry-after')));
  }
  if (status === 410) return fail('endpoint_gone', false);
  if (status === 408) return fail('request_timeout', true);
  if (status === 425) return fail('too_early', true);
  if (status === 401 || status === 403) return fail('auth_rejected', false);
  if (status >= 500 && status < 600) return fail('server_error', true);
  if (status >= 400 && status < 500) return fail('client_error', false);
  return fail('unexpected_status', false);
}

export function classifyFetchError(err: unknown): ChannelDeliveryError {
  if (err instanceof OutboundError) return classifyOutboundError(err);
  const name = field(err, 'name');
  if (name === 'TimeoutError' || name === 'AbortError') {
    // fetch cannot tell a slow connect from an accept-then-hang, so assume the request arrived.
    return new ChannelDeliveryError('webhook endpoint did not answer in time', {
      code: 'timeout',
      retryable: true,
      inDoubt: true,
      cause: err,
    });
  }
  const code = networkErrorCode(err);
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new ChannelDeliveryError(`could not connect to webhook endpoint (${code})`, {
      code: code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'dns_failed' : 'connect_failed',
      retryable: true,
      inDoubt: false,
      detail: { errno: code },
      cause: err,
    });
  }
  if (field(err, 'requestSent') === false) {
    // node:http knows the socket never connected, whatever the errno says.
    return new ChannelDeliveryError(`could not connect to webhook endpoint${code ? ` (${code})` : ''}`, {
      code: 'connect_failed',
      retryable: true,
      inDoubt: false,
      ...(code ? { detail: { errno: code } } : {}),
      cause: err,
    });
  }
  // Reset or closed mid-exchange, or something unrecognised: the endpoint may have acted on it.
  return new ChannelDeliveryError(`webhook request failed${code ? ` (${code})` : ''}`, {
    code: 'network_error',
    retryable: true,
    inDoubt: true,
    ...(code ? { detail: { errno: code } } : {}),
    cause: err,
  });
}

function classifyOutboundError(err: OutboundError): ChannelDeliveryError {
  if (err.code === 'destination_forbidden' || err.code === 'invalid_url') {
    // The endpoint resolves to an address the operator has not allowed: retrying cannot help.
    return new ChannelDeliveryError(`webhook endpoint refused by the outbound policy: ${err.message}`, {
      code: 'destination_forbidden',
      retryable: false,
      inDoubt: false,
      detail: err.detail,
      cause: err,
    });
  }
  if (err.code === 'connect_timeout') {
    return new ChannelDeliveryError('could not connect to webhook endpoint in time', {
      code: 'connect_failed',
      retryable: true,
      inDoubt: false,
      detail: { errno: 'ECONNTIMEOUT' },
      cause: err,
    });
  }
  // The total timeout: in doubt once the request may have reached the endpoint.
  return new ChannelDeliveryError('webhook endpoint did not answer in time', {
    code: 'timeout',
    retryable: true,
    inDoubt: err.requestSent,
    cause: err,
  });
}

/**
 * node:http puts the errno on the error itself (`requestSent` says whether the request was
 * out); undici wraps the socket error in `cause`; with several addresses it is an AggregateError.
 * Duck-typed, because fetch's errors come from Node's own realm and fail `instanceof` inside
 * sandboxes such as jest's.
 */
function networkErrorCode(err: unknown): string | undefined {
  const own = field(err, 'code');
  if (typeof own === 'string') return own;
  const cause = field(err, 'cause');
  const direct = field(cause, 'code');
  if (typeof direct === 'string') return direct;
  const errors = field(cause, 'errors');
  const nested = Array.isArray(errors) ? field(errors[0], 'code') : undefined;
  return typeof nested === 'string' ? nested : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The receiver's own reference for what it received: `id` from a JSON body (the usual shape of a
 * create response) and an absolute http(s) `Location`. Absent or unreadable means none.
 */
function receiverReference(headers: Headers, body: Buffer): { remote_id?: string; location?: string } {
  const out: { remote_id?: string; location?: string } = {};
  const location = headers.get('location');
  if (location && location.length <= 512 && /^https?:\/\//i.test(location)) out.location = location;
  if (!/^application\/([a-z0-9.+-]*\+)?json\b/i.test(headers.get('content-type') ?? '') || body.length === 0) return out;
  try {
    const id = (JSON.parse(body.toString('utf8')) as { id?: unknown }).id;
    if ((typeof id === 'string' && id.length > 0 && id.length <= 256) || typeof id === 'number') out.remote_id = String(id);
  } catch {
    // Not JSON after all, or longer than we read: no reference.
  }
  return out;
}
