import { join } from 'node:path';
import { goldSpans, loadFactru } from './factru';
import { offlineNerSpans } from './ner-eval';
import { filterOverlapping, NerScorer, scoringTokens, spansIo, type NerSpan, type NerType } from './ner-score';

// Two short documents written for this test in factRuEval-2016 format (not taken from the corpus).
const FIXTURE = join(__dirname, 'fixtures', 'factru');

function at(text: string, surface: string, type: NerType): NerSpan {
  const start = text.indexOf(surface);
  if (start < 0) throw new Error(`${surface} not in text`);
  return { start, stop: start + surface.length, type };
}

const show = (text: string, spans: readonly NerSpan[]): string[] => spans.map((s) => `${s.type}:${text.slice(s.start, s.stop)}`);

describe('factRuEval gold under the naeval protocol', () => {
  const docs = loadFactru(FIXTURE);

  it('reads every book_<n> document in numeric order', () => {
    expect(docs.map((doc) => doc.id)).toEqual(['1', '2']);
    expect(docs[0]?.objects.map((o) => o.type)).toEqual(['Person', 'Org', 'LocOrg', 'Org', 'Location']);
  });

  it('takes a Person whole, only org_name of an Org and loc_name of a Location/LocOrg, and drops overlaps', () => {
    const [one, two] = docs;
    // "мэрию Москвы" has no org_name span, so it is no ORG; its LocOrg "Москвы" is a LOC.
    expect(show(one!.text, goldSpans(one!))).toEqual(['PER:Иван Петров', 'LOC:Москвы', 'ORG:Ромашка', 'LOC:Санкт-Петербурге']);
    // "МИД Грузии" (ORG) swallows the LOC "Грузии"; the Project and the job are not scored.
    expect(show(two!.text, goldSpans(two!))).toEqual(['ORG:МИД Грузии', 'PER:Анной Смит', 'LOC:Тбилиси']);
  });
});

describe('NerScorer', () => {
  const docs = loadFactru(FIXTURE);

  it('gives a perfect score to the gold itself', () => {
    const scorer = new NerScorer();
    for (const doc of docs) scorer.add(doc.text, goldSpans(doc), goldSpans(doc));
    const result = scorer.result();
    expect(result.PER).toEqual({ p: 1, r: 1, f1: 1, support: 4 });
    expect(result.LOC).toEqual({ p: 1, r: 1, f1: 1, support: 3 });
    expect(result.ORG).toEqual({ p: 1, r: 1, f1: 1, support: 3 });
    expect(result.strict.ORG).toEqual({ p: 1, r: 1, f1: 1, support: 2 });
  });

  it('counts tokens per type for the token-level score and exact spans for the strict one', () => {
    const [one, two] = docs;
    const scorer = new NerScorer();
    scorer.add(one!.text, goldSpans(one!), [
      at(one!.text, 'Петров', 'PER'),
      at(one!.text, 'Москвы', 'LOC'),
      at(one!.text, '«Ромашка»', 'ORG'),
      at(one!.text, 'Санкт-Петербурге', 'LOC'),
      // not on token bounds: dropped, as naeval drops misaligned spans
      at(one!.text, 'ван', 'PER'),
    ]);
    scorer.add(two!.text, goldSpans(two!), [
      at(two!.text, 'Грузии', 'LOC'),
      at(two!.text, 'Анной Смит', 'PER'),
      at(two!.text, 'Шоу', 'LOC'),
    ]);
    const result = scorer.result();
    expect(result.PER).toEqual({ p: 1, r: 0.75, f1: 0.857, support: 4 });
    expect(result.LOC).toEqual({ p: 0.5, r: 0.667, f1: 0.571, support: 3 });
    expect(result.ORG).toEqual({ p: 0.333, r: 0.333, f1: 0.333, support: 3 });
    expect(result.strict).toEqual({
      PER: { p: 0.5, r: 0.5, f1: 0.5, support: 2 },
      LOC: { p: 0.5, r: 0.667, f1: 0.571, support: 3 },
      ORG: { p: 0, r: 0, f1: 0, support: 2 },
    });
  });
});

describe('scoring helpers', () => {
  it('tokenises like razdel: hyphenated words and decimals whole, punctuation apart', () => {
    expect(scoringTokens('Улан-Батор, 3,5 млн (им. Жан-Мари)...').map((t) => t.text)).toEqual([
      'Улан-Батор', ',', '3,5', 'млн', '(', 'им', '.', 'Жан-Мари', ')', '...',
    ]);
  });

  it('keeps the longest of overlapping spans and the first of equal starts', () => {
    const spans: NerSpan[] = [
      { start: 4, stop: 10, type: 'LOC' },
      { start: 0, stop: 10, type: 'ORG' },
      { start: 12, stop: 15, type: 'PER' },
    ];
    expect(filterOverlapping(spans)).toEqual([spans[1], spans[2]]);
  });

  it('tags each token inside a span of the type', () => {
    const tokens = scoringTokens('a b c d e');
    expect(spansIo(tokens, [{ start: 2, stop: 5, type: 'PER' }, { start: 8, stop: 9, type: 'PER' }])).toEqual([false, true, true, false, true]);
  });
});

describe('offlineNerSpans', () => {
  it('reports the offline tagger mentions as spans of the plain text', () => {
    const text = 'Посол прибыл в Монголию. Его встретил Ерлан Касымов.';
    expect(show(text, offlineNerSpans(text))).toEqual(expect.arrayContaining(['LOC:Монголию', 'PER:Ерлан Касымов']));
  });
});
