import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from './openapi.document';

const OAS_31_SCHEMA = join(__dirname, '..', '..', '..', '..', 'tests', 'fixtures', 'openapi', 'oas-3.1-schema-2022-10-07.json');

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('OpenAPI document', () => {
  const doc = openApiDocument('http://127.0.0.1:3000');

  it('is a valid OpenAPI 3.1 document (the OpenAPI Initiative schema)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    // Ajv resolves `$dynamicRef` only to a root `$dynamicAnchor`; for the base dialect the
    // OpenAPI schema's `#meta` anchor is just its own `$defs/schema`, so point there directly.
    const text = readFileSync(OAS_31_SCHEMA, 'utf8').replaceAll('"$dynamicRef": "#meta"', '"$ref": "#/$defs/schema"');
    const validate = ajv.compile(JSON.parse(text) as object);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
  });

  it('resolves every $ref, and every operation has an id, responses and a security decision', () => {
    const json = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
    for (const r of refs(json)) {
      const target = r
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], json);
      expect([r, target !== undefined]).toEqual([r, true]);
    }
    const ops = Object.values(json['paths'] as Record<string, Record<string, Record<string, unknown>>>).flatMap((p) => Object.values(p));
    expect(new Set(ops.map((o) => o['operationId'])).size).toBe(ops.length);
    for (const op of ops) {
      expect(op['responses']).toBeDefined();
      expect(Array.isArray(op['security'])).toBe(true);
    }
  });
});
