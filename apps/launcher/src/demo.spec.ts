import { ChannelRegistry } from '@syndication/channels';
import { DEMO_FEED_CONFIG, demoWebhookConfig } from './demo';

describe('demo setup', () => {
  it('provisions channel configs the adapters accept', () => {
    const channels = new ChannelRegistry();
    expect(() => channels.get('feed').parseConfig(DEMO_FEED_CONFIG)).not.toThrow();
    expect(() => channels.get('webhook').parseConfig(demoWebhookConfig('http://127.0.0.1:3090/'))).not.toThrow();
  });
});
