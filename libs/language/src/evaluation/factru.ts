/**
 * Reads a directory in factRuEval-2016 format (book_<n>.txt, .spans, .objects) and turns its
 * objects into gold PER/LOC/ORG spans the way natasha/naeval does, so that figures computed here
 * are comparable with the published ones (slovnet, PullEnti, spaCy, Stanza on factRuEval).
 *
 * The protocol (naeval `sources/factru.py` + `adapt_factru`), reproduced step by step:
 *  - a span line is `id type start size ...`; its character range is [start, start + size) of the
 *    .txt file as read (UTF-8, no other normalisation);
 *  - an object line is `id type spanId spanId ... # text`; span ids run until the first
 *    non-numeric field;
 *  - Person -> PER over the object's whole extent (min start to max stop of all its spans,
 *    whatever their types: name, surname, patronymic, nickname);
 *  - Org -> ORG for each of its `org_name` spans (overlaps removed within the object);
 *  - Location and LocOrg -> LOC for each of their `loc_name` spans (likewise);
 *  - every other object type (Project, Facility...) and span type (descriptors, jobs) is ignored;
 *  - overlapping spans of the whole document are filtered (`filterOverlapping`: in start order,
 *    longest first, a span starting before the end of the last kept one is dropped: "мид Грузии"
 *    as ORG wins over "Грузии" as LOC);
 *  - spans whose bounds are not token bounds are dropped (`filterMisaligned`), then spans are
 *    sorted by start.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { filterMisaligned, filterOverlapping, scoringTokens, type NerSpan, type NerType } from './ner-score';

export interface FactruSpan {
  id: string;
  type: string;
  start: number;
  stop: number;
}

export interface FactruObject {
  id: string;
  type: string;
  spans: FactruSpan[];
}

export interface FactruDocument {
  id: string;
  text: string;
  objects: FactruObject[];
}

/** Document ids in numeric order, so runs are reproducible whatever the directory listing order. */
export function listFactruIds(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => /^book_(\d+)\.txt$/.exec(name)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort((a, b) => Number(a) - Number(b));
}

function lines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
}

export function parseSpans(spanLines: readonly string[]): FactruSpan[] {
  return spanLines.map((line) => {
    const [id, type, start, size] = line.trim().split(/\s+/);
    if (id === undefined || type === undefined || start === undefined || size === undefined || !/^\d+$/.test(start) || !/^\d+$/.test(size)) {
      throw new Error(`factRuEval: bad span line "${line}"`);
    }
    return { id, type, start: Number(start), stop: Number(start) + Number(size) };
  });
}

export function parseObjects(objectLines: readonly string[], spans: readonly FactruSpan[]): FactruObject[] {
  const byId = new Map(spans.map((span) => [span.id, span]));
  return objectLines.map((line) => {
    const [id, type, ...rest] = line.trim().split(/\s+/);
    if (id === undefined || type === undefined) throw new Error(`factRuEval: bad object line "${line}"`);
    const objectSpans: FactruSpan[] = [];
    for (const field of rest) {
      if (!/^\d+$/.test(field)) break;
      const span = byId.get(field);
      if (!span) throw new Error(`factRuEval: object ${id} refers to unknown span ${field}`);
      objectSpans.push(span);
    }
    return { id, type, spans: objectSpans };
  });
}

export function loadFactruDocument(dir: string, id: string): FactruDocument {
  const base = join(dir, `book_${id}`);
  const text = readFileSync(`${base}.txt`, 'utf8');
  const spans = parseSpans(lines(`${base}.spans`));
  return { id, text, objects: parseObjects(lines(`${base}.objects`), spans) };
}

export function loadFactru(dir: string): FactruDocument[] {
  const ids = listFactruIds(dir);
  if (ids.length === 0) throw new Error(`no factRuEval documents (book_<n>.txt) in ${dir}`);
  return ids.map((id) => loadFactruDocument(dir, id));
}

const LOC_OBJECTS: ReadonlySet<string> = new Set(['Location', 'LocOrg']);

/** The gold PER/LOC/ORG spans of a document under the naeval protocol (see the module header). */
export function goldSpans(doc: FactruDocument): NerSpan[] {
  const spans: NerSpan[] = [];
  const named = (object: FactruObject, spanType: string, type: NerType): void => {
    const own = object.spans.filter((span) => span.type === spanType).map((span) => ({ start: span.start, stop: span.stop, type }));
    spans.push(...filterOverlapping(own));
  };
  for (const object of doc.objects) {
    if (object.type === 'Person') {
      if (object.spans.length === 0) continue;
      spans.push({
        start: Math.min(...object.spans.map((span) => span.start)),
        stop: Math.max(...object.spans.map((span) => span.stop)),
        type: 'PER',
      });
    } else if (object.type === 'Org') {
      named(object, 'org_name', 'ORG');
    } else if (LOC_OBJECTS.has(object.type)) {
      named(object, 'loc_name', 'LOC');
    }
  }
  return filterMisaligned(filterOverlapping(spans), scoringTokens(doc.text)).sort((a, b) => a.start - b.start);
}
