import { DEFAULT_TOPIC_ROUTING_THRESHOLD } from '@syndication/contracts';
import { tagStory } from './tagger';
import { markRoutable } from './topic-routing';
import { RANKING, rankFields } from './topic-ranking';

const SPORT = 'medtop:15000000';
const POLITICS = 'medtop:11000000';

/** Top-level fields whose topics pass the default routing threshold. */
function routedFields(headline: string, body: string, language: string): string[] {
  const topics = markRoutable(tagStory({ headline, body, language }).topics, DEFAULT_TOPIC_ROUTING_THRESHOLD);
  return [...new Set(topics.filter((t) => t.routable).map((t) => t.ancestors.at(-1) ?? t.code))].sort();
}

describe('rankFields', () => {
  it('gives the best field at least the base relevance and more with more evidence', () => {
    const weak = rankFields(new Map([[SPORT, { amount: 2, distinct: 1 }]]));
    const strong = rankFields(new Map([[SPORT, { amount: 12, distinct: 6 }]]));
    expect(weak[0]![1]).toBeGreaterThanOrEqual(RANKING.base);
    expect(strong[0]![1]).toBeGreaterThan(weak[0]![1]);
    expect(strong[0]![1]).toBeLessThanOrEqual(1);
  });

  it('keeps a second field only when it is nearly as strong as the best (the margin rule)', () => {
    const aside = rankFields(new Map([[SPORT, { amount: 9, distinct: 5 }], [POLITICS, { amount: 2, distinct: 1 }]]));
    expect(aside.map(([code]) => code)).toEqual([SPORT, POLITICS]);
    expect(aside[1]![1]).toBeLessThan(0.05);
    const both = rankFields(new Map([[SPORT, { amount: 8, distinct: 4 }], [POLITICS, { amount: 7.5, distinct: 4 }]]));
    expect(both.every(([, relevance]) => relevance >= DEFAULT_TOPIC_ROUTING_THRESHOLD)).toBe(true);
  });

  it('prefers distinct words to one word repeated', () => {
    const [[first]] = rankFields(new Map([[SPORT, { amount: 4, distinct: 4 }], [POLITICS, { amount: 4, distinct: 1 }]])) as [[string, number]];
    expect(first).toBe(SPORT);
  });

  it('returns nothing without evidence', () => {
    expect(rankFields(new Map())).toEqual([]);
  });
});

describe('topic ranking on stories', () => {
  it('files a sports story with an incidental politics word under sport only', () => {
    expect(
      routedFields(
        'Rovers beat City 3-1 to reach the cup final',
        'Rovers scored twice in the second half to beat City 3-1 and reach the cup final, where they will play the league champions. The striker signed in January scored his tenth goal of the season. The prime minister, a lifelong fan, watched the match from the stands.',
        'en',
      ),
    ).toEqual([SPORT]);
  });

  it('files a politics story that mentions a match under politics only', () => {
    expect(
      routedFields(
        'Parliament passes budget after all-night debate',
        'Parliament approved the government budget on Thursday after an all-night debate, with lawmakers voting 214 to 198. The finance minister said the budget would cut the deficit, and opposition parties promised to fight the tax rises. Several members of parliament had missed the first votes to watch the football match.',
        'en',
      ),
    ).toEqual([POLITICS]);
  });

  it('does the same in Russian', () => {
    expect(
      routedFields(
        '«Спартак» обыграл «Динамо» и вышел в финал Кубка',
        'Футбольный «Спартак» обыграл «Динамо» со счетом 2:1 в полуфинале Кубка России. Оба гола забил нападающий команды, вратарь отразил пенальти. На матче присутствовал губернатор области.',
        'ru',
      ),
    ).toEqual([SPORT]);
    expect(
      routedFields(
        'Госдума приняла бюджет в первом чтении',
        'Государственная дума приняла в первом чтении проект федерального бюджета на следующий год. Депутаты от оппозиции голосовали против, министр финансов назвал бюджет сбалансированным. Заседание затянулось, и часть депутатов пропустила трансляцию футбольного матча.',
        'ru',
      ),
    ).toEqual([POLITICS]);
  });

  it('scores every topic between 0 and 1 with the best field first, and narrower codes under a kept field', () => {
    const { topics } = tagStory({
      headline: 'Central bank raises interest rates as inflation climbs',
      body: 'The central bank raised its key interest rate by half a point to 5.25% on Thursday as inflation stayed above target. Economists expect further rises.',
      language: 'en',
    });
    expect(topics.length).toBeGreaterThan(0);
    for (const topic of topics) {
      expect(topic.score).toBeGreaterThan(0);
      expect(topic.score).toBeLessThanOrEqual(1);
    }
    expect(topics[0]!.ancestors.at(-1)).toBe('medtop:04000000');
    expect(topics.map((t) => t.code)).toEqual(expect.arrayContaining(['medtop:20000350'])); // central bank
  });
});

describe('markRoutable', () => {
  it('flags topics at or above the threshold', () => {
    const topic = { code: SPORT, name: 'sport', ancestors: [], source: 'rules' };
    expect(markRoutable([{ ...topic, score: 0.5 }, { ...topic, score: 0.49 }], 0.5).map((t) => t.routable)).toEqual([true, false]);
  });
});
