/**
 * A strict JSON parser for partner documents. JSON.parse is last-key-wins on duplicates (a
 * signer and a server can then read different documents), builds `__proto__` keys that later
 * spreads turn into prototype pollution, and recurses without a depth limit. This parser
 * refuses all three, counts array items, and says where (JSON pointer and byte offset).
 * RFC 8259 grammar otherwise: no comments, no trailing commas, no NaN, no control characters.
 */
import { FormatError } from './canonical';

export interface StrictJsonLimits {
  maxDepth: number;
  /** Total values in the document (objects, arrays, scalars), a guard against million-item arrays. */
  maxValues: number;
}

export const DEFAULT_JSON_LIMITS: StrictJsonLimits = { maxDepth: 32, maxValues: 200_000 };

/**
 * Maps whose keys are only labels of alternative binary renditions (ninjs `renditions`): IPTC's
 * own 1.4 examples repeat a label there. Duplicates under these are not ambiguous text, so the
 * first is kept and the repeat is reported in `notes` instead of refusing the document.
 */
const TOLERATED_DUPLICATE_PARENTS = new Set(['renditions']);

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function parseStrictJson(text: string, limits: StrictJsonLimits = DEFAULT_JSON_LIMITS, notes: string[] = []): unknown {
  let i = 0;
  let values = 0;
  const n = text.length;

  const fail = (code: string, message: string, pointer: string, status: 400 | 422 = 400): never => {
    throw new FormatError(status, code, pointer, message);
  };
  const malformed = (what: string, pointer: string): never => fail('malformed_json', `${what} at position ${i}`, pointer);

  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };

  const parseString = (pointer: string): string => {
    // i is at the opening quote.
    i++;
    let out = '';
    let start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c < 0x20) malformed('unescaped control character in a string', pointer);
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) malformed('bad \\u escape', pointer);
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            malformed('bad escape', pointer);
        }
        i += 2;
        start = i;
        continue;
      }
      i++;
    }
    return malformed('unterminated string', pointer);
  };

  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

  const parseValue = (depth: number, pointer: string): unknown => {
    if (++values > limits.maxValues) fail('too_many_items', `more than ${limits.maxValues} values in the document`, pointer);
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= limits.maxDepth) fail('too_deep', `nested deeper than ${limits.maxDepth} levels`, pointer);
    }
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') malformed('expected a property name', pointer);
        const key = parseString(pointer);
        const childPointer = `${pointer}/${escapePointer(key)}`;
        if (FORBIDDEN_KEYS.has(key)) fail('unknown_field', `property "${key}" is not allowed`, childPointer);
        const parentKey = pointer.slice(pointer.lastIndexOf('/') + 1);
        const repeat = seen.has(key);
        if (repeat && !TOLERATED_DUPLICATE_PARENTS.has(parentKey)) {
          fail('duplicate_key', `property "${key.slice(0, 64)}" appears more than once`, childPointer);
        }
        seen.add(key);
        ws();
        if (text[i] !== ':') malformed('expected ":"', childPointer);
        i++;
        const value = parseValue(depth + 1, childPointer);
        if (repeat) notes.push(`${childPointer} appears more than once; the first is kept`);
        else obj[key] = value;
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        malformed('expected "," or "}"', pointer);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(depth + 1, `${pointer}/${arr.length}`));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        malformed('expected "," or "]"', pointer);
      }
    }
    if (c === '"') return parseString(pointer);
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0) {
      i += m[0].length;
      const v = Number(m[0]);
      if (!Number.isFinite(v)) fail('malformed_json', `number out of range at position ${i}`, pointer);
      return v;
    }
    return malformed(i >= n ? 'unexpected end of input' : `unexpected character ${JSON.stringify(text[i])}`, pointer);
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const value = parseValue(0, '');
  ws();
  if (i < n) malformed('unexpected data after the document', '');
  return value;
}
