import { statSync } from 'node:fs';
import * as path from 'node:path';
import { crossValidateNer } from '../../evaluation/ner-cross-validation';
import { goldSpans, loadFactru } from '../../evaluation/factru';
import { tagStory } from '../tagger';
import { analyseWord, nominativeOf } from './morphology';
import { PerceptronModel, trainPerceptron, TAGS, type BioTag, type Instance } from './perceptron';
import { bioToSpans, loadRussianNerModel } from './recognizer';
import { documentFolds, trainRussianNer } from './train';

const FIXTURES = path.join(__dirname, '..', '..', 'evaluation', 'fixtures', 'factru');

describe('Russian NER on a story it was never trained on', () => {
  // Written for this test: not from factRuEval, so the shipped model has not seen it.
  const body =
    'Губернатор Новосибирской области Андрей Травников провёл встречу с руководством компании в Новосибирске. ' +
    'Как сообщил Травников, соглашение подпишут в Томске. Позже депутат Государственной думы Ольга Кузнецова ' +
    'поддержала инициативу. Ольгу Кузнецову поддержал и Юрий Лужков.';
  const result = tagStory({ headline: 'Соглашение подпишут в Томске', body, language: 'ru' });
  const byId = new Map(result.entities.map((entity) => [entity.id, entity]));
  const surfaces = (id: string): string[] => byId.get(id)?.mentions.map((mention) => mention.surface) ?? [`<no ${id} among ${[...byId.keys()].join(', ')}>`];

  it('finds people with a full name and later by surname alone, named in the nominative', () => {
    expect(surfaces('person:andrey-travnikov')).toEqual(['Андрей Травников', 'Травников']);
    expect(byId.get('person:olga-kuznetsova')).toMatchObject({ name: 'Olga Kuznetsova', type: 'person', source: 'ner' });
    expect(surfaces('person:olga-kuznetsova')).toEqual(['Ольга Кузнецова', 'Ольгу Кузнецову']);
    expect(byId.get('person:yuriy-luzhkov')?.type).toBe('person');
  });

  it('finds places missing from the gazetteer and names them in the nominative', () => {
    expect(byId.get('place:novosibirsk')).toMatchObject({ name: 'Novosibirsk', type: 'place' });
    expect(surfaces('place:tomsk')).toEqual(['Томске', 'Томске']);
    expect(byId.get('place:novosibirskaya-oblast')?.mentions[0]?.surface).toBe('Новосибирской области');
  });

  it('keeps the gazetteer identity of a known organisation the model confirms', () => {
    expect(byId.get('organisation:state-duma')).toMatchObject({ name: 'State Duma', source: 'gazetteer' });
    expect(surfaces('organisation:state-duma')).toEqual(['Государственной думы']);
  });

  it('tags nothing else: no common word, no role word', () => {
    for (const entity of result.entities) for (const mention of entity.mentions) expect(mention.surface).toMatch(/^\p{Lu}/u);
    expect(result.entities.map((entity) => entity.id).sort()).toEqual(
      [
        'organisation:state-duma',
        'person:andrey-travnikov',
        'person:olga-kuznetsova',
        'person:yuriy-luzhkov',
        'place:novosibirsk',
        'place:novosibirskaya-oblast',
        'place:tomsk',
      ].sort(),
    );
  });
});

describe('morphology (az)', () => {
  it('marks proper names with their grammemes and lemmas', () => {
    expect(analyseWord('Монголии')).toMatchObject({ lemma: 'монголия', first: ['Geox'], known: true });
    expect(analyseWord('Лужкова').first).toContain('Surn');
  });

  it('puts words in the nominative, in a given gender', () => {
    expect(nominativeOf('Кузнецовой', { prefer: 'Surn', gender: 'femn' }).word).toBe('кузнецова');
    expect(nominativeOf('Новосибирской', { gender: 'femn' }).word).toBe('новосибирская');
    expect(nominativeOf('Томске').word).toBe('томск');
  });
});

