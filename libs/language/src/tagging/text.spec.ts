import { analyzerFor, stemUkrainian, ukrainianKeys } from './analyzer';
import { slugify, tokenize, transliterate } from './text';

describe('tokenize', () => {
  it('keeps offsets, casing facts and separators', () => {
    const text = 'Глава МИД Монголии, Батцэцэг Батмөнх.\n\nUS officials';
    const tokens = tokenize(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual(tokens.map((t) => t.raw));
    expect(tokens.map((t) => t.raw)).toEqual(['Глава', 'МИД', 'Монголии', 'Батцэцэг', 'Батмөнх', 'US', 'officials']);
    expect(tokens.map((t) => t.sentenceInitial)).toEqual([true, false, false, false, false, true, false]);
    expect(tokens.map((t) => t.gapBefore)).toEqual(['', ' ', ' ', ', ', ' ', '\n', ' ']);
    expect(tokens[1]).toMatchObject({ acronym: true, capitalised: true, latin: false });
    expect(tokens[5]).toMatchObject({ acronym: true, latin: true });
  });

  it('normalises ё, apostrophes and English possessives, and keeps hyphenated words whole', () => {
    expect(tokenize("Соединённые Штаты, Russia's, М’янма, Улан-Батор").map((t) => t.norm)).toEqual([
      'соединенные',
      'штаты',
      'russia',
      "м'янма",
      'улан-батор',
    ]);
  });
});

describe('analyzers', () => {
  it('stems Russian with Snowball, hyphenated names on their last part', () => {
    const ru = analyzerFor('ru');
    expect(ru.stem('монголии', false)).toBe(ru.stem('монголия', false));
    expect(ru.stem('вашингтоне', false)).toBe('вашингтон');
    expect(ru.stem('улан-батора', false)).toBe('улан-батор');
    expect(ru.stem('ministers', true)).toBe('minist');
    expect(ru.cyrillicMode).toBe('stem');
  });

  it('strips Ukrainian endings conservatively and wildcards alternating vowels', () => {
    expect(stemUkrainian('монголії')).toBe('монгол');
    expect(stemUkrainian('державного')).toBe('державн');
    expect(stemUkrainian('сша')).toBe('сша');
    expect(ukrainianKeys('харків')).toEqual(expect.arrayContaining(['харк*в']));
    expect(ukrainianKeys('харкова')).toEqual(['харк*в']);
    expect(ukrainianKeys('києві')).toContain('ки*в');
    expect(ukrainianKeys('київ')).toContain('ки*в');
  });

  it('falls back to prefix matching for Mongolian and Kazakh', () => {
    expect(analyzerFor('kk').cyrillicMode).toBe('prefix');
    expect(analyzerFor('mn').cyrillicMode).toBe('prefix');
    expect(analyzerFor('mn').stem('монголын', false)).toBe('монгол');
  });
});

describe('transliteration', () => {
  it('spells Cyrillic names in Latin letters and makes slugs', () => {
    expect(transliterate('Оксана Коваленко')).toBe('Oksana Kovalenko');
    expect(transliterate('Батцэцэг Батмөнх')).toBe('Battsetseg Batmonkh');
    expect(slugify('Ержан Қасымов')).toBe('erzhan-qasymov');
    expect(slugify('Recep Tayyip Erdoğan')).toBe('recep-tayyip-erdogan');
  });
});
