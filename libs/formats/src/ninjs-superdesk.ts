/**
 * The Superdesk dialect of ninjs: what the ninjs formatter of Superdesk (the open-source newsroom
 * system several national agencies run) emits. It is ninjs 1.x in spelling (`body_html`,
 * `description_html`, `versioncreated`, `subject`, associations as an object) but identifies the
 * item by `guid` with no `uri`, and adds fields outside the IPTC schema (`authors` with roles,
 * `extra`, `annotations`, `keywords`, `signal`, `service`, `firstpublished`, ...), so strict IPTC
 * validation refuses every such document.
 *
 * Read here as: `guid` -> the story id; the fields IPTC ninjs 1.6 defines are kept and then
 * validated against that schema (a wrong type is still a 422 with its pointer); `authors` give
 * the byline when there is none; `keywords` become keyword subjects; 8-digit subject codes without
 * a scheme are IPTC Subject Codes (Superdesk's default vocabulary); `signal` codes become
 * signals; `extra` and `annotations` are kept on the story. Everything else is dropped, and every
 * deviation is listed in the story's warnings.
 */
import type { CanonicalStory } from './canonical';
import { FormatError } from './canonical';
import { htmlToParagraphs } from './html';
import { validateNinjs } from './ninjs-schema';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** A ninjs object that names itself by `guid` and has no `uri`: Superdesk's formatter output. */
export function isSuperdeskNinjs(doc: unknown): doc is Json {
  return isObject(doc) && doc['uri'] === undefined && typeof doc['guid'] === 'string' && doc['guid'].trim() !== '';
}

/** Roles whose people wrote the text (Superdesk's default author roles), for the byline. */
const WRITER_ROLES = /^(writer|author|reporter|correspondent|journalist)$/i;

/** Top-level fields IPTC ninjs 1.6 defines (its schema's `properties`). */
const IPTC_16_FIELDS = new Set([
  'uri', 'type', 'mimetype', 'representationtype', 'profile', 'version', 'firstcreated', 'versioncreated', 'contentcreated', 'embargoed',
  'pubstatus', 'urgency', 'copyrightholder', 'copyrightnotice', 'usageterms', 'ednote', 'language', 'person', 'organisation', 'place',
  'subject', 'event', 'object', 'infosource', 'title', 'byline', 'headline', 'slugline', 'located', 'charcount', 'wordcount', 'renditions',
  'associations', 'altids', 'trustindicator', '$standard', 'genre', 'expires', 'rightsinfo', 'digitalsourcetype',
]);

const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function removeAt(doc: Json, pointer: string): boolean {
  const parts = pointer.split('/').slice(1).map(unescapePointer);
  const last = parts.pop();
  let cur: unknown = doc;
  for (const p of parts) cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
  if (last === undefined || !isObject(cur) || !(last in cur)) return false;
  delete cur[last];
  return true;
}

/** `guid` -> `uri` here and in every nested association (each is a ninjs object of its own). */
function withUris(doc: Json): Json {
  const out: Json = { ...doc };
  if (out['uri'] === undefined && typeof out['guid'] === 'string') out['uri'] = out['guid'];
  delete out['guid'];
  const assoc = out['associations'];
  if (isObject(assoc)) {
    out['associations'] = Object.fromEntries(Object.entries(assoc).map(([k, v]) => [k, isObject(v) ? withUris(v) : v]));
  }
  return out;
}

export interface SuperdeskReading {
  /** The document as IPTC ninjs 1.6, valid against that schema. */
  ninjs: Json;
  warnings: string[];
  /** What the dialect carries beyond ninjs, for the canonical story. */
  fields: Pick<CanonicalStory, 'dialect' | 'extra' | 'annotations' | 'signals'>;
}