describe('perceptron', () => {
  // A toy language: capitalised words after "мэр" are people, after "в" places.
  const sentence = (words: string[], tags: BioTag[]): Instance => ({
    features: words.map((word, index) => ['b', `w=${word}`, `p1=${words[index - 1] ?? '<s>'}`, /^\p{Lu}/u.test(word) ? 'cap' : 'low']),
    tags,
  });
  const data: Instance[] = [
    sentence(['мэр', 'Иванов', 'приехал', 'в', 'Омск'], ['O', 'B-PER', 'O', 'O', 'B-LOC']),
    sentence(['мэр', 'Петров', 'Сидоров', 'уехал'], ['O', 'B-PER', 'I-PER', 'O']),
    sentence(['в', 'Томск', 'и', 'в', 'Тверь'], ['O', 'B-LOC', 'O', 'O', 'B-LOC']),
    sentence(['мэр', 'Смирнов', 'был', 'в', 'Курске'], ['O', 'B-PER', 'O', 'O', 'B-LOC']),
  ];

  it('learns the training data and generalises by context', () => {
    const model = trainPerceptron(data, { epochs: 10, seed: 1, minCount: 1 });
    for (const instance of data) expect(model.decode(instance.features)).toEqual(instance.tags);
    const unseen = sentence(['мэр', 'Кузнецов', 'был', 'в', 'Уфе'], ['O', 'B-PER', 'O', 'O', 'B-LOC']);
    expect(model.decode(unseen.features)).toEqual(unseen.tags);
  });

  it('never continues an entity across a break, and never starts one with I-', () => {
    const model = trainPerceptron(data, { epochs: 10, seed: 1, minCount: 1 });
    const pair = data[1]!;
    expect(model.decode(pair.features)[2]).toBe('I-PER');
    expect(model.decode(pair.features, [false, false, true, false])[2]).not.toMatch(/^I-/);
    const weights = new Map([['b', Float64Array.from(TAGS.map((tag) => (tag === 'I-ORG' ? 5 : 0)))]]);
    expect(new PerceptronModel(weights).decode([['b'], ['b']])[0]).not.toMatch(/^I-/);
  });

  it('round-trips through the model file', () => {
    const model = trainPerceptron(data, { epochs: 10, seed: 1, minCount: 1 });
    const copy = PerceptronModel.fromFile(model.toFile());
    for (const instance of data) expect(copy.decode(instance.features)).toEqual(model.decode(instance.features));
    expect(copy.toFile()).toEqual(model.toFile());
  });

  it('turns BIO tags into spans', () => {
    expect(bioToSpans(['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'I-LOC'])).toEqual([
      { start: 0, end: 2, type: 'PER' },
      { start: 3, end: 4, type: 'LOC' },
      { start: 4, end: 6, type: 'LOC' },
    ]);
  });
});

describe('training on factRuEval documents', () => {
  const docs = loadFactru(FIXTURES);

  it('reproduces identical weights with the same seed', () => {
    const options = { epochs: 3, seed: 7, minCount: 1 };
    const first = trainRussianNer(docs, options).toFile();
    expect(first.weights.length).toBeGreaterThan(0);
    expect(trainRussianNer(docs, options).toFile()).toEqual(first);
  });

  it('splits documents into folds that never share a document', () => {
    const ids = Array.from({ length: 122 }, (_, index) => String(index * 5));
    const folds = documentFolds(ids, 5, 1);
    expect(folds).toHaveLength(5);
    const all = folds.flat();
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...ids].sort());
    for (const fold of folds) expect(fold.length === 24 || fold.length === 25).toBe(true);
    expect(documentFolds(ids, 5, 1)).toEqual(folds);
    expect(documentFolds(ids, 5, 2)).not.toEqual(folds);
    expect(() => documentFolds(ids, 1, 1)).toThrow(/folds/);
  });

  it('cross-validation scores every document exactly once, held out', () => {
    const result = crossValidateNer(docs, 2, { epochs: 2, seed: 1, minCount: 1 });
    expect(result.folds.map((fold) => fold.documents.length)).toEqual([1, 1]);
    const goldPer = docs.flatMap(goldSpans).filter((span) => span.type === 'PER').length;
    expect(result.pooled.strict.PER.support).toBe(goldPer);
  });
});

describe('the shipped model', () => {
  it('is small and loads with transition weights', () => {
    const file = path.join(__dirname, '..', '..', '..', 'data', 'ner-ru-model.json');
    expect(statSync(file).size).toBeLessThan(3_000_000);
    const model = loadRussianNerModel();
    expect(model.weights.has('T:<s>')).toBe(true);
    expect(model.weights.size).toBeGreaterThan(1000);
  });
});
