import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TOPIC_ROUTING_THRESHOLD, type ExtractedEntity, type TaggingResult } from '@syndication/contracts';
import { mediaTopics } from './media-topics';
import { HEADLINE_SEPARATOR, Tagger, tagStory } from './tagger';
import type { EntityCandidate, EntityRecognizer, TagInput } from './types';

/** Fixture files hold the headline on the first line and the body after it. */
function loadStory(file: string, language: string, headline?: string): TagInput {
  const raw = fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8');
  const [first = '', ...rest] = raw.split('\n');
  return { headline: headline ?? first, body: rest.join('\n'), language };
}

function entity(result: TaggingResult, id: string): ExtractedEntity {
  const found = result.entities.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no entity ${id} among ${result.entities.map((e) => `${e.id} ${e.name}`).join(', ')}`);
  return found;
}

function expectMentionsPointIntoText(input: TagInput, result: TaggingResult): void {
  const text = `${input.headline}${HEADLINE_SEPARATOR}${input.body}`;
  for (const found of result.entities) {
    expect(found.mentions.length).toBeGreaterThan(0);
    for (const mention of found.mentions) {
      expect(text.slice(mention.offset, mention.offset + mention.surface.length)).toBe(mention.surface);
    }
  }
}

function expectValidTopics(result: TaggingResult): void {
  const vocabulary = mediaTopics();
  for (const topic of result.topics) {
    expect(vocabulary.get(topic.code)?.name).toBe(topic.name);
    expect(vocabulary.isRetired(topic.code)).toBe(false);
    expect(topic.ancestors).toEqual(vocabulary.ancestors(topic.code));
    expect(topic.score).toBeGreaterThan(0);
    expect(topic.score).toBeLessThanOrEqual(1);
  }
}

describe('tagStory on the seed story (ru)', () => {
  // The seed file's first line is "date 2026-02-07 <headline>"; the brief's headline drops the date.
  const input = loadStory(
    'seed-centralasia-2026-02-07-ru.txt',
    'ru',
    'Батцэцэг приняла участие в министерской конференции, организованной госсекретарем Марко Рубио',
  );
  const result = tagStory(input);

  it.each([
    ['Q711', 'place', 'Mongolia'],
    ['Q30', 'place', 'United States'],
    ['Q61', 'place', 'Washington, D.C.'],
    ['Q789915', 'organisation', 'US State Department'],
    ['Q324546', 'person', 'Marco Rubio'],
    ['person:battsetseg-batmunkh', 'person', 'Battsetseg Batmunkh'],
  ])('finds %s (%s %s)', (id, type, name) => {
    const found = entity(result, id);
    expect(found.type).toBe(type);
    expect(found.name).toBe(name);
    expect(found.source).toBe('gazetteer');
    expect(found.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('matches inflected and multi-word forms', () => {
    expect(entity(result, 'Q711').mentions.map((m) => m.surface)).toContain('Монголии');
    expect(entity(result, 'Q61').mentions.map((m) => m.surface)).toEqual(['Вашингтоне', 'Вашингтоне']);
    expect(entity(result, 'Q324546').mentions[0]).toEqual({ surface: 'Марко Рубио', offset: 82 });
    expect(entity(result, 'Q789915').mentions.map((m) => m.surface)).toEqual([
      'Государственный департамент США',
      'Госдепартамент',
    ]);
    expect(entity(result, 'person:battsetseg-batmunkh').mentions.map((m) => m.surface)).toEqual([
      'Батцэцэг',
      'Батцэцэг Батмөнх',
    ]);
  });

  it('treats "США" inside an organisation name as a weaker, nested mention', () => {
    const usa = entity(result, 'Q30');
    expect(usa.mentions.every((m) => m.surface === 'США')).toBe(true);
    expect(usa.confidence).toBeLessThan(entity(result, 'Q789915').confidence);
  });

  it('reports nothing but the entities the story names', () => {
    const expected = new Set([
      'Q711',
      'Q30',
      'Q61',
      'Q789915',
      'Q324546',
      'person:battsetseg-batmunkh',
      'organisation:mfa-mongolia',
      'organisation:civil-aviation-authority-of-mongolia',
      'Q335357',
      // the agencies the story credits
      'organisation:centralasia',
      'organisation:middleasiannews',
    ]);
    expect(result.entities.map((e) => e.id).filter((id) => !expected.has(id))).toEqual([]);
    // No entity comes from a common word: every mention is capitalised or an acronym.
    for (const found of result.entities) {
      for (const mention of found.mentions) expect(mention.surface).toMatch(/^\p{Lu}/u);
    }
  });

  it('keeps offsets into headline + "\\n\\n" + body', () => {
    expectMentionsPointIntoText(input, result);
  });

  it('tags mining/minerals and diplomacy topics', () => {
    const codes = result.topics.map((t) => t.code);
    expect(codes).toContain('medtop:20000316'); // metal and mineral mining and refining
    // "natural resources" (environment) is a word or two of the story, not a field it runs in.
    expect(codes).not.toContain('medtop:20000430');
    const diplomacy = result.topics.find((t) => t.code === 'medtop:20000639');
    expect(diplomacy?.ancestors).toEqual(['medtop:20000638', 'medtop:11000000']);
    expectValidTopics(result);
  });

  it('lists at most ten readable keywords, none of them stop words or entity names', () => {
    expect(result.keywords.length).toBeGreaterThan(3);
    expect(result.keywords.length).toBeLessThanOrEqual(10);
    expect(result.keywords).toContain('минерал');
    expect(result.keywordScores?.[0]).toBe(1);
    for (const stop of ['в', 'и', 'по', 'что', 'монголии', 'сша', 'приняла']) expect(result.keywords).not.toContain(stop);
  });

  it('is deterministic', () => {
    expect(tagStory(input)).toEqual(result);
  });
});

describe('tagStory on an English story', () => {
  const input = loadStory('story-en.txt', 'en');
  const result = tagStory(input);

  it('finds places, organisations and people from the gazetteer', () => {
    expect(entity(result, 'Q232').mentions.map((m) => m.surface)).toContain("Kazakhstan's");
    expect(entity(result, 'Q458').mentions.map((m) => m.surface)).toEqual(['EU', 'European Union', 'EU']);
    expect(entity(result, 'Q239').type).toBe('place');
    expect(entity(result, 'Q8880').type).toBe('organisation');
    expect(entity(result, 'Q60772').name).toBe('Ursula von der Leyen');
    expect(entity(result, 'person:kassym-jomart-tokayev').mentions[0]?.surface).toBe('Kassym-Jomart Tokayev');
    for (const id of ['Q1520', 'Q35493', 'Q84', 'Q30', 'Q148']) expect(entity(result, id).type).toBe('place');
    expectMentionsPointIntoText(input, result);
  });

  it('finds a person missing from the gazetteer with the heuristic, at lower confidence', () => {
    const kemp = entity(result, 'person:daniel-kemp');
    expect(kemp).toMatchObject({ type: 'person', name: 'Daniel Kemp', source: 'heuristic' });
    expect(kemp.confidence).toBeLessThan(0.7);
  });

  it('gives a one-word name that is also a common word lower confidence', () => {
    expect(entity(result, 'Q148').confidence).toBeLessThan(entity(result, 'Q232').confidence);
  });

  it('tags mining', () => {
    expect(result.topics[0]?.code).toBe('medtop:20000316');
    expectValidTopics(result);
  });
});

describe('tagStory on a Ukrainian story', () => {
  const input = loadStory('story-uk.txt', 'uk');
  const result = tagStory(input);

  it('folds Ukrainian inflection, including vowel alternation (Харків/Харкова)', () => {
    expect(entity(result, 'Q1899').mentions.map((m) => m.surface)).toEqual(['Києві', 'Києві']);
    expect(entity(result, 'Q42308').mentions.map((m) => m.surface)).toEqual(['Харкова']);
    expect(entity(result, 'Q3052772').mentions.map((m) => m.surface)).toEqual(['Макроном', 'Емманюелем Макроном']);
    expect(entity(result, 'Q458').mentions.map((m) => m.surface)).toEqual(['Європейського Союзу']);
    for (const id of ['Q212', 'Q142', 'Q159']) expect(entity(result, id).type).toBe('place');
    expect(entity(result, 'Q3874799').name).toBe('Volodymyr Zelenskyy');
    expect(entity(result, 'person:andrii-sybiha').type).toBe('person');
    expectMentionsPointIntoText(input, result);
  });

  it('finds an unknown official with the heuristic and transliterates the name', () => {
    expect(entity(result, 'person:oksana-kovalenko')).toMatchObject({ name: 'Oksana Kovalenko', source: 'heuristic' });
  });

  it('tags diplomacy, not the shelling its last paragraph mentions', () => {
    expect(result.topics[0]).toMatchObject({ code: 'medtop:20000639' });
    expect(result.topics.filter((t) => t.score >= DEFAULT_TOPIC_ROUTING_THRESHOLD).map((t) => t.ancestors.at(-1))).toEqual(['medtop:11000000']);
    expectValidTopics(result);
  });
});

describe('Tagger', () => {
  const fixed = (source: string, confidence: number, offset: number): EntityRecognizer => ({
    source,
    recognise: (): EntityCandidate[] => [
      {
        id: 'person:ivan-petrov',
        type: 'person',
        name: 'Ivan Petrov',
        mentions: [{ surface: 'Иван Петров', offset }],
        confidence,
        source,
        tokenSpans: [],
      },
    ],
  });

  it('merges entities of several recognisers by id, keeping every source', () => {
    const tagger = new Tagger({ recognizers: [fixed('heuristic', 0.5, 10), fixed('external', 0.8, 30)] });
    const [merged, ...rest] = tagger.tag({ headline: 'x', body: 'y', language: 'ru' }).entities;
    expect(rest).toEqual([]);
    expect(merged).toMatchObject({ id: 'person:ivan-petrov', confidence: 0.8, source: 'external+heuristic' });
    expect(merged?.mentions.map((m) => m.offset)).toEqual([10, 30]);
  });

  it('accepts region subtags and unknown languages', () => {
    const body = 'Делегация Монголии прибыла в Вашингтон.';
    const ids = (language: string): string[] => tagStory({ headline: 'Визит', body, language }).entities.map((e) => e.id);
    expect(ids('ru-RU')).toEqual(['Q711', 'Q61']);
    expect(ids('und')).toEqual(['Q711', 'Q61']);
  });

  it('copes with an empty story', () => {
    expect(tagStory({ headline: '', body: '', language: 'en' })).toEqual({ entities: [], topics: [], keywords: [], keywordScores: [] });
  });
});
