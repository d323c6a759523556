/**
 * Text that cannot be stored: U+0000 (Postgres `text` and `jsonb` refuse it) and lone UTF-16
 * surrogates (not Unicode at all; they reach JS strings through JSON `\ud800` escapes or XML
 * character references, and `jsonb` refuses them). Left unchecked either one fails the INSERT,
 * which turns a bad document into a 500, and in a polled feed fails the whole feed on every poll.
 * The intake checks the decoded body and every canonical field here, in one place, before
 * anything is written: strict handling refuses the document, lenient handling (and the feed
 * poller) drops the item with its own problem.
 */
import { FormatError } from './canonical';

export type UnsafeCharacter = 'nul' | 'lone_surrogate';

export interface UnsafeText {
  /** JSON pointer of the field (for a plain string: the pointer given). */
  pointer: string;
  /** UTF-16 offset inside that string. */
  offset: number;
  kind: UnsafeCharacter;
}

// Linear: one pass, fixed-width look-around only.
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first unsafe character of a string, or undefined. */
export function findUnsafeChar(text: string): { offset: number; kind: UnsafeCharacter } | undefined {
  const m = UNSAFE.exec(text);
  if (!m) return undefined;
  return { offset: m.index, kind: m[0] === '\u0000' ? 'nul' : 'lone_surrogate' };
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** The first unsafe character in a value (strings, object keys and values, array items), with its pointer. */
export function findUnsafeText(value: unknown, pointer = ''): UnsafeText | undefined {
  // Iterative: the value may be as deep as the parser allowed, and recursion is not needed.
  const stack: Array<{ v: unknown; p: string }> = [{ v: value, p: pointer }];
  while (stack.length) {
    const { v, p } = stack.pop()!;
    if (typeof v === 'string') {
      const found = findUnsafeChar(v);
      if (found) return { pointer: p, ...found };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], p: `${p}/${i}` });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const inKey = findUnsafeChar(k);
        if (inKey) return { pointer: `${p}/${escapePointer(k.replace(UNSAFE_GLOBAL, '\uFFFD'))}`, ...inKey };
        stack.push({ v: child, p: `${p}/${escapePointer(k)}` });
      }
    }
  }
  return undefined;
}

const UNSAFE_GLOBAL = new RegExp(UNSAFE.source, 'g');

/** What a problem says about the character, never echoing it. */
export function describeUnsafe(u: { offset: number; kind: UnsafeCharacter }): string {
  return u.kind === 'nul'
    ? `contains a NUL character (U+0000) at offset ${u.offset}; it cannot be stored`
    : `contains a lone UTF-16 surrogate at offset ${u.offset} (not a Unicode character); it cannot be stored`;
}

/** Throws `422 invalid_characters` at the field's pointer when the value holds an unsafe character. */
export function assertSafeText(value: unknown, pointer = ''): void {
  const found = findUnsafeText(value, pointer);
  if (found) throw new FormatError(422, 'invalid_characters', found.pointer, `${found.pointer || 'The text'} ${describeUnsafe(found)}`);
}

/** A copy fit for storage: each unsafe character becomes U+FFFD (for keeping a raw document whose bad items were dropped). */
export function replaceUnsafeText(text: string): string {
  return findUnsafeChar(text) ? text.replace(UNSAFE_GLOBAL, '\uFFFD') : text;
}
