/**
 * Hostile-XML-safe parsing. Every check that can be made on the text is made before the parser
 * sees it: a DOCTYPE or ENTITY declaration (XXE, billion laughs, quadratic blowup) is refused
 * outright (NewsML-G2, NITF and feeds need no DTD), XInclude is refused, the declared encoding
 * must be UTF-8, and depth, element count and numeric character references are capped by a
 * linear scan. Only then does fast-xml-parser run, with entity processing off; the five XML
 * entities and numeric references are decoded here, under the cap.
 *
 * The result is a small ordered tree (mixed content keeps its order, for inline XHTML/NITF).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decode as decodeHtmlEntity } from 'html-entities';
import { FormatError } from './canonical';

export interface XmlNode {
  /** Local name, without namespace prefix. */
  name: string;
  prefix?: string;
  attrs: Record<string, string>;
  children: Array<XmlNode | string>;
}

export const XML_LIMITS = { bytes: 2 * 1024 * 1024, depth: 64, elements: 100_000, charRefs: 50_000 } as const;

function bad(status: 400 | 413 | 422, code: string, pointer: string, message: string): never {
  throw new FormatError(status, code, pointer, message);
}

/** The linear pre-scan: cheap, bounded, and done before any parser allocates a tree. */
export function prescanXml(text: string): void {
  if (text.length > XML_LIMITS.bytes) bad(413, 'payload_too_large', '/', `XML documents are limited to ${XML_LIMITS.bytes} bytes`);
  if (text.includes('\u0000')) bad(400, 'invalid_encoding', '/', 'NUL characters: the body looks like UTF-16; send UTF-8');
  const decl = /^\uFEFF?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(text);
  if (decl?.[1] && !/^(utf-?8|us-ascii|ascii)$/i.test(decl[1])) {
    bad(400, 'invalid_encoding', '/', `declared encoding ${decl[1].slice(0, 20)} is not accepted; send UTF-8`);
  }
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    bad(400, 'doctype_forbidden', '/', 'XML with a DOCTYPE or entity declarations is refused (no DTDs are needed)');
  }
  if (/XInclude|<[A-Za-z_][\w.-]*:include[\s/>]/.test(text)) {
    bad(400, 'xinclude_forbidden', '/', 'XInclude is not allowed');
  }
  let refs = 0;
  for (let at = text.indexOf('&#'); at >= 0; at = text.indexOf('&#', at + 2)) {
    if (++refs > XML_LIMITS.charRefs) bad(400, 'too_many_char_refs', '/', `more than ${XML_LIMITS.charRefs} numeric character references`);
  }
  // Depth and element count, skipping comments, CDATA and processing instructions.
  const tag = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<(\/?)[A-Za-z_][^\s/>]*(?:"[^"]*"|'[^']*'|[^'">])*?(\/?)>/g;
  let depth = 0;
  let elements = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    if (m[1] === undefined) continue;
    if (m[1] === '/') depth--;
    else {
      if (++elements > XML_LIMITS.elements) bad(400, 'too_many_items', '/', `more than ${XML_LIMITS.elements} elements`);
      if (m[2] !== '/' && ++depth > XML_LIMITS.depth) bad(400, 'too_deep', '/', `elements nested deeper than ${XML_LIMITS.depth} levels`);
    }
  }
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * An HTML named entity (`&nbsp;`, `&mdash;`) from the fixed HTML5 table. NITF and XHTML bodies use
 * them relying on a DTD we never read; a fixed table expands nothing, so it is safe to honour.
 */
function htmlNamedEntity(name: string): string | undefined {
  const v = decodeHtmlEntity(`&${name};`, { level: 'html5' });
  return v === `&${name};` ? undefined : v;
}

