/**
 * Test stand-in for channels where a resend is not harmless (Telegram, email): the real webhook
 * adapter under another `resendSafe` declaration, so the network and timeout behaviour is the real
 * adapter's. It can also stop after the endpoint answered and before the publisher hears of it,
 * standing in for a worker frozen or dead between the side effect and the ledger write.
 */
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';
import type { ChannelAdapter, DeliveryOutcome, PublishContext, WebhookChannel, WebhookConfig } from '@syndication/channels';

/** A gate a test opens when it wants: stands in for a worker frozen (or dead) at that line. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * The real webhook adapter under another declaration, with an optional stop after the endpoint
 * answered and before the publisher hears of it (a stalled or dying worker).
 */
export class DeclaredWebhook implements ChannelAdapter<WebhookConfig> {
  readonly kind = 'webhook' as const;
  /** Resolved when a send has reached the endpoint and stopped at its gate. */
  readonly stopped: Array<{ open: () => void }> = [];

  constructor(
    private readonly inner: WebhookChannel,
    readonly resendSafe: boolean,
    private readonly stopAfterSend: boolean,
  ) {}

  parseConfig(raw: unknown): WebhookConfig {
    return this.inner.parseConfig(raw);
  }

  sendTimeoutMs(config: WebhookConfig): number {
    return this.inner.sendTimeoutMs(config);
  }

  async publish(config: WebhookConfig, story: PublishableStory, ctx: PublishContext): Promise<DeliveryOutcome> {
    const outcome = await this.inner.publish(config, story, ctx);
    if (this.stopAfterSend) {
      const g = gate();
      this.stopped.push(g);
      await g.wait;
    }
    return outcome;
  }

  withdraw(config: WebhookConfig, notice: WithdrawalNotice, ctx: PublishContext): Promise<DeliveryOutcome> {
    return this.inner.withdraw(config, notice, ctx);
  }
}
