import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExtractedEntity, TaggingResult } from '@syndication/contracts';
import { stemKazakh, stemMongolian } from './agglutinative-stemmers';
import { mediaTopics } from './media-topics';
import { HEADLINE_SEPARATOR, tagStory } from './tagger';
import { transliterateName } from './transliteration';
import type { TagInput } from './types';

function loadStory(file: string, language: string): TagInput {
  const raw = fs.readFileSync(path.join(__dirname, 'fixtures', file), 'utf8');
  const [headline = '', ...rest] = raw.split('\n');
  return { headline, body: rest.join('\n'), language };
}

function entity(result: TaggingResult, id: string): ExtractedEntity {
  const found = result.entities.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no entity ${id} among ${result.entities.map((e) => `${e.id} ${e.name}`).join(', ')}`);
  return found;
}

function expectWellFormed(input: TagInput, result: TaggingResult): void {
  const text = `${input.headline}${HEADLINE_SEPARATOR}${input.body}`;
  const vocabulary = mediaTopics();
  for (const found of result.entities) {
    expect(found.name).toMatch(/^[\p{Script=Latin}\p{N}\s.,'’()-]+$/u);
    for (const mention of found.mentions) expect(text.slice(mention.offset, mention.offset + mention.surface.length)).toBe(mention.surface);
  }
  for (const topic of result.topics) {
    expect(vocabulary.isRetired(topic.code)).toBe(false);
    expect(topic.ancestors).toEqual(vocabulary.ancestors(topic.code));
  }
}

describe('transliterateName', () => {
  it.each([
    ['Батцэцэг Батмөнх', 'ru', 'Battsetseg Batmunkh'],
    ['Батцэцэг Батмөнх', 'mn', 'Battsetseg Batmunkh'],
    ['Ухнаагийн Хүрэлсүх', 'mn', 'Ukhnaagiin Khurelsukh'],
    ['Андрій Сибіга', 'uk', 'Andrii Sybiha'],
    ['Юлія Свириденко', 'uk', 'Yuliia Svyrydenko'],
    ['Ержан Сәрсенбаев', 'kk', 'Erzhan Sarsenbaev'],
    ['Иван Петров', 'ru', 'Ivan Petrov'],
  ])('%s (%s) -> %s', (name, language, expected) => {
    expect(transliterateName(name, language)).toBe(expected);
  });
});

describe('Kazakh and Mongolian suffix stripping', () => {
  it.each([
    ['орындарының', 'орын'],
    ['министрлігі', 'министрліг'],
    ['Тоқаевтың'.toLowerCase(), 'тоқаев'],
    ['астанада', 'астана'],
    ['аққа', 'аққа'],
  ])('kk %s -> %s', (word, stem) => {
    expect(stemKazakh(word)).toBe(stem);
  });

  it.each([
    ['улсад', 'улс'],
    ['улаанбаатарт', 'улаанбаатар'],
    ['хорооны', 'хороо'],
    ['намын', 'нам'],
    ['ану-ын', 'ану'],
    ['сайд', 'сайд'],
  ])('mn %s -> %s', (word, stem) => {
    expect(stemMongolian(word)).toBe(stem);
  });
});

describe('tagStory on a Kazakh story', () => {
  const input = loadStory('story-kk.txt', 'kk');
  const result = tagStory(input);

  it('finds gazetteer entities through Kazakh case suffixes', () => {
    expect(entity(result, 'Q711').mentions.map((m) => m.surface)).toContain('Моңғолияның');
    expect(entity(result, 'Q1520').mentions.map((m) => m.surface)).toEqual(['Астанада']);
    expect(entity(result, 'person:kassym-jomart-tokayev').type).toBe('person');
    expect(entity(result, 'person:battsetseg-batmunkh').mentions.map((m) => m.surface)).toEqual(['Батмөнхийн Батцэцэгті']);
    expect(entity(result, 'organisation:national-bank-of-kazakhstan').type).toBe('organisation');
    expect(entity(result, 'person:olzhas-bektenov').name).toBe('Olzhas Bektenov');
  });

  it('finds an unknown person by first name and an unknown ministry by its head noun', () => {
    expect(entity(result, 'person:erzhan-sarsenbaev')).toMatchObject({ name: 'Erzhan Sarsenbaev', type: 'person', source: 'heuristic' });
    expect(entity(result, 'organisation:karzhy-ministrligi')).toMatchObject({ type: 'organisation', source: 'pattern' });
  });

  it('tags diplomacy and mining in Kazakh', () => {
    expect(result.topics.map((t) => t.code)).toEqual(expect.arrayContaining(['medtop:20000639', 'medtop:20000316']));
    expectWellFormed(input, result);
  });
});

describe('tagStory on a Mongolian story', () => {
  const input = loadStory('story-mn.txt', 'mn');
  const result = tagStory(input);

  it('links the initialled and the patronymic forms of a name to one person', () => {
    const battsetseg = entity(result, 'person:battsetseg-batmunkh');
    expect(battsetseg.name).toBe('Battsetseg Batmunkh');
    expect(battsetseg.mentions.map((m) => m.surface)).toEqual(['Б.Батцэцэг', 'Батмөнхийн Батцэцэг']);
    expect(entity(result, 'Q324546').mentions.map((m) => m.surface)).toEqual(['Марко Рубиотой']);
    expect(entity(result, 'Q30').mentions.map((m) => m.surface)).toEqual(['АНУ-ын']);
    expect(entity(result, 'organisation:bank-of-mongolia').type).toBe('organisation');
  });

  it('turns an unknown "Patronymic-ийн Given" name into "Given Patronymic"', () => {
    expect(entity(result, 'person:ganbaatar-dashdorj')).toMatchObject({ name: 'Ganbaatar Dashdorj', source: 'heuristic' });
  });

  it('finds a ministry by its head noun', () => {
    expect(entity(result, 'organisation:sangiin-yaam').mentions.map((m) => m.surface)).toEqual(['Сангийн яам']);
  });

  it('tags diplomacy and mining in Mongolian', () => {
    expect(result.topics.map((t) => t.code)).toEqual(expect.arrayContaining(['medtop:20000639', 'medtop:20000316']));
    expectWellFormed(input, result);
  });
});

describe('tagStory on an English politics story', () => {
  const input = loadStory('story-en-politics.txt', 'en');
  const result = tagStory(input);

  it('finds people introduced by a title or role word', () => {
    const reeves = entity(result, 'person:rachel-reeves');
    expect(reeves.mentions.map((m) => m.surface)).toEqual(['Rachel Reeves', 'Rachel Reeves', 'Reeves']);
    expect(reeves.confidence).toBeLessThan(0.9);
    expect(entity(result, 'person:priya-natarajan').type).toBe('person');
    expect(entity(result, 'Q324546').mentions.map((m) => m.surface)).toEqual(['Marco Rubio']);
  });

  it('finds organisations by their head noun and the gazetteer', () => {
    expect(entity(result, 'organisation:bank-of-england').mentions).toHaveLength(2);
    expect(entity(result, 'organisation:resolution-foundation')).toMatchObject({ type: 'organisation', source: 'pattern' });
    expect(entity(result, 'Q145').mentions.map((m) => m.surface)).toEqual(['Britain']);
  });

  it('tags the budget and parliament, not a court', () => {
    const codes = result.topics.map((t) => t.code);
    expect(codes).toEqual(expect.arrayContaining(['medtop:20000607', 'medtop:20000615']));
    expect(codes).not.toContain('medtop:20000107');
    expectWellFormed(input, result);
  });
});

describe('topics in every language', () => {
  const codes = (headline: string, body: string, language: string): string[] =>
    tagStory({ headline, body, language }).topics.map((topic) => topic.code);
  const topLevels = (list: string[]): string[] => [...new Set(list.map((code) => mediaTopics().topLevel(code)))];

  it.each([
    ['en', 'Phillies sweep Braves', 'The pitcher struck out nine over seven innings and the home run in the eighth sealed the win. The team leads the league this season.', '15000000'],
    ['ru', 'Сборная проиграла в финале', 'Команда уступила в финале чемпионата, тренер признал поражение. Следующий матч сезона пройдёт в Астане.', '15000000'],
    ['uk', 'Землетрус у Туреччині', 'Рятувальники шукають постраждалих після землетрусу. Кількість загиблих зросла, триває евакуація.', '03000000'],
    ['kk', 'Ауа райы бойынша ескерту', 'Синоптиктер қатты аяз бен қар болатынын ескертті. Ауа температурасы минус отыз градусқа дейін төмендейді.', '17000000'],
    ['mn', 'Сонгуулийн дүн', 'Сонгуулийн хэсгүүдэд сонгогчдын ирц өндөр байв. Ерөнхий сайд, Их Хурлын гишүүд сонгуулийн хуулийг хэлэлцэнэ.', '11000000'],
  ])('%s: %s -> %s', (language, headline, body, top) => {
    expect(topLevels(codes(headline, body, language))).toContain(`medtop:${top}`);
  });

  it('finds a concept only the vocabulary itself names (English)', () => {
    expect(codes('Cheerleading squads compete', 'Cheerleading teams from twelve schools met for the cheerleading finals.', 'en')).toContain('medtop:20001309');
  });

  it('never emits a retired code', () => {
    // "music theatre" (20000030) was retired in 2021; its words must not bring it back.
    expect(codes('Music theatre festival', 'Music theatre and music theatre productions opened the season.', 'en')).not.toContain('medtop:20000030');
  });
});