/** Decodes the predefined entities, numeric references and HTML5 named entities; any other named entity is an error (no DTD). */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][\w.-]*);/g, (whole, ent: string) => {
    if (ent[0] === '#') {
      const cp = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) bad(400, 'malformed_xml', '/', `invalid character reference ${whole}`);
      return String.fromCodePoint(cp);
    }
    const v = XML_ENTITIES[ent] ?? htmlNamedEntity(ent);
    if (v === undefined) bad(400, 'malformed_xml', '/', `undeclared entity &${ent.slice(0, 20)};`);
    return v;
  });
}

type Ordered = Record<string, unknown>;

function toNode(raw: Ordered): XmlNode | string | undefined {
  const keys = Object.keys(raw).filter((k) => k !== ':@');
  const key = keys[0];
  if (key === undefined) return undefined;
  if (key === '#text') return decodeXmlText(String(raw[key] ?? ''));
  if (key === '#cdata') {
    const inner = raw[key];
    return Array.isArray(inner) ? inner.map((c) => String((c as Ordered)['#text'] ?? '')).join('') : '';
  }
  if (key.startsWith('?') || key === '#comment') return undefined;
  const colon = key.indexOf(':');
  const attrsRaw = (raw[':@'] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrsRaw)) attrs[k] = decodeXmlText(String(v));
  const kids = (raw[key] as Ordered[] | undefined) ?? [];
  const children: Array<XmlNode | string> = [];
  for (const k of kids) {
    const c = toNode(k);
    if (c !== undefined) children.push(c);
  }
  return { name: colon >= 0 ? key.slice(colon + 1) : key, prefix: colon >= 0 ? key.slice(0, colon) : undefined, attrs, children };
}

/** Pre-scan, validate well-formedness, parse; returns the root element. */
export function parseXml(text: string): XmlNode {
  prescanXml(text);
  const body = text.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(body, { allowBooleanAttributes: false });
  if (valid !== true) {
    bad(400, 'malformed_xml', `/line/${valid.err.line}`, `not well-formed XML: ${valid.err.msg.slice(0, 160)} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    cdataPropName: '#cdata',
    commentPropName: '#comment',
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  const doc = parser.parse(body) as Ordered[];
  for (const top of doc) {
    const n = toNode(top);
    if (n && typeof n !== 'string') return n;
  }
  return bad(400, 'malformed_xml', '/', 'no root element');
}

// Tree helpers: G2 and feeds are namespaced, so everything matches on local names.

export function kids(n: XmlNode | undefined, name?: string): XmlNode[] {
  if (!n) return [];
  return n.children.filter((c): c is XmlNode => typeof c !== 'string' && (name === undefined || c.name === name));
}

export function kid(n: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let cur = n;
  for (const p of path) cur = kids(cur, p)[0];
  return cur;
}

/** All text inside, whitespace collapsed. */
export function textOf(n: XmlNode | undefined): string {
  if (!n) return '';
  const parts: string[] = [];
  const walk = (x: XmlNode) => {
    for (const c of x.children) {
      if (typeof c === 'string') parts.push(c);
      else walk(c);
    }
  };
  walk(n);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

export function attr(n: XmlNode | undefined, name: string): string | undefined {
  if (!n) return undefined;
  const v = n.attrs[name] ?? Object.entries(n.attrs).find(([k]) => k.endsWith(`:${name}`))?.[1];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

/**
 * Inline markup -> HTML text (sanitised afterwards). `rename` maps vocabulary-specific elements
 * (NITF hl2, block) to HTML ones; unknown elements are kept and dropped by the sanitiser.
 */
export function toHtml(n: XmlNode, rename: Record<string, string> = {}): string {
  const inner = n.children.map((c) => (typeof c === 'string' ? esc(c) : toHtml(c, rename))).join('');
  const name = rename[n.name] ?? n.name;
  if (name === '') return inner;
  const attrs = Object.entries(n.attrs)
    .filter(([k]) => !k.includes(':') && k !== 'xmlns')
    .map(([k, v]) => ` ${k}="${escAttr(v)}"`)
    .join('');
  return `<${name}${attrs}>${inner}</${name}>`;
}
