import { glossaryMatcher, outputProblem, protectSegment, restoreSegment, stripEngineMarkup } from './fidelity';

describe('fidelity', () => {
  const glossary = glossaryMatcher([
    { term: 'Батцэцэг Батмөнх', translation: 'Battsetseg Batmunkh' },
    { term: 'Госдепартамент', translation: 'State Department' },
  ]);

  it('swaps tags, URLs, e-mail, handles and glossary terms for placeholders, entities decoded', () => {
    const seg = protectSegment(
      'Глава МИД, Батцэцэг  Батмөнх, и <b>Госдепартамент</b> &laquo;встреча&raquo; https://ex.org/a?b=1. Пишите a.b@ex.org или @centralasiamedia',
      glossary,
    );
    expect(seg.text).toBe('Глава МИД, ⟦5⟧, и ⟦0⟧⟦6⟧⟦1⟧ «встреча» ⟦2⟧. Пишите ⟦3⟧ или ⟦4⟧');
    expect(seg.slots).toEqual(['<b>', '</b>', 'https://ex.org/a?b=1', 'a.b@ex.org', '@centralasiamedia', 'Battsetseg Batmunkh', 'State Department']);
    expect(seg.glossaryHits).toBe(2);
    const back = restoreSegment('Head of MFA, ⟦5⟧, and ⟦0⟧⟦ 6 ⟧⟦1⟧ "meeting" ⟦2⟧. Write ⟦3⟧ or ⟦4⟧', seg);
    expect(back).toEqual({
      text: 'Head of MFA, Battsetseg Batmunkh, and <b>State Department</b> "meeting" https://ex.org/a?b=1. Write a.b@ex.org or @centralasiamedia',
      lost: 0,
    });
    expect(restoreSegment('Head of MFA', seg).lost).toBe(7);
  });

  it('never lets engine output inject markup', () => {
    expect(stripEngineMarkup('Hi <script>alert(1)</script><img src=x onerror=alert(1)> there')).toBe('Hi  there');
    expect(stripEngineMarkup('a &lt;img src=x onerror=alert(1)&gt; b &amp;lt;b&amp;gt;')).toBe('a  b ');
    expect(stripEngineMarkup('5 < 6 and AT&T')).toBe('5 < 6 and AT&T');
  });

  it('detects empty and untranslated output', () => {
    const src = ['Один два три четыре пять.', 'Шесть семь восемь девять.'];
    expect(outputProblem(src, ['One two three four five.', 'Six seven eight nine.'])).toBeUndefined();
    expect(outputProblem(src, ['One two three four five.', ' '])).toBe('empty');
    expect(outputProblem(src, src)).toBe('untranslated');
    expect(outputProblem(['Батмөнх'], ['Батмөнх'])).toBeUndefined();
  });
});
