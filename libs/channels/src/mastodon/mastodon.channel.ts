/**
 * The `mastodon` channel kind: one status per story on the configured account, through the
 * Mastodon REST API over plain HTTP via the outbound SSRF guard (the instance URL is operator
 * input). `POST /api/v1/statuses` carries `Idempotency-Key: <delivery id>`, so a resend of the
 * same delivery returns the status already created instead of posting twice; a correction edits
 * the earlier status (`PUT /api/v1/statuses/:id`), a kill deletes it (`DELETE`).
 *
 * Resend-safe under one condition: Mastodon keeps idempotency keys for one hour, and a delivery
 * is re-sent only within its retry horizon (publish lease plus backoff, minutes), well inside it.
 */
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import { DENY_PRIVATE, guardedRequest, type OutboundPolicy } from '@syndication/net';

import { ChannelConfigError, ChannelDeliveryError, type ChannelAdapter, type DeliveryOutcome, type PublishContext } from '../channel';
import { configObject, optionalInteger, optionalString, rejectUnknownFields, requiredString } from '../config-fields';
import { storyLink } from '../text';
import { classifyFetchError, classifyResponse } from '../webhook/webhook.channel';
import { MASTODON_DEFAULT_LIMIT, renderMastodonStatus } from './mastodon.render';

export interface MastodonConfig {
  instance_url: string;
  access_token: string;
  visibility: 'public' | 'unlisted' | 'private';
  max_chars: number;
  link_template?: string;
}

const VISIBILITIES = ['public', 'unlisted', 'private'] as const;

export class MastodonChannel implements ChannelAdapter<MastodonConfig> {
  readonly kind = 'mastodon' as const;
  /** Idempotency-Key on every create, valid an hour: longer than any resend of a delivery. */
  readonly resendSafe = true;

  constructor(
    private readonly timeoutMs = 30_000,
    private readonly outbound: OutboundPolicy = DENY_PRIVATE,
  ) {}

  parseConfig(raw: unknown): MastodonConfig {
    const obj = configObject(raw);
    rejectUnknownFields(obj, ['instance_url', 'access_token', 'visibility', 'max_chars', 'link_template']);
    const instance = requiredString(obj, 'instance_url');
    let url: URL;
    try {
      url = new URL(instance);
    } catch {
      throw new ChannelConfigError('instance_url', 'is not a valid absolute URL');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search) {
      throw new ChannelConfigError('instance_url', 'must be an http(s) URL without credentials or query');
    }
    const token = requiredString(obj, 'access_token');
    if (!/^[A-Za-z0-9_-]{16,200}$/.test(token)) throw new ChannelConfigError('access_token', 'is not an OAuth access token');
    const visibility = optionalString(obj, 'visibility') ?? 'public';
    if (!(VISIBILITIES as readonly string[]).includes(visibility)) throw new ChannelConfigError('visibility', `must be one of ${VISIBILITIES.join(', ')}`);
    const link = optionalString(obj, 'link_template');
    return {
      instance_url: url.toString().replace(/\/+$/, ''),
      access_token: token,
      visibility: visibility as MastodonConfig['visibility'],
      max_chars: optionalInteger(obj, 'max_chars', { min: 100, max: 100_000 }) ?? MASTODON_DEFAULT_LIMIT,
      ...(link ? { link_template: link } : {}),
    };
  }

  async publish(config: MastodonConfig, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome> {
    const link = storyLink(config.link_template, story);
    const previous = ctx.previousExternalId;
    if (previous) {
      const status = renderMastodonStatus(story, { limit: config.max_chars, correction: true, ...(link ? { link } : {}) });
      const res = await this.request(config, 'PUT', `/api/v1/statuses/${encodeURIComponent(previous)}`, { status, language: story.language });
      if (res.status !== 404) return { externalId: previous, detail: { ...res.detail, edited: true } };
      // The status was deleted on the instance: the correction is a new post.
    }
    const status = renderMastodonStatus(story, { limit: config.max_chars, ...(link ? { link } : {}) });
    const res = await this.request(config, 'POST', '/api/v1/statuses', { status, visibility: config.visibility, language: story.language }, ctx.deliveryId);
    if (res.status === 404) throw new ChannelDeliveryError('the instance has no statuses API at this URL', { code: 'client_error', retryable: false });
    return { externalId: res.id, detail: res.detail };
  }

  async withdraw(config: MastodonConfig, _notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    const previous = ctx.previousExternalId;
    if (!previous) return { detail: { nothing_to_withdraw: true } };
    const res = await this.request(config, 'DELETE', `/api/v1/statuses/${encodeURIComponent(previous)}`);
    return { externalId: previous, detail: { deleted: true, ...(res.status === 404 ? { already: true } : {}) } };
  }

  /** 2xx -> the status; 404 returned for the caller to decide; anything else throws classified. */
  private async request(
    config: MastodonConfig,
    method: string,
    path: string,
    body?: Record<string, unknown>,
    idempotencyKey?: string,
  ): Promise<{ status: number; id: string; detail: Record<string, unknown> }> {
    let res;
    try {
      res = await guardedRequest(`${config.instance_url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${config.access_token}`,
          'user-agent': 'syndication-mastodon/1',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        policy: this.outbound,
        timeoutMs: this.timeoutMs,
        connectTimeoutMs: 5_000,
        maxResponseBytes: 256 * 1024,
        oversize: 'truncate',
        maxRedirects: 0,
      });
    } catch (err) {
      throw classifyFetchError(err, 'Mastodon instance');
    }
    if (res.status === 404) return { status: 404, id: '', detail: {} };
    if (res.status < 200 || res.status >= 300) {
      const h = new Headers();
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
      // Mastodon's rate limit resets at X-RateLimit-Reset (an ISO instant) rather than Retry-After.
      const reset = h.get('x-ratelimit-reset');
      if (res.status === 429 && !h.get('retry-after') && reset) h.set('retry-after', new Date(reset).toUTCString());
      const err = classifyResponse(res.status, h, res.body.subarray(0, 300).toString('utf8'));
      throw new ChannelDeliveryError(`Mastodon instance answered ${res.status}`, {
        code: res.status === 422 ? 'status_rejected' : err.code,
        retryable: err.retryable,
        ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
        ...(err.detail ? { detail: err.detail } : {}),
      });
    }
    let parsed: { id?: unknown; url?: unknown } = {};
    try {
      parsed = res.body.length ? (JSON.parse(res.body.toString('utf8')) as typeof parsed) : {};
    } catch {
      // A DELETE may answer with an empty body; a create without JSON is caught below.
    }
    const id = typeof parsed.id === 'string' || typeof parsed.id === 'number' ? String(parsed.id) : '';
    if (method === 'POST' && !id) throw new ChannelDeliveryError('Mastodon answered a create without a status id', { code: 'bad_response', retryable: true, inDoubt: true });
    return { status: res.status, id, detail: { status: res.status, ...(typeof parsed.url === 'string' ? { url: parsed.url.slice(0, 300) } : {}) } };
  }
}
