/**
 * Our stories as IPTC ninjs documents (2.1 and 3.0), built once here for every outlet (the
 * story API's `?format=ninjs` and the webhook payload) so they can never disagree. The input is
 * plain data, not database rows, so the channels lib can use it without depending on Postgres.
 * Both schemas refuse unknown top-level properties, so nothing of ours is added to the document:
 * callers put their own fields beside it.
 */
import { paragraphsToHtml } from './html';

export const NINJS_OUT_VERSIONS = ['2.1', '3.0'] as const;
export type NinjsOutVersion = (typeof NINJS_OUT_VERSIONS)[number];
export const DEFAULT_NINJS_OUT_VERSION: NinjsOutVersion = '2.1';

export function isNinjsOutVersion(v: string): v is NinjsOutVersion {
  return (NINJS_OUT_VERSIONS as readonly string[]).includes(v);
}

export const MEDIATOPIC_SCHEME_URI = 'http://cv.iptc.org/newscodes/mediatopic/';
export const WIKIDATA_ENTITY_PREFIX = 'http://www.wikidata.org/entity/';
const QID = /^Q[1-9]\d*$/;

/** Only Wikidata QIDs are public identifiers; our slug ids are not, so they get no uri. */
export function wikidataUri(entityId: string): string | undefined {
  return QID.test(entityId) ? `${WIKIDATA_ENTITY_PREFIX}${entityId}` : undefined;
}

/** "medtop:20000568" -> "http://cv.iptc.org/newscodes/mediatopic/20000568". */
export function mediaTopicUri(code: string): string | undefined {
  const match = /^medtop:(\d+)$/.exec(code);
  return match ? `${MEDIATOPIC_SCHEME_URI}${match[1]}` : undefined;
}

export interface NinjsOutInput {
  uri: string;
  version: number | string;
  /** ISO 8601 instants. */
  versionCreated: string;
  firstCreated?: string;
  pubStatus?: 'usable' | 'withheld' | 'canceled';
  language: string;
  headline: string;
  subheadline?: string;
  byline?: string;
  dateline?: string;
  paragraphs: readonly string[];
  /** Sanitised HTML of the source; absent for translations (their HTML is built from paragraphs). */
  bodyHtml?: string;
  urgency?: number;
  embargo?: string;
  expires?: string;
  copyrightHolder?: string;
  copyrightNotice?: string;
  usageTerms?: string;
  topics: ReadonlyArray<{ code: string; name: string }>;
  entities: ReadonlyArray<{ id: string; name: string; type: string }>;
  keywords?: readonly string[];
}

export type NinjsDocument = Record<string, unknown> & { uri: string };

type Named = { name: string; uri?: string; literal?: string };

function named(name: string, uri: string | undefined, literal?: string): Named {
  const out: Named = { name };
  if (uri) out.uri = uri;
  else if (literal) out.literal = literal;
  return out;
}

/** A ninjs document of the given version; 2.x names are lower-case, 3.x camelCase. */
export function buildNinjs(s: NinjsOutInput, version: NinjsOutVersion = DEFAULT_NINJS_OUT_VERSION): NinjsDocument {
  const v3 = version.startsWith('3.');
  const k = (lower: string, camel: string) => (v3 ? camel : lower);
  const doc: NinjsDocument = { uri: s.uri, type: 'text', version: String(s.version) };
  doc[k('versioncreated', 'versionCreated')] = s.versionCreated;
  if (s.firstCreated) doc[k('firstcreated', 'firstCreated')] = s.firstCreated;
  doc[k('pubstatus', 'pubStatus')] = s.pubStatus ?? 'usable';
  if (s.embargo) doc[k('embargoed', 'embargoedUntil')] = s.embargo;
  if (s.expires) doc['expires'] = s.expires;
  // 3.0 wants an integer 1..9; 2.1 any number. Out-of-range values are not ours to invent a fix for.
  if (s.urgency !== undefined && Number.isInteger(s.urgency) && s.urgency >= 1 && s.urgency <= 9) doc['urgency'] = s.urgency;
  if (s.copyrightHolder) doc[k('copyrightholder', 'copyrightHolder')] = s.copyrightHolder;
  if (s.copyrightNotice) doc[k('copyrightnotice', 'copyrightNotice')] = s.copyrightNotice;
  if (s.usageTerms) doc[k('usageterms', 'usageTerms')] = s.usageTerms;
  if (s.language && s.language !== 'und') doc['language'] = s.language;
  const contentType = k('contenttype', 'contentType');
  const headlines: Array<Record<string, string>> = [{ role: 'main', value: s.headline }];
  if (s.subheadline) headlines.push({ role: 'sub', value: s.subheadline });
  doc['headlines'] = headlines;
  if (s.byline) doc['by'] = s.byline;
  if (s.dateline) doc['located'] = s.dateline;
  const text = s.paragraphs.join('\n\n');
  doc['bodies'] = [
    { role: 'main', [contentType]: 'text/plain', [k('charcount', 'charCount')]: text.length, value: text },
    { role: 'main', [contentType]: 'text/html', value: s.bodyHtml ?? paragraphsToHtml([...s.paragraphs]) },
  ];
  const subjects: Named[] = s.topics.map((t) => named(t.name, mediaTopicUri(t.code), t.code));
  for (const kw of s.keywords ?? []) subjects.push({ name: kw, literal: kw });
  // Entities go where ninjs puts them (people, organisations, places); the rest are subjects.
  const bucket: Record<string, Named[]> = { people: [], organisations: [], places: [] };
  for (const e of s.entities) {
    const item = named(e.name, wikidataUri(e.id), e.id);
    const where = e.type === 'person' ? 'people' : e.type === 'organisation' ? 'organisations' : e.type === 'place' ? 'places' : undefined;
    if (where) bucket[where]!.push(item);
    else subjects.push(item);
  }
  if (subjects.length) doc['subjects'] = subjects;
  for (const [key, list] of Object.entries(bucket)) if (list.length) doc[key] = list;
  doc['standard'] = { name: 'ninjs', version, schema: `http://www.iptc.org/std/ninjs/ninjs-schema_${version}.json#` };
  return doc;
}
