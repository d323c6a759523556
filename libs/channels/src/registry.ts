/**
 * ChannelKind -> adapter. The publisher worker looks an adapter up by the channel row's kind and
 * never imports a concrete channel, so adding a kind touches only this lib.
 */
import { CHANNEL_KINDS, type ChannelKind, type PublishableStory, type WithdrawalNotice } from '@syndication/contracts';

import type { OutboundPolicy } from '@syndication/net';

import { ChannelConfigError, type ChannelAdapter, type DeliveryOutcome, type PublishContext } from './channel';
import type { CooldownStore } from './cooldown';
import { EmailChannel } from './email/email.channel';
import { FeedChannel } from './feed/feed.channel';
import { MastodonChannel } from './mastodon/mastodon.channel';
import { TelegramChannel } from './telegram/telegram.channel';
import { WebhookChannel } from './webhook/webhook.channel';

/**
 * Turns a stored config into what the adapter parses: the publisher passes one that opens sealed
 * credentials (libs/database channel-config); without one, configs are used as stored.
 */
export type ConfigOpener = (kind: ChannelKind, raw: unknown) => unknown;

export class ChannelRegistry {
  private readonly adapters = new Map<ChannelKind, ChannelAdapter>();

  /** Without arguments, every built-in kind; tests pass fakes instead. */
  constructor(
    adapters: readonly ChannelAdapter[] = [new FeedChannel(), new WebhookChannel(), new TelegramChannel(), new EmailChannel(), new MastodonChannel()],
    private readonly open: ConfigOpener = (_kind, raw) => raw,
  ) {
    for (const adapter of adapters) this.register(adapter);
  }

  /** The adapter's parsed config for a stored row (credentials opened). Throws ChannelConfigError. */
  parseConfig(kind: ChannelKind, rawConfig: unknown): unknown {
    return this.get(kind).parseConfig(this.open(kind, rawConfig));
  }

  /** Replaces any adapter already registered for the same kind. */
  register(adapter: ChannelAdapter): this {
    this.adapters.set(adapter.kind, adapter);
    return this;
  }

  has(kind: ChannelKind): boolean {
    return this.adapters.has(kind);
  }

  get(kind: ChannelKind): ChannelAdapter {
    const adapter = this.adapters.get(kind);
    if (!adapter) throw new Error(`no channel adapter registered for kind "${kind}"`);
    return adapter;
  }

  kinds(): ChannelKind[] {
    return CHANNEL_KINDS.filter((k) => this.adapters.has(k));
  }

  /**
   * Parse the row's config and publish in one step. A ChannelConfigError from here is permanent:
   * retrying cannot fix the row.
   */
  publish(kind: ChannelKind, rawConfig: unknown, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome> {
    const adapter = this.get(kind);
    return adapter.publish(adapter.parseConfig(this.open(kind, rawConfig)), story, ctx);
  }

  /** Send a withdrawal notice; a kind without notices is a permanent configuration error. */
  withdraw(kind: ChannelKind, rawConfig: unknown, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    const adapter = this.get(kind);
    if (!adapter.withdraw) return Promise.reject(new ChannelConfigError('kind', `${kind} channels take no withdrawal notices`));
    return adapter.withdraw(adapter.parseConfig(this.open(kind, rawConfig)), notice, ctx);
  }
}

export interface ChannelRegistryOptions {
  /** Per-request timeout of every HTTP/SMTP channel (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** The SSRF policy every channel's outbound connection is checked against. */
  outbound: OutboundPolicy;
  /** Shared quiet time for rate-limited credentials (Redis in workers). */
  cooldown?: CooldownStore;
  open?: ConfigOpener;
}

/** Every built-in kind wired the same way, for the publisher and the admin API's test-send. */
export function createChannelRegistry(opts: ChannelRegistryOptions): ChannelRegistry {
  return new ChannelRegistry(
    [
      new FeedChannel(),
      new WebhookChannel(opts.timeoutMs, opts.outbound),
      new TelegramChannel(opts.timeoutMs, opts.outbound, opts.cooldown),
      new EmailChannel(opts.timeoutMs, opts.outbound),
      new MastodonChannel(opts.timeoutMs, opts.outbound),
    ],
    opts.open,
  );
}
