import { plannedDeliveries, translationTargets, type RouteRule } from './rules';

const rule = (over: Partial<RouteRule>): RouteRule => ({
  id: 'r',
  channelId: 'feed',
  partnerId: null,
  sourceLanguages: null,
  languages: ['source'],
  ...over,
});

describe('routing rules', () => {
  const story = { partnerId: 'p1', language: 'ru' };

  it('resolves "source" to the story language and dedupes channel x language pairs', () => {
    const rules = [rule({ languages: ['source', 'uk'] }), rule({ id: 'r2', languages: ['uk'] })];
    expect(plannedDeliveries(rules, story)).toEqual([
      { channelId: 'feed', language: 'ru' },
      { channelId: 'feed', language: 'uk' },
    ]);
  });

  it('filters by partner and source language', () => {
    const rules = [
      rule({ channelId: 'a', partnerId: 'p2' }),
      rule({ channelId: 'b', sourceLanguages: ['en'] }),
      rule({ channelId: 'c', sourceLanguages: ['ru'], partnerId: 'p1' }),
    ];
    expect(plannedDeliveries(rules, story).map((d) => d.channelId)).toEqual(['c']);
  });

  it('translates only into languages other than the source', () => {
    const rules = [rule({ languages: ['ru', 'uk', 'en'] }), rule({ channelId: 'w', languages: ['uk', 'source'] })];
    expect(translationTargets(rules, story)).toEqual(['en', 'uk']);
  });
});
