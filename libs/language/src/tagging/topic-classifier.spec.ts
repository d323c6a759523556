import { loadGazetteer } from './gazetteer';
import { mediaTopics } from './media-topics';
import { tagStory } from './tagger';
import { TOPIC_RULES } from './topic-rules';

function topicCodes(headline: string, body: string, language: string): string[] {
  return tagStory({ headline, body, language }).topics.map((topic) => topic.code);
}

describe('IPTC Media Topics vocabulary', () => {
  const vocabulary = mediaTopics();

  it('holds every live concept of the 2023-10 export and knows the retired ones', () => {
    expect(vocabulary.size).toBe(1099);
    expect(vocabulary.get('medtop:20000316')?.name).toBe('metal and mineral mining and refining');
    expect(vocabulary.isRetired('medtop:20000030')).toBe(true); // music theatre, retired 2021
    expect(vocabulary.get('medtop:20000030')).toBeUndefined();
  });

  it('lists ancestors nearest first', () => {
    expect(vocabulary.ancestors('medtop:20000316')).toEqual(['medtop:20000209', 'medtop:04000000']);
    expect(vocabulary.ancestors('medtop:20000640')).toEqual(['medtop:20000639', 'medtop:20000638', 'medtop:11000000']);
    expect(vocabulary.ancestors('medtop:11000000')).toEqual([]);
  });
});

describe('topic rules', () => {
  const vocabulary = mediaTopics();

  it.each(TOPIC_RULES.map((rule) => [rule.code, rule] as const))('%s exists, is not retired and has ru/en/uk terms', (code, rule) => {
    expect(vocabulary.get(code)).toBeDefined();
    expect(vocabulary.isRetired(code)).toBe(false);
    for (const language of ['ru', 'en', 'uk'] as const) expect(rule.terms[language]?.length).toBeGreaterThan(0);
  });

  it('names only entities the gazetteer has', () => {
    const ids = new Set(loadGazetteer().entries.map((entry) => entry.id));
    for (const rule of TOPIC_RULES) {
      for (const pattern of rule.entities ?? []) {
        const known = pattern.endsWith('*') ? [...ids].some((id) => id.startsWith(pattern.slice(0, -1))) : ids.has(pattern);
        expect({ rule: rule.code, pattern, known }).toEqual({ rule: rule.code, pattern, known: true });
      }
    }
  });

  it('has one rule per code', () => {
    const codes = TOPIC_RULES.map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe('RuleTopicClassifier', () => {
  it('classifies stories of several kinds in several languages', () => {
    expect(
      topicCodes(
        'Voters head to the polls in presidential election',
        'Turnout was high as voters cast their ballots in the presidential election on Sunday. Polling stations closed at 8pm.',
        'en',
      ),
    ).toEqual(expect.arrayContaining(['medtop:20000579']));
    expect(
      topicCodes(
        'Землетрясение магнитудой 6,1 произошло на юге страны',
        'Подземные толчки ощущались в нескольких городах. Землетрясение разрушило несколько домов.',
        'ru',
      ),
    ).toEqual(['medtop:20000153']);
    expect(
      topicCodes('Нацбанк підвищив облікову ставку', 'Інфляція прискорилася, тому Нацбанк підвищив облікову ставку до 16%. Інфляція може сповільнитися.', 'uk'),
    ).toEqual(expect.arrayContaining(['medtop:20000371', 'medtop:20000370']));
  });

  it('reports the most specific code, folding a fired ancestor into it', () => {
    const codes = topicCodes(
      'Election held',
      'The parliamentary election was the first general election since the electoral reform; voters and candidates...',
      'en',
    );
    expect(codes).toContain('medtop:20000579');
    expect(codes).not.toContain('medtop:20000574');
  });

  it('ignores a passing mention and stop words that share a stem with a term', () => {
    expect(topicCodes('Новости', 'Коронавирус в Монголии. Карта распространения.', 'ru')).toEqual([]);
    expect(topicCodes('Новости', 'И он, и она, и они пришли и ушли.', 'ru')).toEqual([]);
  });

  it('does not count words that belong to an entity name', () => {
    // One FAA mention is one piece of evidence for air transport; "авиации" inside its name is not a second.
    const codes = topicCodes('Новости', 'Рейтинг присвоило Федеральное управление гражданской авиации США.', 'ru');
    expect(codes).not.toContain('medtop:20000338');
  });
});
