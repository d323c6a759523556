/**
 * IPTC ninjs JSON Schema validation, one vendored schema per published version (schemas/ninjs,
 * see its README). Validation follows IPTC's own runner: `format` is an annotation, not an
 * assertion (several should_pass files of IPTC's suite carry e.g. "Last Tuesday" as a date), so
 * formats are not checked here; the canonical mapper parses dates and keeps what it can read.
 *
 * ajv speaks draft-06+ only, so the older schemas are lifted mechanically: draft-03 (1.0)
 * `required: true` on a property becomes the parent's `required` array, and draft-03/04 `id`
 * becomes `$id`. No schema needs a network: the GeoJSON schema 2.x/3.x refer to is vendored too.
 */
import Ajv, { type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
// Type-only imports keep the JSON files in the program, so the build copies them to dist.
import type S10 from '../schemas/ninjs/ninjs-schema_1.0.json';
import type S11 from '../schemas/ninjs/ninjs-schema_1.1.json';
import type S12 from '../schemas/ninjs/ninjs-schema_1.2.json';
import type S13 from '../schemas/ninjs/ninjs-schema_1.3.json';
import type S14 from '../schemas/ninjs/ninjs-schema_1.4.json';
import type S15 from '../schemas/ninjs/ninjs-schema_1.5.json';
import type S16 from '../schemas/ninjs/ninjs-schema_1.6.json';
import type S20 from '../schemas/ninjs/ninjs-schema_2.0.json';
import type S21 from '../schemas/ninjs/ninjs-schema_2.1.json';
import type S22 from '../schemas/ninjs/ninjs-schema_2.2.json';
import type S30 from '../schemas/ninjs/ninjs-schema_3.0.json';
import type S31 from '../schemas/ninjs/ninjs-schema_3.1.json';
import type GeoJson from '../schemas/ninjs/geojson-schema.json';

export const NINJS_VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '2.0', '2.1', '2.2', '3.0', '3.1'] as const;
export type NinjsVersion = (typeof NINJS_VERSIONS)[number];

export function isNinjsVersion(v: string): v is NinjsVersion {
  return (NINJS_VERSIONS as readonly string[]).includes(v);
}

type JsonSchema = Record<string, unknown>;

function loadSchema(version: NinjsVersion): JsonSchema {
  // Loaded lazily: a deployment that only ever sees 3.x never parses the older schemas.
  switch (version) {
    case '1.0': return require('../schemas/ninjs/ninjs-schema_1.0.json') as typeof S10;
    case '1.1': return require('../schemas/ninjs/ninjs-schema_1.1.json') as typeof S11 as unknown as JsonSchema;
    case '1.2': return require('../schemas/ninjs/ninjs-schema_1.2.json') as typeof S12 as unknown as JsonSchema;
    case '1.3': return require('../schemas/ninjs/ninjs-schema_1.3.json') as typeof S13 as unknown as JsonSchema;
    case '1.4': return require('../schemas/ninjs/ninjs-schema_1.4.json') as typeof S14 as unknown as JsonSchema;
    case '1.5': return require('../schemas/ninjs/ninjs-schema_1.5.json') as typeof S15 as unknown as JsonSchema;
    case '1.6': return require('../schemas/ninjs/ninjs-schema_1.6.json') as typeof S16 as unknown as JsonSchema;
    case '2.0': return require('../schemas/ninjs/ninjs-schema_2.0.json') as typeof S20 as unknown as JsonSchema;
    case '2.1': return require('../schemas/ninjs/ninjs-schema_2.1.json') as typeof S21 as unknown as JsonSchema;
    case '2.2': return require('../schemas/ninjs/ninjs-schema_2.2.json') as typeof S22 as unknown as JsonSchema;
    case '3.0': return require('../schemas/ninjs/ninjs-schema_3.0.json') as typeof S30 as unknown as JsonSchema;
    case '3.1': return require('../schemas/ninjs/ninjs-schema_3.1.json') as typeof S31 as unknown as JsonSchema;
  }
}

function isObject(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** draft-03 -> draft-07: boolean `required` on properties moves to the parent's array. */
function liftDraft03(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(liftDraft03);
  if (!isObject(node)) return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'required' && typeof v === 'boolean') continue;
    out[k] = liftDraft03(v);
  }
  const props = node['properties'];
  if (isObject(props)) {
    const required = Object.entries(props)
      .filter(([, p]) => isObject(p) && p['required'] === true)
      .map(([name]) => name);
    if (required.length) out['required'] = required;
  }
  return out;
}

