import { matchedTags, plannedDeliveries, plannedWithWait, routeTranslationChains, translationTargets, type RouteRule, type StoryTags } from './rules';

const rule = (over: Partial<RouteRule>): RouteRule => ({
  id: 'r',
  channelId: 'feed',
  partnerId: null,
  sourceLanguages: null,
  topics: null,
  entities: null,
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

  describe('tag criteria', () => {
    // The seed story's tags as the tagger stores them: diplomacy under international relations
    // under politics, mining under economy, and Mongolia (Q711).
    const tags: StoryTags = {
      topics: [
        { code: 'medtop:20000639', ancestors: ['medtop:20000638', 'medtop:11000000'] },
        { code: 'medtop:20000316', ancestors: ['medtop:20000209', 'medtop:04000000'] },
      ],
      entities: ['Q711', 'Q30'],
    };
    const tagged = { ...story, tags };

    it('matches a topic code and any of its descendants, not its ancestors or siblings', () => {
      const rules = [
        rule({ channelId: 'exact', topics: ['medtop:20000639'] }),
        rule({ channelId: 'parent', topics: ['medtop:20000638'] }),
        rule({ channelId: 'top', topics: ['11000000'] }),
        rule({ channelId: 'sport', topics: ['medtop:15000000'] }),
        rule({ channelId: 'narrower', topics: ['medtop:20000640'] }),
      ];
      expect(plannedDeliveries(rules, tagged).map((d) => d.channelId)).toEqual(['exact', 'parent', 'top']);
    });

    it('ignores topics below the routing threshold (routable: false)', () => {
      const rules = [rule({ channelId: 'politics', topics: ['medtop:11000000'] }), rule({ channelId: 'sport', topics: ['medtop:15000000'] })];
      const withAside: StoryTags = {
        topics: [...tags.topics.map((t) => ({ ...t, routable: true })), { code: 'medtop:20000822', ancestors: ['medtop:15000000'], routable: false }],
        entities: [],
      };
      expect(plannedDeliveries(rules, { ...story, tags: withAside }).map((d) => d.channelId)).toEqual(['politics']);
      expect(matchedTags(rules[1]!, withAside)).toBeNull();
    });

    it('matches entity ids, and ANDs criteria while ORing the codes of one criterion', () => {
      const rules = [
        rule({ channelId: 'mongolia', entities: ['Q159', 'Q711'] }),
        rule({ channelId: 'russia', entities: ['Q159'] }),
        rule({ channelId: 'both', entities: ['Q711'], topics: ['medtop:04000000'] }),
        rule({ channelId: 'not-both', entities: ['Q711'], topics: ['medtop:15000000'] }),
        rule({ channelId: 'wrong-partner', entities: ['Q711'], partnerId: 'p2' }),
      ];
      expect(plannedDeliveries(rules, tagged).map((d) => d.channelId)).toEqual(['mongolia', 'both']);
      expect(matchedTags(rules[2]!, tags)).toEqual({ topics: ['medtop:20000316'], entities: ['Q711'] });
    });

    it('does not match tag rules on a story whose tagging found nothing', () => {
      const rules = [rule({ channelId: 'politics', topics: ['medtop:11000000'] }), rule({ channelId: 'all' })];
      expect(plannedDeliveries(rules, { ...story, tags: { topics: [], entities: [] } }).map((d) => d.channelId)).toEqual(['all']);
    });

    it('computes translation targets from the pre-tag criteria only', () => {
      const rules = [rule({ topics: ['medtop:15000000'], languages: ['en'] }), rule({ entities: ['Q159'], languages: ['uk'] })];
      // Neither rule matches the tags, but translation cannot know that yet: both languages are made.
      expect(translationTargets(rules, tagged)).toEqual(['en', 'uk']);
      expect(plannedDeliveries(rules, tagged)).toEqual([]);
    });
  });

  describe('translation policy', () => {
    it('gives each delivery its wait: source_first 0, a route\'s own seconds, else the default; the shortest per channel', () => {
      const rules = [
        rule({ channelId: 'tg', languages: ['source', 'uk'], translationPolicy: 'source_first' }),
        rule({ channelId: 'feed', languages: ['uk'], translationWaitSeconds: 30 }),
        rule({ channelId: 'feed', id: 'r2', languages: ['en'], translationWaitSeconds: 90 }),
        rule({ channelId: 'web', languages: ['en'] }),
      ];
      expect(plannedWithWait(rules, story, 300)).toEqual([
        { channelId: 'tg', language: 'ru', waitSeconds: 0 },
        { channelId: 'tg', language: 'uk', waitSeconds: 0 },
        { channelId: 'feed', language: 'uk', waitSeconds: 30 },
        { channelId: 'feed', language: 'en', waitSeconds: 30 },
        { channelId: 'web', language: 'en', waitSeconds: 300 },
      ]);
    });

    it('takes a chain per target language from the first matching route that names one', () => {
      const rules = [
        rule({ languages: ['uk'] }),
        rule({ id: 'r2', languages: ['uk', 'en'], translationProviders: ['deepl', 'apertium'] }),
        rule({ id: 'r3', languages: ['en', 'es'], translationProviders: ['azure'] }),
        rule({ id: 'r4', partnerId: 'p2', languages: ['es'], translationProviders: ['google'] }),
      ];
      expect(routeTranslationChains(rules, story)).toEqual({ uk: ['deepl', 'apertium'], en: ['deepl', 'apertium'], es: ['azure'] });
    });
  });
});
