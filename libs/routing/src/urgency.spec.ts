/** Urgency bounds and channel-level language sets in the pure routing rules. */
import { plannedDeliveries, routeMatches, translationTargets, type RouteRule } from './rules';

const rule = (over: Partial<RouteRule> = {}): RouteRule => ({
  id: 'r1',
  channelId: 'c1',
  partnerId: null,
  sourceLanguages: null,
  topics: null,
  entities: null,
  languages: ['source', 'uk', 'en'],
  ...over,
});

describe('urgency criterion', () => {
  const flash = rule({ urgencyMax: 2 });
  const routine = rule({ urgencyMin: 4, urgencyMax: 6 });

  it('matches inclusive bounds, and a story without urgency matches no bounded rule', () => {
    expect(routeMatches(flash, { partnerId: 'p', language: 'ru', urgency: 1 })).toBe(true);
    expect(routeMatches(flash, { partnerId: 'p', language: 'ru', urgency: 2 })).toBe(true);
    expect(routeMatches(flash, { partnerId: 'p', language: 'ru', urgency: 3 })).toBe(false);
    expect(routeMatches(routine, { partnerId: 'p', language: 'ru', urgency: 3 })).toBe(false);
    expect(routeMatches(routine, { partnerId: 'p', language: 'ru', urgency: 6 })).toBe(true);
    expect(routeMatches(routine, { partnerId: 'p', language: 'ru', urgency: null })).toBe(false);
    expect(routeMatches(rule(), { partnerId: 'p', language: 'ru', urgency: null })).toBe(true);
  });

  it('is not applied when the caller does not know the urgency (never under-translates)', () => {
    expect(routeMatches(flash, { partnerId: 'p', language: 'ru' })).toBe(true);
  });
});

describe('channel language set', () => {
  it('drops languages the channel does not carry, from deliveries and translations alike', () => {
    const r = rule({ channelLanguages: ['ru', 'uk'] });
    expect(plannedDeliveries([r], { partnerId: 'p', language: 'ru' })).toEqual([
      { channelId: 'c1', language: 'ru' },
      { channelId: 'c1', language: 'uk' },
    ]);
    expect(translationTargets([r], { partnerId: 'p', language: 'ru' })).toEqual(['uk']);
    // A story in a language the channel does not carry: only the translations it does.
    expect(plannedDeliveries([r], { partnerId: 'p', language: 'en' })).toEqual([{ channelId: 'c1', language: 'uk' }]);
  });
});