/** Schemas before 2019-09 are compiled by the draft-07 ajv: `id` -> `$id`, `$schema` -> draft-07. */
function forDraft07(schema: JsonSchema): JsonSchema {
  const draft = String(schema['$schema'] ?? '');
  const lifted = (draft.includes('draft-03') ? liftDraft03(schema) : schema) as JsonSchema;
  const { id, $schema: _ignored, ...rest } = lifted;
  return { ...rest, $id: typeof id === 'string' ? id : rest['$id'], $schema: 'http://json-schema.org/draft-07/schema#' };
}

function geoJson(): JsonSchema {
  const raw = require('../schemas/ninjs/geojson-schema.json') as typeof GeoJson as unknown as JsonSchema;
  // Same keywords in every draft; dropping $schema lets both ajv flavours load it.
  const { $schema: _ignored, ...rest } = raw;
  return { ...rest, $id: 'https://geojson.org/schema/GeoJSON.json' };
}

const compiled = new Map<NinjsVersion, ValidateFunction>();
let ajv07: Ajv | undefined;
let ajv2020: Ajv2020 | undefined;
let compileMs = 0;

/**
 * Milliseconds spent compiling schemas so far (once per version per process, up to ~2 s each):
 * the intake's parse budget leaves this out, as it is not the cost of the document at hand.
 */
export function ninjsSchemaCompileMs(): number {
  return compileMs;
}

function validator(version: NinjsVersion): ValidateFunction {
  const hit = compiled.get(version);
  if (hit) return hit;
  const t0 = performance.now();
  try {
    return compile(version);
  } finally {
    compileMs += performance.now() - t0;
  }
}

function compile(version: NinjsVersion): ValidateFunction {
  const schema = loadSchema(version);
  const modern = String(schema['$schema'] ?? '').includes('2020-12');
  // strict: false because IPTC schemas carry annotations ajv does not know ($comment-like keys).
  const options = { strict: false, validateFormats: false, allErrors: true, allowUnionTypes: true };
  let fn: ValidateFunction;
  if (modern) {
    ajv2020 ??= new Ajv2020({ ...options, schemas: [geoJson() as AnySchema] });
    fn = ajv2020.compile(schema);
  } else {
    ajv07 ??= new Ajv({ ...options, schemas: [geoJson() as AnySchema] });
    fn = ajv07.compile(forDraft07(schema));
  }
  compiled.set(version, fn);
  return fn;
}

export interface SchemaViolation {
  /** JSON pointer into the document. */
  pointer: string;
  keyword: string;
  message: string;
}

function describe(e: ErrorObject): SchemaViolation {
  let pointer = e.instancePath;
  let message = e.message ?? e.keyword;
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties' || e.keyword === 'unevaluatedProperties') {
    const extra = String(params['additionalProperty'] ?? params['unevaluatedProperty'] ?? '');
    pointer = `${pointer}/${extra.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    message = `property "${extra.slice(0, 64)}" is not allowed`;
  } else if (e.keyword === 'required') {
    pointer = `${pointer}/${String(params['missingProperty'] ?? '')}`;
    message = `${String(params['missingProperty'])} is required`;
  } else if (e.keyword === 'enum') {
    message = `must be one of ${JSON.stringify(params['allowedValues']).slice(0, 200)}`;
  }
  return { pointer, keyword: e.keyword, message };
}

/** Validates against one version's schema; an empty list means valid. At most 20 violations. */
export function validateNinjs(doc: unknown, version: NinjsVersion): SchemaViolation[] {
  const fn = validator(version);
  if (fn(doc)) return [];
  const seen = new Set<string>();
  const out: SchemaViolation[] = [];
  // Most specific first: a failed oneOf/anyOf/if is noise once its branches' errors are listed.
  const errors = [...(fn.errors ?? [])].sort((a, b) => Number(['oneOf', 'anyOf', 'if', 'not'].includes(a.keyword)) - Number(['oneOf', 'anyOf', 'if', 'not'].includes(b.keyword)));
  for (const e of errors) {
    const v = describe(e);
    const key = `${v.pointer} ${v.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(v);
    if (out.length >= 20) break;
  }
  return out;
}
