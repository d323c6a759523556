import { OrganisationPatternRecognizer } from './organisation-patterns';
import { analyse } from './tagger';

function organisations(body: string): string[] {
  return new OrganisationPatternRecognizer()
    .recognise(analyse({ headline: 'Новости', body, language: 'ru' }), new Set())
    .flatMap((candidate) => candidate.mentions.map((mention) => mention.surface));
}

describe('OrganisationPatternRecognizer', () => {
  it('takes quoted names after an organisation word, without the quotes', () => {
    expect(organisations('Акции компании «Северная звезда» выросли.')).toEqual(['Северная звезда']);
    expect(organisations('Вышел фильм «Северная звезда».')).toEqual([]);
  });

  it('takes abbreviations except common non-names, and Latin names in Cyrillic text', () => {
    expect(organisations('Решение ФИФА обсуждали в СМИ, а Facebook и World Fashion Channel промолчали.')).toEqual([
      'ФИФА',
      'Facebook',
      'World Fashion Channel',
    ]);
  });

  it('takes capitalised phrases headed by an organisation noun', () => {
    expect(organisations('Решение вынес Конституционный суд, его поддержало Министерство иностранных дел.')).toEqual([
      'Конституционный суд',
      'Министерство иностранных дел',
    ]);
  });

  it('stays out of English stories', () => {
    expect(new OrganisationPatternRecognizer().recognise(analyse({ headline: 'x', body: 'NASA and Facebook met.', language: 'en' }), new Set())).toEqual([]);
  });
});