export function readSuperdeskNinjs(source: Json, pointerPrefix = ''): SuperdeskReading {
  const warnings = ['ninjs dialect superdesk: no uri; the story is identified by guid'];
  const doc = withUris(JSON.parse(JSON.stringify(source)) as Json);
  const fields: SuperdeskReading['fields'] = { dialect: 'superdesk' };

  const authors = Array.isArray(doc['authors']) ? doc['authors'].filter(isObject) : [];
  if (!str(doc['byline']) && authors.length) {
    const writers = authors.filter((a) => WRITER_ROLES.test(str(a['role']) ?? ''));
    const names = (writers.length ? writers : authors).map((a) => str(a['name'])).filter((n): n is string => !!n);
    if (names.length) {
      doc['byline'] = names.join(', ');
      warnings.push(`ninjs dialect superdesk: byline taken from authors (${writers.length ? 'writer roles' : 'all roles'})`);
    }
  }
  const subjects = Array.isArray(doc['subject']) ? doc['subject'] : [];
  for (const s of subjects) {
    if (isObject(s) && s['scheme'] == null && typeof s['code'] === 'string' && /^\d{8}$/.test(s['code'])) s['scheme'] = 'subj';
  }
  const keywords = Array.isArray(doc['keywords']) ? doc['keywords'].filter((k): k is string => typeof k === 'string' && k.trim() !== '') : [];
  if (keywords.length) doc['subject'] = [...subjects, ...keywords.map((k) => ({ name: k.trim(), scheme: 'keyword' }))];
  const signals = Array.isArray(doc['signal']) ? doc['signal'].filter(isObject).map((s) => str(s['code']) ?? str(s['qcode'])).filter((s): s is string => !!s) : [];
  if (signals.length) fields.signals = signals;
  if (isObject(doc['extra'])) fields.extra = doc['extra'];
  const annotations = Array.isArray(doc['annotations']) ? doc['annotations'].filter(isObject) : [];
  const notes = annotations
    .map((a) => ({ id: a['id'] === undefined ? undefined : String(a['id']).slice(0, 64), type: str(a['type']), text: htmlToParagraphs(str(a['body']) ?? '').join('\n\n') }))
    .filter((a) => a.text);
  if (notes.length) fields.annotations = notes;
  if (typeof doc['version'] === 'number') doc['version'] = String(doc['version']);

  // Whatever IPTC 1.6 does not define is dropped, by the schema's own verdict; nulls are "absent".
  const dropped: string[] = [];
  for (const k of Object.keys(doc)) {
    if (!IPTC_16_FIELDS.has(k) && !/^(description|body|headline)_[a-zA-Z0-9_]+$/.test(k)) {
      delete doc[k];
      dropped.push(`/${k}`);
    }
  }
  for (let pass = 0; ; pass++) {
    const errors = validateNinjs(doc, '1.6');
    if (errors.length === 0) break;
    const removable = errors.filter((e) => e.keyword === 'additionalProperties' || (e.keyword === 'type' && valueAt(doc, e.pointer) === null));
    let removed = 0;
    for (const e of removable) {
      if (removeAt(doc, e.pointer)) {
        dropped.push(e.pointer);
        removed++;
      }
    }
    // Each pass removes what the schema names (at most 20); a document needing more is refused, not looped on.
    if (removed === 0 || pass >= 10) {
      const fieldErrors = errors.map((e) => ({ pointer: `${pointerPrefix}${e.pointer}`, code: `schema_${e.keyword}`, message: e.message }));
      throw new FormatError(422, 'schema_violation', fieldErrors[0]!.pointer, `Not valid Superdesk-style ninjs (read as IPTC ninjs 1.6): ${fieldErrors[0]!.pointer} ${fieldErrors[0]!.message}`, fieldErrors);
    }
  }
  const kept = new Set(['/authors', '/extra', '/annotations', '/keywords', '/signal']);
  const unmapped = dropped.filter((p) => !kept.has(p));
  if (unmapped.length) {
    warnings.push(`ninjs dialect superdesk: not in IPTC ninjs, not mapped: ${unmapped.slice(0, 12).join(', ')}${unmapped.length > 12 ? ` and ${unmapped.length - 12} more` : ''}`);
  }
  return { ninjs: doc, warnings, fields };
}

function valueAt(doc: Json, pointer: string): unknown {
  let cur: unknown = doc;
  for (const p of pointer.split('/').slice(1).map(unescapePointer)) cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
  return cur;
}
