import countries from 'i18n-iso-countries';
import { GAZETTEER_LANGUAGES, GazetteerRecognizer, loadGazetteer } from './gazetteer';
import { analyse } from './tagger';

function recognise(body: string, language: string, headline = 'Новости'): Array<{ id: string; surfaces: string[]; confidence: number }> {
  const story = analyse({ headline, body, language });
  return new GazetteerRecognizer()
    .recognise(story, new Set())
    .map((candidate) => ({
      id: candidate.id,
      surfaces: candidate.mentions.map((mention) => mention.surface),
      confidence: candidate.confidence,
    }));
}

function ids(body: string, language: string): string[] {
  return recognise(body, language).map((found) => found.id);
}

describe('gazetteer data', () => {
  const { entries } = loadGazetteer();

  it('has unique ids that are Wikidata QIDs or typed slugs', () => {
    expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
    for (const entry of entries) {
      expect(entry.id).toMatch(/^(Q\d+|(person|organisation|place):[a-z0-9-]+)$/);
      if (!entry.id.startsWith('Q')) expect(entry.id.startsWith(`${entry.type}:`)).toBe(true);
    }
  });

  it('gives every entity a canonical English name and surface forms in known languages', () => {
    for (const entry of entries) {
      expect(entry.name.trim()).not.toBe('');
      const languages = Object.keys(entry.forms);
      expect(languages.length).toBeGreaterThan(0);
      for (const language of languages) expect(GAZETTEER_LANGUAGES).toContain(language);
    }
  });

  it('covers every ISO 3166 country and territory, in all five languages for the large ones', () => {
    const places = entries.filter((entry) => entry.type === 'place' && /^Q\d+$/.test(entry.id));
    expect(places.length).toBeGreaterThanOrEqual(Object.keys(countries.getAlpha2Codes()).length);
    const mongolia = entries.find((entry) => entry.id === 'Q711');
    expect(Object.keys(mongolia?.forms ?? {}).sort()).toEqual(['en', 'kk', 'mn', 'ru', 'uk']);
  });

  it('has the seed story entities with their expected QIDs', () => {
    const byId = new Map(entries.map((entry) => [entry.id, entry]));
    expect(byId.get('Q61')?.name).toBe('Washington, D.C.');
    expect(byId.get('Q789915')?.forms.ru).toContain('Госдеп');
    expect(byId.get('Q324546')?.forms.ru).toContain('Марко Рубио');
    expect(byId.get('person:battsetseg-batmunkh')?.forms.ru).toContain('Батцэцэг Батмөнх');
  });
});

describe('GazetteerRecognizer', () => {
  it('matches Russian case forms through stems', () => {
    expect(recognise('Делегация из Монголии и делегация Казахстана прибыли в Вашингтон.', 'ru')).toEqual([
      { id: 'Q711', surfaces: ['Монголии'], confidence: 0.8 },
      { id: 'Q232', surfaces: ['Казахстана'], confidence: 0.8 },
      { id: 'Q61', surfaces: ['Вашингтон'], confidence: 0.9 },
    ]);
    expect(ids('Встреча прошла в Вашингтоне под руководством госсекретарем Марко Рубио.', 'ru')).toEqual(['Q61', 'Q324546']);
  });

  it('prefers the longest match and keeps nested places as weaker mentions', () => {
    const found = recognise('Государственный департамент США сообщил, что США поддерживают проект.', 'ru');
    expect(found).toEqual([
      { id: 'Q789915', surfaces: ['Государственный департамент США'], confidence: 0.95 },
      { id: 'Q30', surfaces: ['США', 'США'], confidence: 0.97 },
    ]);
    expect(recognise('Государственный департамент США', 'ru')[1]).toEqual({ id: 'Q30', surfaces: ['США'], confidence: 0.7 });
  });

  it('tells similar names apart', () => {
    expect(ids('Власти Нигерии и власти Нигера подписали соглашение.', 'ru')).toEqual(['Q1033', 'Q1032']);
    expect(ids('Посол Австрии встретился с послом Австралии.', 'ru')).toEqual(['Q40', 'Q408']);
    expect(ids('Южный Судан и Судан договорились.', 'ru').sort()).toEqual(['Q1049', 'Q958']);
  });

  it('does not take common words for names', () => {
    expect(ids('Того же мнения придерживаются эксперты.', 'ru')).toEqual([]);
    expect(ids('Президент Того прибыл с визитом.', 'ru')).toEqual(['Q945']);
    expect(ids('Малые предприятия получат поддержку, а государственный департамент здравоохранения закрыт.', 'ru')).toEqual([]);
    expect(ids('В кабинете стоял мягкий стул, на полу лежал ковер.', 'ru')).toEqual([]);
    expect(ids('We will tell us about it, said the chairman of the committee.', 'en')).toEqual([]);
    expect(ids('Turkey and China sign a deal.', 'en')).toEqual(['Q148']);
  });

  it('matches a multi-word name whose first word is lower-cased when a capitalised word anchors it', () => {
    expect(ids('Об этом заявили в министерстве иностранных дел Монголии.', 'ru')).toEqual(['organisation:mfa-mongolia', 'Q711']);
  });

  it('handles English possessives, punctuation inside names and acronyms', () => {
    expect(recognise("Russia's envoy flew to Washington, D.C. to meet US officials.", 'en').map((f) => f.surfaces)).toEqual([
      ["Russia's"],
      ['Washington, D.C.'],
      ['US'],
    ]);
    expect(ids('The U.S. State Department and NATO issued statements.', 'en')).toEqual(['Q789915', 'Q30', 'Q7184']);
  });

  it('matches Ukrainian inflection and vowel alternation', () => {
    expect(ids('Делегація Монголії прибула до Києва, а потім до Львова.', 'uk')).toEqual(['Q711', 'Q1899', 'Q36036']);
    expect(ids('Держдеп заявив, що Сполучені Штати підтримують Молдову.', 'uk')).toEqual(['Q789915', 'Q30', 'Q217']);
  });

  it('matches agglutinated Kazakh and Mongolian forms by prefix', () => {
    expect(ids('Моңғолияның сыртқы істер министрі АҚШ-тың делегациясымен кездесті.', 'kk')).toEqual(['Q711', 'Q30']);
    expect(ids('Монгол Улсын Гадаад харилцааны сайд АНУ-ын Төрийн нарийн бичгийн даргатай уулзав.', 'mn')).toEqual(['Q711', 'Q30']);
    expect(ids('Улаанбаатар хотод болсон уулзалт.', 'mn')).toEqual(['Q23430']);
  });
});

describe('GazetteerRecognizer at sentence starts', () => {
  it('drops one-word short-stem matches there but keeps solid ones', () => {
    expect(ids('Мода на кроссовки вернулась. Премьер Моди прибыл в Пекин.', 'ru')).toEqual(['Q1058', 'Q956']);
    expect(ids('Trump said the talks in Washington went well. Washington rejected the claim.', 'en')).toEqual(['Q22686', 'Q61']);
  });
});

describe('GazetteerRecognizer and abbreviations', () => {
  it('does not inflect abbreviations or over-short stems into names', () => {
    expect(ids('Рабочая группа, включающая ГУ МЧС России, выехала на место.', 'ru')).toEqual(['Q159']);
  });
});
