import { applyPartnerCleanupRules, UnsafePatternError, validateCleanupPattern } from './cleanup-rules';
import { cleanupParagraphs } from './cleanup';

describe('validateCleanupPattern', () => {
  it.each([
    ['^Agency footer:.*$'],
    ['Читайте нас на сайте [\\p{L}.]+'],
    ['(?:Reporting|Editing) by [^;]+'],
    ['^\\(AGENCY\\)\\s*[-–—]\\s*'],
    ['(?<agency>AFP|Reuters)\\s+\\d{4}'],
    ['x{2,10}'],
  ])('accepts %s', (pattern) => {
    expect(() => validateCleanupPattern(pattern)).not.toThrow();
  });

  it.each([
    ['(a+)+b', /nested quantifiers/],
    ['(x*)*y', /nested quantifiers/],
    ['(a|ab)*c', /alternatives/],
    ['(\\w+\\s?)+$', /nested quantifiers/],
    ['(a)\\1', /backreferences/],
    ['(?<n>a)\\k<n>', /backreferences/],
    ['(?=a)b', /lookahead/],
    ['(?<!a)b', /lookahead/],
    ['a*b*c*d*e*', /unbounded quantifiers/],
    ['a{1,5000}', /counted repeats/],
    ['.*', /empty string/],
    ['(unclosed', /unbalanced/],
    ['[z-a]', /not a valid regular expression/],
    ['x'.repeat(201), /longer than/],
  ])('refuses %s', (pattern, why) => {
    expect(() => validateCleanupPattern(pattern)).toThrow(UnsafePatternError);
    expect(() => validateCleanupPattern(pattern)).toThrow(why);
  });
});

describe('applyPartnerCleanupRules', () => {
  const rule = (id: string, kind: 'paragraph' | 'line' | 'prefix' | 'suffix', pattern: string, reason = 'agency_footer') => ({ id, kind, pattern, reason });

  it('applies each kind and records every removed span with its rule', () => {
    const out = applyPartnerCleanupRules(
      ['(WIRE) — The talks began on Monday.', 'Second paragraph.\nSLUG: minerals-talks', 'Third paragraph. © Wire Agency, do not redistribute', 'Wire Agency: subscribe at wire.example'],
      [
        rule('r1', 'prefix', '\\(WIRE\\)\\s*[-–—]\\s*', 'agency_dateline'),
        rule('r2', 'line', '^SLUG:', 'slug_line'),
        rule('r4', 'paragraph', '^Wire Agency:', 'agency_footer'),
        rule('r3', 'suffix', '©\\s*Wire Agency[^.]*', 'rights'),
      ],
    );
    expect(out.paragraphs).toEqual(['The talks began on Monday.', 'Second paragraph.', 'Third paragraph.']);
    expect(out.removed).toEqual([
      { reason: 'agency_dateline', rule: 'r1', text: '(WIRE) —' },
      { reason: 'slug_line', rule: 'r2', text: 'SLUG: minerals-talks' },
      { reason: 'agency_footer', rule: 'r4', text: 'Wire Agency: subscribe at wire.example' },
      { reason: 'rights', rule: 'r3', text: '© Wire Agency, do not redistribute' },
    ]);
    expect(out.timedOut).toBe(false);
  });

  it('gives up within its time budget on a catastrophic pattern that bypassed validation', () => {
    const started = Date.now();
    const out = applyPartnerCleanupRules([`${'a'.repeat(40)}!`], [rule('bad', 'paragraph', '(a+)+b')], 50);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(out).toEqual({ paragraphs: [`${'a'.repeat(40)}!`], removed: [], timedOut: true });
  });

  it('runs after the generic rules, through cleanupParagraphs', () => {
    const out = cleanupParagraphs(
      ['The talks began on Monday in Washington.', 'All rights reserved. Copyright 2026 Wire Agency.', 'Wire Agency desk: call +1 555 0100 for corrections.'],
      'en',
      [rule('r9', 'paragraph', '^Wire Agency desk')],
    );
    expect(out.paragraphs).toEqual(['The talks began on Monday in Washington.']);
    expect(out.removed).toEqual([
      { reason: 'attribution_boilerplate', text: 'All rights reserved. Copyright 2026 Wire Agency.' },
      { reason: 'agency_footer', rule: 'r9', text: 'Wire Agency desk: call +1 555 0100 for corrections.' },
    ]);
  });
});
