import { FormatError } from './canonical';
import { assertSafeText, findUnsafeChar, findUnsafeText, replaceUnsafeText } from './text-safety';

describe('text safety', () => {
  it('finds NUL and lone surrogates, and passes well-formed text (astral characters included)', () => {
    expect(findUnsafeChar('plain ÄÖ текст 😀 \u{10FFFF}')).toBeUndefined();
    expect(findUnsafeChar('ab\u0000c')).toEqual({ offset: 2, kind: 'nul' });
    expect(findUnsafeChar('x\uD800y')).toEqual({ offset: 1, kind: 'lone_surrogate' });
    expect(findUnsafeChar('x\uDC00')).toEqual({ offset: 1, kind: 'lone_surrogate' });
    expect(findUnsafeChar('\uD83D')).toEqual({ offset: 0, kind: 'lone_surrogate' });
    expect(findUnsafeChar('\uDE00\uD83D')).toEqual({ offset: 0, kind: 'lone_surrogate' });
  });

  it('names the field by JSON pointer, in keys too', () => {
    expect(findUnsafeText({ headline: 'ok', paragraphs: ['fine', 'ba\u0000d'] })).toEqual({ pointer: '/paragraphs/1', offset: 2, kind: 'nul' });
    expect(findUnsafeText({ 'a/b': { ['k\uD800']: 1 } }, '/items/3')).toMatchObject({ pointer: '/items/3/a~1b/k\uFFFD', kind: 'lone_surrogate' });
    expect(findUnsafeText({ n: 1, b: true, z: null, s: ['😀'] })).toBeUndefined();
  });

  it('throws 422 invalid_characters without echoing the character', () => {
    let err: unknown;
    try {
      assertSafeText({ headline: 'bad\u0000' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect(err).toMatchObject({ status: 422, code: 'invalid_characters', pointer: '/headline' });
    expect((err as Error).message).not.toContain('\u0000');
  });

  it('replaces them for storage, leaving good text alone', () => {
    expect(replaceUnsafeText('a\u0000b\uD800c😀')).toBe('a\uFFFDb\uFFFDc😀');
    const good = 'untouched';
    expect(replaceUnsafeText(good)).toBe(good);
  });
});
