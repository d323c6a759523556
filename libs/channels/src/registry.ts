/**
 * ChannelKind -> adapter. The publisher worker looks an adapter up by the channel row's kind and
 * never imports a concrete channel, so adding a kind touches only this lib.
 */
import { CHANNEL_KINDS, type ChannelKind, type PublishableStory, type WithdrawalNotice } from '@syndication/contracts';

import { ChannelConfigError, type ChannelAdapter, type DeliveryOutcome, type PublishContext } from './channel';
import { FeedChannel } from './feed/feed.channel';
import { WebhookChannel } from './webhook/webhook.channel';

export class ChannelRegistry {
  private readonly adapters = new Map<ChannelKind, ChannelAdapter>();

  /** Without arguments, every built-in kind; tests pass fakes instead. */
  constructor(adapters: readonly ChannelAdapter[] = [new FeedChannel(), new WebhookChannel()]) {
    for (const adapter of adapters) this.register(adapter);
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
    return adapter.publish(adapter.parseConfig(rawConfig), story, ctx);
  }

  /** Send a withdrawal notice; a kind without notices is a permanent configuration error. */
  withdraw(kind: ChannelKind, rawConfig: unknown, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    const adapter = this.get(kind);
    if (!adapter.withdraw) return Promise.reject(new ChannelConfigError('kind', `${kind} channels take no withdrawal notices`));
    return adapter.withdraw(adapter.parseConfig(rawConfig), notice, ctx);
  }
}
