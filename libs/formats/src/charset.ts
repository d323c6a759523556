/**
 * Request bytes -> document text. UTF-8 is the default and the norm; agencies' older systems
 * still send NITF and NewsML-G2 in ISO-8859-1 / windows-1252 (and a few in UTF-16 with a BOM),
 * declared either by the `charset` media-type parameter (which wins, as RFC 7303 says) or by the
 * XML declaration. Any encoding the platform's TextDecoder knows is converted to UTF-8 text and
 * the declaration rewritten to match; anything else is refused with a clear code. UTF-7 and
 * other ASCII-unsafe encodings are refused outright: they can smuggle markup past text checks.
 */
import { TextDecoder } from 'node:util';
import { FormatError } from './canonical';
import { parseMediaType } from './detect';

const UTF8 = /^utf-?8$/i;
/** Encodings whose declared use would let bytes mean different markup than an ASCII reader sees. */
const REFUSED = /^(utf-?7|utf-?32.*|ucs-?4|cp-?037|ebcdic.*|ibm-?0?37|x-?ebcdic.*)$/i;

function decoderFor(label: string): TextDecoder | undefined {
  if (REFUSED.test(label)) return undefined;
  try {
    return new TextDecoder(label, { fatal: true });
  } catch {
    return undefined;
  }
}

function decodeWith(decoder: TextDecoder, bytes: Uint8Array, label: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new FormatError(400, 'invalid_encoding', '/', `the body is not valid ${label}`);
  }
}

/** `<?xml version="1.0" encoding="X"?>` -> X, read from the first bytes (always ASCII-compatible here). */
function declaredXmlEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  return /^(?:\uFEFF|\u00EF\u00BB\u00BF)?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']/.exec(head)?.[1];
}

/**
 * Decodes a request body to text. `charset` on the media type is honoured first, then a BOM, then
 * (for XML-looking bodies) the XML declaration; the result never carries a BOM and its XML
 * declaration, if any, says UTF-8 so the XML pre-scan accepts it.
 */
export function decodeBody(contentType: string | undefined, body: Uint8Array): string {
  const charset = parseMediaType(contentType).params['charset']?.trim();
  let label: string | undefined;
  let bytes = body;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  if (charset) {
    const d = decoderFor(charset);
    if (!d) throw new FormatError(415, 'unsupported_charset', '/headers/content-type', `charset ${charset.slice(0, 40)} is not supported; send UTF-8`);
    label = charset;
  }
  label ??= declaredXmlEncoding(bytes);
  if (!label || UTF8.test(label) || /^(us-)?ascii$/i.test(label)) {
    return rewriteDeclaration(decodeWith(new TextDecoder('utf-8', { fatal: true }), bytes, 'UTF-8'));
  }
  const decoder = decoderFor(label);
  if (!decoder) {
    throw new FormatError(400, 'invalid_encoding', '/', `declared encoding ${label.slice(0, 40)} is not supported; send UTF-8 (ISO-8859-x, windows-125x and UTF-16 are converted)`);
  }
  // TextDecoder('utf-16le') skips the BOM itself; single-byte decoders never see one.
  const text = decodeWith(decoder, bytes, label);
  return rewriteDeclaration(decoder.encoding === 'windows-1252' ? fixCp1252(text) : text);
}

/** 0x80-0x9F as windows-1252 printables (WHATWG maps ISO-8859-1 there too); Node's decoder leaves them as C1 controls. */
const CP1252 = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
function fixCp1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252[c.charCodeAt(0) - 0x80]!);
}

/** The text is Unicode now, whatever the bytes were: a declaration naming another encoding would be stale. */
function rewriteDeclaration(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/^(\s*<\?xml\s[^>]*?encoding\s*=\s*["'])[^"']*(["'])/, '$1UTF-8$2');
}
