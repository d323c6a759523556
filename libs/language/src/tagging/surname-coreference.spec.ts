import { tagStory } from './tagger';

describe('SurnameCoreferenceRecognizer', () => {
  it('links later surname-only mentions, in any case, to the person named in full', () => {
    const result = tagStory({
      headline: 'Шахматы',
      body: 'Партию выиграл Веселин Топалов. Соперник Топалова сдался, а Топалову вручили кубок.',
      language: 'ru',
    });
    const person = result.entities.find((entity) => entity.id === 'person:veselin-topalov');
    expect(person?.mentions.map((mention) => mention.surface)).toEqual(['Веселин Топалов', 'Топалова', 'Топалову']);
  });

  it('leaves capitalised words that are not the surname alone', () => {
    const result = tagStory({ headline: 'Шахматы', body: 'Партию выиграл Веселин Топалов. Турнир прошёл в Софии.', language: 'ru' });
    expect(result.entities.filter((entity) => entity.type === 'person').flatMap((e) => e.mentions.map((m) => m.surface))).toEqual([
      'Веселин Топалов',
    ]);
  });
});
