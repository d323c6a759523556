import { FrequencyKeywordExtractor } from './keywords';
import { PersonHeuristicRecognizer } from './person-heuristic';
import { analyse } from './tagger';

function people(body: string, language: string): Array<{ id: string; name: string; surfaces: string[] }> {
  return new PersonHeuristicRecognizer()
    .recognise(analyse({ headline: 'Новости', body, language }), new Set())
    .map((candidate) => ({ id: candidate.id, name: candidate.name, surfaces: candidate.mentions.map((m) => m.surface) }));
}

describe('PersonHeuristicRecognizer', () => {
  it('finds first name + surname pairs away from the sentence start', () => {
    expect(people('Об этом рассказал министр Ержан Касымов на брифинге.', 'ru')).toEqual([
      { id: 'person:erzhan-kasymov', name: 'Erzhan Kasymov', surfaces: ['Ержан Касымов'] },
    ]);
    expect(people('The report was written by Sarah Connolly, an economist.', 'en')).toEqual([
      { id: 'person:sarah-connolly', name: 'Sarah Connolly', surfaces: ['Sarah Connolly'] },
    ]);
  });

  it('keeps a patronymic as part of the name', () => {
    expect(people('Указ подписал губернатор Пётр Сергеевич Иванченко.', 'ru')[0]?.surfaces).toEqual(['Пётр Сергеевич Иванченко']);
  });

  it('ignores sentence starts without a known first name, Title Case phrases and single capitalised words', () => {
    expect(people('Северный Поток запущен снова.', 'ru')).toEqual([]);
    expect(people('Вчера Москва и Пекин подписали договор.', 'ru')).toEqual([]);
    expect(people('The Critical Minerals Ministerial Meeting took place in Washington.', 'en')).toEqual([]);
    expect(people('Ранее Госдепартамент объявил о встрече. Об этом сообщает MiddleAsianNews.', 'ru')).toEqual([]);
  });

  it('trusts a known first name at a sentence start, in any case form', () => {
    expect(people('Иван Петров заявил об отставке.', 'ru')[0]?.surfaces).toEqual(['Иван Петров']);
    expect(people('Суд оправдал Виктора Бута вчера.', 'ru')[0]?.surfaces).toEqual(['Виктора Бута']);
  });

  it('finds a surname after a role word and after initials', () => {
    expect(people('Об этом заявил президент Обама на встрече.', 'ru')[0]?.surfaces).toEqual(['Обама']);
    expect(people('Документ подписал В. В. Козлов вчера.', 'ru')[0]?.surfaces).toEqual(['В. В. Козлов']);
  });

  it('skips tokens that an earlier recogniser claimed', () => {
    const story = analyse({ headline: 'x', body: 'Встречу провёл Иван Петров.', language: 'ru' });
    const claimed = new Set(story.tokens.filter((t) => t.raw === 'Петров').map((t) => t.index));
    expect(new PersonHeuristicRecognizer().recognise(story, claimed)).toEqual([]);
  });
});

describe('FrequencyKeywordExtractor', () => {
  it('ranks content words by frequency, headline words first on ties, as scored dictionary forms', () => {
    const story = analyse({
      headline: 'Добыча лития растёт',
      body: 'Добыча лития в регионе выросла. Компании увеличили добычу, а экспорт лития вырос вдвое.',
      language: 'ru',
    });
    const keywords = new FrequencyKeywordExtractor(3).extract(story, new Set());
    expect(keywords).toEqual([
      { text: 'добыча', score: 1 },
      { text: 'литий', score: 1 },
      { text: 'расти', score: 0.5 },
    ]);
  });

  it('leaves out stop words, numbers and claimed tokens', () => {
    const story = analyse({ headline: 'Budget', body: 'The budget of 2025 is the budget that the minister said would pass.', language: 'en' });
    const claimed = new Set(story.tokens.filter((t) => t.norm === 'minister').map((t) => t.index));
    const keywords = new FrequencyKeywordExtractor().extract(story, claimed).map((keyword) => keyword.text);
    expect(keywords[0]).toBe('budget');
    for (const absent of ['the', 'of', '2025', 'said', 'minister']) expect(keywords).not.toContain(absent);
  });
});
