/**
 * IPTC ninjs (JSON) in: every published version, 1.0 to 3.1. The document is first validated
 * against the IPTC schema of the version in force (declared by the caller, else named by the
 * document's own `$standard`/`standard`, else identified from its fields), then mapped to the
 * canonical story. Three spellings of the same model are read: 1.x flat (`headline`,
 * `body_html`, `subject`, associations as an object), 2.x arrays (`headlines`, `bodies`,
 * `subjects`, `by`) and 3.x camelCase (`versionCreated`, `pubStatus`, `embargoedUntil`).
 * A JSON array is a collection: each element is one story.
 */
import {
  type Association,
  type CanonicalStory,
  FormatError,
  type Place,
  type PubStatus,
  type Rights,
  type Subject,
  LIMITS,
  checkBody,
  checkHeadline,
  cleanByline,
  languageOf,
} from './canonical';
import { htmlToParagraphs, isoInstant, paragraphsToHtml, sanitizeBodyHtml, schemeFromUri, splitQcode, textToParagraphs } from './html';
import { type NinjsVersion, isNinjsVersion, validateNinjs } from './ninjs-schema';
import { isSuperdeskNinjs, readSuperdeskNinjs } from './ninjs-superdesk';
import { nitfBody } from './nitf';
import { parseXml } from './xml-safe';

