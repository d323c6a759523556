import type { PublishableStory } from '@syndication/contracts';

import { ChannelConfigError, type ChannelAdapter } from './channel';
import { FeedChannel } from './feed/feed.channel';
import { ChannelRegistry } from './registry';
import { WebhookChannel } from './webhook/webhook.channel';

const story = {
  storyId: '0193a3c2-7d1e-7000-8000-000000000001',
  language: 'kk',
} as PublishableStory;
const ctx = { deliveryId: 'd1', attempt: 1 };

describe('ChannelRegistry', () => {
  it('knows every built-in kind by default', () => {
    const registry = new ChannelRegistry();
    expect(registry.kinds()).toEqual(['feed', 'webhook']);
    expect(registry.get('feed')).toBeInstanceOf(FeedChannel);
    expect(registry.get('webhook')).toBeInstanceOf(WebhookChannel);
  });

  it('throws for a kind with no adapter, and lets tests swap one in', async () => {
    const registry = new ChannelRegistry([]);
    expect(registry.has('webhook')).toBe(false);
    expect(() => registry.get('webhook')).toThrow(/no channel adapter registered for kind "webhook"/);

    const fake: ChannelAdapter<{ ok: true }> = {
      kind: 'webhook',
      resendSafe: true,
      parseConfig: () => ({ ok: true }),
      publish: async () => ({ externalId: 'fake' }),
    };
    registry.register(fake);
    await expect(registry.publish('webhook', {}, story, ctx)).resolves.toEqual({ externalId: 'fake' });
  });

  it('publish validates the config before sending', async () => {
    const registry = new ChannelRegistry();
    await expect(async () => registry.publish('webhook', { url: 'https://x.example/' }, story, ctx)).rejects.toThrow(
      ChannelConfigError,
    );
  });
});

describe('FeedChannel', () => {
  const feed = new FeedChannel();

  it('publishing is a no-op that names the stable feed item', async () => {
    const config = feed.parseConfig({ title: 'Kazakh wire', description: 'Stories in Kazakh' });
    await expect(feed.publish(config, story)).resolves.toEqual({
      externalId: 'urn:syndication:0193a3c2-7d1e-7000-8000-000000000001:kk',
    });
  });

  it.each([
    [undefined, 'config'],
    [{}, 'title'],
    [{ title: '  ' }, 'title'],
    [{ title: 'T', description: 7 }, 'description'],
    [{ title: 'T', slug: 'x' }, 'slug'],
    [{ title: 'T', format: 'rss' }, 'format'],
  ])('rejects %j naming %s', (raw, field) => {
    expect(() => feed.parseConfig(raw)).toThrow(expect.objectContaining({ name: 'ChannelConfigError', field }));
  });

  it('description is optional', () => {
    expect(feed.parseConfig({ title: 'T' })).toEqual({ title: 'T' });
    expect(feed.parseConfig({ title: 'T', description: 'D' })).toEqual({ title: 'T', description: 'D' });
  });
});
