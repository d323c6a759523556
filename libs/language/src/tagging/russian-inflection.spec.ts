import { russianNameForms } from './russian-inflection';
import { analyse } from './tagger';
import { GazetteerRecognizer } from './gazetteer';

describe('russianNameForms', () => {
  it('declines nouns by their ending', () => {
    for (const [nominative, oblique] of [
      ['киев', 'киеве'],
      ['китай', 'китая'],
      ['россия', 'россией'],
      ['москва', 'москвы'],
      ['америка', 'америки'],
      ['беларусь', 'беларуси'],
      ['штаты', 'штатах'],
      ['санкт-петербург', 'санкт-петербурге'],
    ]) {
      expect([nominative, russianNameForms(nominative!).has(oblique!)]).toEqual([nominative, true]);
    }
  });

  it('declines adjectives and leaves indeclinable names alone', () => {
    expect(russianNameForms('южная').has('южной')).toBe(true);
    expect(russianNameForms('соединенные').has('соединенных')).toBe(true);
    expect([...russianNameForms('токио')]).toEqual(['токио']);
  });
});

describe('gazetteer matching with generated case forms', () => {
  it('finds inflected names that Snowball stems apart', () => {
    const story = analyse({ headline: 'Новости', body: 'Делегация Китая прибыла в Киеве, затем в Южной Корее.', language: 'ru' });
    const names = new GazetteerRecognizer().recognise(story, new Set()).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['China', 'Kyiv', 'South Korea']));
  });
});