export { htmlToParagraphs } from './html';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** First present value among the spellings different ninjs versions use for one property. */
function pick(doc: Json, ...names: string[]): unknown {
  for (const n of names) if (doc[n] !== undefined && doc[n] !== null) return doc[n];
  return undefined;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

const CAMEL_3X = ['versionCreated', 'firstCreated', 'pubStatus', 'embargoedUntil', 'copyrightHolder', 'copyrightNotice', 'usageTerms', 'edNote', 'altIds', 'rightsInfo', 'eventDetails', 'plannedCoverage', 'contentCreated', 'representationType', 'infoSources', 'trustIndicators', 'digitalSourceType'];
const ARRAYS_2X = ['headlines', 'bodies', 'descriptions', 'subjects', 'by', 'people', 'organisations', 'places', 'genres', 'events', 'objects', 'infosources', 'trustindicators', 'standard'];

/**
 * Which schema versions to try, in order, when nothing was declared: the version the document
 * names, else the family its fields belong to (newest first, since minor versions only add).
 */
export function ninjsCandidates(doc: unknown): NinjsVersion[] {
  if (!isObject(doc)) return ['3.1'];
  const std = pick(doc, 'standard', '$standard');
  const named = isObject(std) && typeof std['version'] === 'string' ? std['version'] : undefined;
  if (named && isNinjsVersion(named)) return [named];
  const keys = Object.keys(doc);
  if (CAMEL_3X.some((k) => keys.includes(k))) return ['3.1', '3.0'];
  if (ARRAYS_2X.some((k) => keys.includes(k))) return ['2.2', '2.1', '2.0', '3.1', '3.0'];
  return ['1.6', '1.5', '1.4', '1.3', '1.2', '1.1', '1.0', '2.2', '3.1'];
}

/** Validates against the declared version, or the first candidate the document satisfies. */
export function validateNinjsDocument(doc: unknown, declared?: string, pointerPrefix = ''): NinjsVersion {
  if (declared !== undefined && !isNinjsVersion(declared)) {
    throw new FormatError(415, 'unsupported_ninjs_version', '/', `ninjs version ${declared.slice(0, 16)} is not supported (supported: 1.0-1.6, 2.0-2.2, 3.0, 3.1)`);
  }
  const candidates: NinjsVersion[] = declared ? [declared] : ninjsCandidates(doc);
  let firstErrors: ReturnType<typeof validateNinjs> | undefined;
  for (const v of candidates) {
    const errors = validateNinjs(doc, v);
    if (errors.length === 0) return v;
    firstErrors ??= errors;
  }
  const errs = firstErrors ?? [];
  const fields = errs.map((e) => ({ pointer: `${pointerPrefix}${e.pointer}`, code: `schema_${e.keyword}`, message: e.message }));
  const head = fields[0] ?? { pointer: pointerPrefix || '/', code: 'schema_violation', message: 'invalid' };
  throw new FormatError(
    422,
    'schema_violation',
    head.pointer,
    `Not valid IPTC ninjs ${candidates[0]}: ${head.pointer || '/'} ${head.message}`,
    fields,
  );
}

interface Part {
  role?: string;
  contentType?: string;
  value: string;
  pointer: string;
}

/** `bodies`/`descriptions`/`headlines` arrays (2.x/3.x) or `body_<fmt>` / `description_<fmt>` properties (1.x). */
function parts(doc: Json, arrayName: string, prefix: string): Part[] {
  const out: Part[] = [];
  const arr = doc[arrayName];
  if (Array.isArray(arr)) {
    arr.forEach((p, i) => {
      if (isObject(p) && typeof p['value'] === 'string') {
        out.push({
          role: text(p['role']),
          contentType: text(pick(p, 'contentType', 'contenttype')),
          value: p['value'],
          pointer: `/${arrayName}/${i}/value`,
        });
      }
    });
  }
  for (const [k, v] of Object.entries(doc)) {
    if (k.startsWith(`${prefix}_`) && typeof v === 'string') {
      const fmt = k.slice(prefix.length + 1).toLowerCase();
      out.push({ role: fmt, contentType: /x?html/.test(fmt) ? 'text/html' : 'text/plain', value: v, pointer: `/${k}` });
    }
  }
  return out;
}

const isMarkup = (p: Part) => /html|xml|nitf/i.test(p.contentType ?? '') || /<\/?[a-z][\s\S]*>/i.test(p.value);
const isNitf = (p: Part) => /nitf/i.test(`${p.contentType ?? ''} ${p.role ?? ''}`) || /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<nitf[\s>]/.test(p.value);
const isHtml = (p: Part) => /html/i.test(`${p.contentType ?? ''} ${p.role ?? ''}`) || (isMarkup(p) && !/xml/i.test(p.contentType ?? '') && !/^\s*<\?xml/.test(p.value));

/** A NITF body carried in ninjs (`body_nitf`, `text/vnd.IPTC.NITF`) read as NITF, not as HTML (its head is not text). */
function nitfPart(p: Part): { html?: string; paragraphs: string[]; pointer: string } | undefined {
  try {
    const nb = nitfBody(parseXml(p.value));
    return nb.paragraphs.length ? { html: nb.html, paragraphs: nb.paragraphs, pointer: p.pointer } : undefined;
  } catch {
    return undefined; // not well-formed or refused: the next alternative is used
  }
}

/** The best body among the alternatives: HTML, then NITF, then plain text, then other markup (read as HTML). */
function bodyOf(candidates: Part[]): { html?: string; paragraphs: string[]; pointer: string } | undefined {
  const main = candidates.filter((p) => !p.role || /^(main|text|body|html|xhtml|nitf)$/i.test(p.role));
  const pool = main.length ? main : candidates;
  const html = pool.find((p) => isHtml(p) && !isNitf(p));
  if (html) {
    const clean = sanitizeBodyHtml(html.value);
    const paragraphs = htmlToParagraphs(clean);
    if (paragraphs.length) return { html: clean, paragraphs, pointer: html.pointer };
  }
  for (const p of pool.filter(isNitf)) {
    const b = nitfPart(p);
    if (b) return b;
  }
  const plain = pool.find((p) => !isMarkup(p));
  if (plain) {
    const paragraphs = textToParagraphs(plain.value);
    return { html: paragraphsToHtml(paragraphs), paragraphs, pointer: plain.pointer };
  }
  const other = pool.find((p) => !isNitf(p)) ?? pool[0];
  if (!other) return undefined;
  const clean = sanitizeBodyHtml(other.value);
  return { html: clean, paragraphs: htmlToParagraphs(clean), pointer: other.pointer };
}

function subjectsOf(doc: Json): Subject[] {
  const list = pick(doc, 'subjects', 'subject');
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((s) => {
    const uri = text(s['uri']);
    const fromUri = uri ? schemeFromUri(uri) : undefined;
    const rawCode = text(s['code']) ?? text(s['literal']);
    const q = rawCode ? splitQcode(rawCode) : undefined;
    // 1.x producers name the scheme by its URI (`http://cv.iptc.org/newscodes/mediatopic/`): the alias is what routing reads.
    const rawScheme = text(s['scheme']);
    const schemeUri = rawScheme && /^https?:\/\//i.test(rawScheme) && q ? schemeFromUri(`${rawScheme.replace(/\/?$/, '/')}${q.code}`) : undefined;
    return {
      scheme: schemeUri?.scheme ?? rawScheme ?? q?.scheme ?? fromUri?.scheme,
      code: q?.code ?? fromUri?.code,
      name: text(s['name']),
      uri: uri ?? (schemeUri && rawScheme ? `${rawScheme.replace(/\/?$/, '/')}${q!.code}` : undefined),
    };
  });
}

function placesOf(doc: Json): Place[] {
  const list = pick(doc, 'places', 'place');
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((p) => ({ name: text(p['name']), code: text(p['code']) ?? text(p['literal']), uri: text(p['uri']) }));
}

/** The rendition to link: the one named as the original/full size, else the widest, else the first. */
function bestRendition(list: Json[]): Json | undefined {
  const named = list.find((r) => /^(original|full|highres|hires|main|baseimage|default)$/i.test(text(r['name']) ?? ''));
  if (named) return named;
  const widest = list.reduce<Json | undefined>((best, r) => (typeof r['width'] === 'number' && (!best || (best['width'] as number) < r['width']) ? r : best), undefined);
  return widest ?? list[0];
}

function associationsOf(doc: Json): Association[] {
  const raw = doc['associations'];
  const entries: Array<[string | undefined, Json]> = Array.isArray(raw)
    ? raw.filter(isObject).map((a) => [text(a['name']) ?? text(a['role']), a])
    : isObject(raw)
      ? Object.entries(raw).filter((e): e is [string, Json] => isObject(e[1]))
      : [];
  return entries.map(([role, a]) => {
    const renditions = a['renditions'];
    const firstRendition = bestRendition(
      Array.isArray(renditions)
        ? renditions.filter(isObject)
        : isObject(renditions)
          ? Object.entries(renditions).filter((e): e is [string, Json] => isObject(e[1])).map(([name, r]) => ({ name, ...r }))
          : [],
    );
    const headlines = a['headlines'];
    const headline = text(a['headline']) ?? (Array.isArray(headlines) && isObject(headlines[0]) ? text(headlines[0]['value']) : undefined);
    return {
      role,
      uri: text(a['uri']),
      href: firstRendition ? text(firstRendition['href']) : undefined,
      type: text(a['type']),
      mimetype: text(a['mimetype']) ?? text(a['mimeType']) ?? (firstRendition ? text(pick(firstRendition, 'mimetype', 'contentType', 'contenttype')) : undefined),
      headline,
    };
  });
}

function bylineOf(doc: Json): string | undefined {
  const by = pick(doc, 'byline', 'by');
  if (typeof by === 'string') return cleanByline(by);
  return undefined;
}

/** Maps a ninjs object already validated against `schemaVersion` to the canonical story. */
export function mapNinjs(doc: Json, schemaVersion?: string, pointerPrefix = ''): CanonicalStory {
  const warnings: string[] = [];
  const uri = text(doc['uri']);
  if (!uri) throw new FormatError(422, 'missing_field', `${pointerPrefix}/uri`, 'uri is required');
  if (uri.length > 512) throw new FormatError(422, 'too_long', `${pointerPrefix}/uri`, 'max 512 characters');

  // ninjs versions are strings ("1", "Version can be any text string"); idempotency needs an integer.
  const rawVersion = doc['version'];
  let version: number | undefined;
  let versionLabel: string | undefined;
  if (typeof rawVersion === 'string' || typeof rawVersion === 'number') {
    versionLabel = String(rawVersion);
    if (/^\d{1,7}$/.test(versionLabel.trim())) {
      const n = Number(versionLabel);
      if (n >= 1 && n <= 1_000_000) version = n;
    }
    if (version === undefined) warnings.push(`version "${versionLabel.slice(0, 32)}" is not a positive integer; versioned as 1`);
  }

  const headlineParts = parts(doc, 'headlines', 'headline');
  const mainHeadline = headlineParts.find((h) => !h.role || h.role === 'main') ?? headlineParts[0];
  const flatHeadline = text(doc['headline']);
  const title = text(doc['title']);
  // `title` is a name for the object, not a headline: when it stands in for one, it is shortened.
  const fromTitle = !flatHeadline && !mainHeadline && title ? title.replace(/\s+/g, ' ') : undefined;
  if (fromTitle && fromTitle.length > LIMITS.headline) warnings.push(`title longer than ${LIMITS.headline} characters shortened to serve as headline`);
  const headlineRaw = flatHeadline ?? mainHeadline?.value ?? (fromTitle ? fromTitle.slice(0, LIMITS.headline).replace(/\s\S*$/, '') : '');
  const headlinePointer = flatHeadline ? '/headline' : mainHeadline ? mainHeadline.pointer : '/title';
  const sub = headlineParts.find((h) => h !== mainHeadline && h.role && /sub/i.test(h.role));

  // A picture or video has its caption as description; it is the item's text.
  const body = bodyOf(parts(doc, 'bodies', 'body')) ?? bodyOf(parts(doc, 'descriptions', 'description'));

  const dateField = (names: string[], label: string): string | undefined => {
    const raw = pick(doc, ...names);
    if (raw === undefined) return undefined;
    const iso = isoInstant(raw);
    if (!iso) warnings.push(`${label} "${String(raw).slice(0, 40)}" is not an ISO 8601 instant with an offset; ignored`);
    return iso;
  };
  const rawEmbargo = pick(doc, 'embargoedUntil', 'embargoed');
  const embargo = rawEmbargo === undefined ? undefined : isoInstant(rawEmbargo);

  const pub = pick(doc, 'pubStatus', 'pubstatus');
  const language = text(doc['language']);
  const rights: Rights = {
    copyrightHolder: text(pick(doc, 'copyrightHolder', 'copyrightholder')),
    copyrightNotice: text(pick(doc, 'copyrightNotice', 'copyrightnotice')),
    usageTerms: text(pick(doc, 'usageTerms', 'usageterms')),
  };
  const urgency = typeof doc['urgency'] === 'number' ? doc['urgency'] : undefined;

  const headline = headlineRaw ? checkHeadline(headlineRaw, `${pointerPrefix}${headlinePointer}`) : '';
  const paragraphs = body && body.paragraphs.length ? checkBody(body.paragraphs, `${pointerPrefix}${body.pointer}`) : [];
  if (body?.html && body.html.length > LIMITS.bodyChars * 2) {
    throw new FormatError(422, 'too_long', `${pointerPrefix}${body.pointer}`, `max ${LIMITS.bodyChars} characters`);
  }
  return {
    format: 'ninjs',
    externalId: uri,
    version,
    versionLabel,
    versionCreated: dateField(['versionCreated', 'versioncreated'], 'versioncreated'),
    firstCreated: dateField(['firstCreated', 'firstcreated'], 'firstcreated'),
    pubStatus: pub === 'usable' || pub === 'withheld' || pub === 'canceled' ? (pub as PubStatus) : undefined,
    itemType: text(doc['type']),
    headline,
    subheadline: sub ? text(sub.value) : undefined,
    byline: bylineOf(doc),
    dateline: text(doc['located']),
    paragraphs,
    bodyHtml: paragraphs.length ? body?.html : undefined,
    language: languageOf(language),
    urgency,
    subjects: subjectsOf(doc),
    places: placesOf(doc),
    embargo,
    embargoUnreadable: rawEmbargo !== undefined && !embargo ? String(rawEmbargo).slice(0, 64) : undefined,
    expires: dateField(['expires'], 'expires'),
    rights: Object.values(rights).some(Boolean) ? rights : undefined,
    associations: associationsOf(doc),
    editorNote: text(pick(doc, 'edNote', 'ednote')),
    formatVersion: schemaVersion,
    warnings: warnings.length ? warnings : undefined,
  };
}

export interface NinjsReadOptions {
  /**
   * Producer dialects (Superdesk's `guid` without `uri`) are read, with warnings, when no version
   * is declared; a declared version always means strict validation against that IPTC schema.
   */
  dialects?: boolean;
}

function parseNinjsObject(doc: Json, declaredVersion: string | undefined, pointerPrefix: string, opts: NinjsReadOptions): CanonicalStory {
  if (opts.dialects && declaredVersion === undefined && isSuperdeskNinjs(doc)) {
    const read = readSuperdeskNinjs(doc, pointerPrefix);
    const story = mapNinjs(read.ninjs, '1.6', pointerPrefix);
    return { ...story, ...read.fields, warnings: [...read.warnings, ...(story.warnings ?? [])] };
  }
  return mapNinjs(doc, validateNinjsDocument(doc, declaredVersion, pointerPrefix), pointerPrefix);
}

/**
 * A whole ninjs document: one object, or an array of objects (a collection). Each object is
 * validated on its own, so one bad element is refused with a pointer into the array.
 */
export function parseNinjsDocument(doc: unknown, declaredVersion?: string, opts: NinjsReadOptions = {}): CanonicalStory[] {
  if (Array.isArray(doc)) {
    if (doc.length === 0) throw new FormatError(422, 'missing_field', '', 'the collection is empty');
    if (doc.length > LIMITS.items) throw new FormatError(422, 'too_many_items', '', `max ${LIMITS.items} items per document`);
    return doc.map((item, i) => {
      if (!isObject(item)) throw new FormatError(422, 'invalid_type', `/${i}`, 'a ninjs collection holds objects');
      return parseNinjsObject(item, declaredVersion, `/${i}`, opts);
    });
  }
  if (!isObject(doc)) throw new FormatError(422, 'invalid_type', '', 'a ninjs document must be a JSON object');
  return [parseNinjsObject(doc, declaredVersion, '', opts)];
}

/** One ninjs object -> one story (validated against the version it identifies). */
export function parseNinjs(doc: unknown, declaredVersion?: string): CanonicalStory {
  if (!isObject(doc)) throw new FormatError(422, 'invalid_type', '', 'a ninjs document must be a JSON object');
  return mapNinjs(doc, validateNinjsDocument(doc, declaredVersion));
}
