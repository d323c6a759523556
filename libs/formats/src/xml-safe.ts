/**
 * Hostile-XML-safe parsing. Every check that can be made on the text is made before the parser
 * sees it, in one linear pass: any DTD (internal subset, ENTITY declarations: XXE, billion
 * laughs, quadratic blowup) is refused outright, the one exception being NITF's external DOCTYPE,
 * which is recognised and never read; XInclude is refused; the declared encoding must be UTF-8;
 * depth, element count and numeric character references are capped; unterminated constructs are
 * refused where they start. Only then does fast-xml-parser run, with entity processing off; the
 * five XML entities and numeric references are decoded here, under the cap.
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

export const XML_LIMITS = { bytes: 2 * 1024 * 1024, depth: 64, elements: 100_000, charRefs: 50_000, nameChars: 256, attributesPerElement: 256 } as const;

function bad(status: 400 | 413 | 422, code: string, pointer: string, message: string): never {
  throw new FormatError(status, code, pointer, message);
}

/** The 1-based line of a character offset, for pointers (only computed when refusing). */
function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * The only DOCTYPE accepted: NITF's external one as agencies write it (`<!DOCTYPE nitf SYSTEM
 * "nitf-3-4.dtd">`, or PUBLIC "-//IPTC//DTD NITF 3.4//EN" with the DTD's URL), with no internal
 * subset. The DTD is never read: it only declares the element model and the HTML entities,
 * which are decoded from a fixed table anyway. Matched on a bounded slice, so it costs O(1).
 */
const NITF_DOCTYPE = /^<!DOCTYPE\s+(\S+?)\s+(?:SYSTEM\s+(?:"([^"]*)"|'([^']*)')|PUBLIC\s+(?:"([^"]*)"|'([^']*)')\s+(?:"([^"]*)"|'([^']*)'))\s*>/;
const NITF_PUBLIC_ID = /^-\/\/IPTC(?:-NAA)?\/\/DTD NITF [\w .-]{1,20}\/\/EN$/i;
const NITF_DTD_FILE = /(?:^|\/)nitf[\w.-]{0,40}\.dtd$/i;

/** The span of an accepted NITF DOCTYPE starting at `at`, or a refusal. */
function nitfDoctype(text: string, at: number): number {
  const m = NITF_DOCTYPE.exec(text.slice(at, at + 512));
  const systemId = m?.[2] ?? m?.[3] ?? m?.[6] ?? m?.[7];
  const publicId = m?.[4] ?? m?.[5];
  if (!m || m[1] !== 'nitf' || !systemId || !NITF_DTD_FILE.test(systemId) || (publicId !== undefined && !NITF_PUBLIC_ID.test(publicId))) {
    bad(400, 'doctype_forbidden', '/', 'XML with a DOCTYPE or entity declarations is refused (no DTDs are needed); only NITF\'s external <!DOCTYPE nitf SYSTEM "nitf-x.dtd"> is accepted, without an internal subset');
  }
  return at + m[0].length;
}

export interface XmlPrescan {
  /** An accepted NITF DOCTYPE's [start, end): blanked before parsing, so the parser never reads one. */
  doctype?: [number, number];
}

/**
 * The pre-scan, before any parser allocates a tree. One forward pass: every construct is found
 * by `indexOf` from where the previous one ended, so the cost is linear in the document's length
 * whatever it holds (an unterminated `<name`, `<!--`, `<?` or attribute value is refused at the
 * first one, instead of being searched for again from every later `<`).
 */
export function prescanXml(text: string): XmlPrescan {
  if (text.length > XML_LIMITS.bytes) bad(413, 'payload_too_large', '/', `XML documents are limited to ${XML_LIMITS.bytes} bytes`);
  if (text.includes('\u0000')) bad(400, 'invalid_encoding', '/', 'NUL characters: the body looks like UTF-16; send UTF-8');
  // The declaration is at most a few dozen characters; a bounded slice keeps this regex O(1).
  const decl = /^\uFEFF?\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(text.slice(0, 512));
  if (decl?.[1] && !/^(utf-?8|us-ascii|ascii)$/i.test(decl[1])) {
    bad(400, 'invalid_encoding', '/', `declared encoding ${decl[1].slice(0, 20)} is not accepted; send UTF-8`);
  }
  let refs = 0;
  for (let at = text.indexOf('&#'); at >= 0; at = text.indexOf('&#', at + 2)) {
    if (++refs > XML_LIMITS.charRefs) bad(400, 'too_many_char_refs', '/', `more than ${XML_LIMITS.charRefs} numeric character references`);
  }
  const out: XmlPrescan = {};
  const unterminated = (at: number, what: string): never => bad(400, 'malformed_xml', `/line/${lineAt(text, at)}`, `not well-formed XML: unterminated ${what} (line ${lineAt(text, at)})`);
  let depth = 0;
  let elements = 0;
  let root: string | undefined;
  for (let i = text.indexOf('<'); i >= 0; ) {
    let end: number;
    if (text.startsWith('<!--', i)) {
      end = text.indexOf('-->', i + 4);
      if (end < 0) unterminated(i, 'comment');
      end += 3;
    } else if (text.startsWith('<![CDATA[', i)) {
      end = text.indexOf(']]>', i + 9);
      if (end < 0) unterminated(i, 'CDATA section');
      end += 3;
    } else if (text.startsWith('<?', i)) {
      end = text.indexOf('?>', i + 2);
      if (end < 0) unterminated(i, 'processing instruction');
      end += 2;
    } else if (text.startsWith('<!', i)) {
      // ENTITY, ELEMENT, ATTLIST, a second DOCTYPE, one after the root: all DTD, all refused.
      if (!text.startsWith('<!DOCTYPE', i) || out.doctype || root !== undefined) {
        bad(400, 'doctype_forbidden', '/', 'XML with a DOCTYPE or entity declarations is refused (no DTDs are needed)');
      }
      end = nitfDoctype(text, i);
      out.doctype = [i, end];
    } else if (text.charCodeAt(i + 1) === 0x2f /* / */) {
      end = text.indexOf('>', i + 2);
      if (end < 0) unterminated(i, 'end tag');
      end += 1;
      if (--depth < 0) bad(400, 'malformed_xml', `/line/${lineAt(text, i)}`, `not well-formed XML: an end tag closes nothing (line ${lineAt(text, i)})`);
    } else {
      // A start tag: its name, then attributes, where only quoted values may hold '>' or '<'.
      let j = i + 1;
      while (j < text.length && !/[\s/>]/.test(text[j]!)) {
        if (text[j] === '<' || text[j] === '"' || text[j] === "'") break;
        j++;
      }
      const name = text.slice(i + 1, j);
      if (!/^[A-Za-z_][\w.:-]*$/.test(name)) {
        bad(400, 'malformed_xml', `/line/${lineAt(text, i)}`, `not well-formed XML: '<' not starting a tag (line ${lineAt(text, i)})`);
      }
      // No news vocabulary comes near these; the parser's cost per name and attribute does.
      if (name.length > XML_LIMITS.nameChars) bad(400, 'too_long', `/line/${lineAt(text, i)}`, `an element name is longer than ${XML_LIMITS.nameChars} characters`);
      let attributes = 0;
      for (;;) {
        const ch = text[j];
        if (ch === undefined) unterminated(i, `tag <${name.slice(0, 40)}>`);
        if (ch === '>') break;
        if (ch === '<') unterminated(i, `tag <${name.slice(0, 40)}>`);
        if (ch === '"' || ch === "'") {
          const close = text.indexOf(ch, j + 1);
          if (close < 0) unterminated(j, 'attribute value');
          j = close + 1;
        } else {
          if (ch === '=' && ++attributes > XML_LIMITS.attributesPerElement) {
            bad(400, 'too_many_items', `/line/${lineAt(text, i)}`, `an element has more than ${XML_LIMITS.attributesPerElement} attributes`);
          }
          j++;
        }
      }
      end = j + 1;
      if (/(?:^|:)include$/.test(name) && name.includes(':')) bad(400, 'xinclude_forbidden', '/', 'XInclude is not allowed');
      if (text.slice(i, end).includes('XInclude')) bad(400, 'xinclude_forbidden', '/', 'XInclude is not allowed');
      if (root === undefined) {
        root = name;
        // The DOCTYPE names the root it describes (XML 1.0 §2.8): NITF's must sit on a <nitf>.
        if (out.doctype && name !== 'nitf') bad(400, 'doctype_forbidden', '/', 'the DOCTYPE names nitf but the root element is not nitf');
      }
      if (++elements > XML_LIMITS.elements) bad(400, 'too_many_items', '/', `more than ${XML_LIMITS.elements} elements`);
      if (text[j - 1] !== '/' && ++depth > XML_LIMITS.depth) bad(400, 'too_deep', '/', `elements nested deeper than ${XML_LIMITS.depth} levels`);
    }
    i = text.indexOf('<', end);
  }
  return out;
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
  const scan = prescanXml(text);
  // Blanked to spaces of the same length, so line and column numbers in errors stay true.
  const plain = scan.doctype ? `${text.slice(0, scan.doctype[0])}${' '.repeat(scan.doctype[1] - scan.doctype[0])}${text.slice(scan.doctype[1])}` : text;
  const body = plain.replace(/^\uFEFF/, '');
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
