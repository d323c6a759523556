/**
 * JSON request bodies for the small management endpoints (admin API, clean-up rules): read from
 * the raw bytes like everything else, parsed strictly (duplicate keys and `__proto__` refused);
 * every problem names its field by JSON pointer.
 */
import type { Request } from 'express';
import type { z } from 'zod';
import { parseMediaType, parseStrictJson, type StrictJsonLimits } from '@syndication/formats';
import { ProblemError } from './problem';

/** A body validated by a zod schema (the admin API). */
export function parseJsonBody<S extends z.ZodType>(req: Request, schema: S): z.infer<S> {
  const type = parseMediaType(req.headers['content-type']).type;
  if (type !== 'application/json') {
    throw new ProblemError(415, 'unsupported_media_type', 'Unsupported media type', 'Send application/json', [
      { pointer: '/headers/content-type', code: 'unsupported_media_type', message: 'must be application/json' },
    ]);
  }
  const text = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const doc = parseStrictJson(text);
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    throw new ProblemError(
      422,
      'invalid_request',
      'Unprocessable content',
      'The request body does not match the schema (see errors)',
      parsed.error.issues.map((i) => ({
        pointer: `/${i.path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`,
        code: i.code,
        message: i.message,
      })),
    );
  }
  return parsed.data;
}

/** Small management bodies: a few flat fields. */
const SMALL_BODY: StrictJsonLimits = { maxDepth: 4, maxValues: 100 };

/** An object body; an empty body is `{}` when `optional`. `limits` for bodies that carry lists. */
export function readJsonObject(body: unknown, optional = false, limits: StrictJsonLimits = SMALL_BODY): Record<string, unknown> {
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (raw.trim() === '') {
    if (optional) return {};
    throw new ProblemError(400, 'empty_body', 'Bad request', 'A JSON object is required');
  }
  const value = parseStrictJson(raw, limits);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProblemError(400, 'invalid_body', 'Bad request', 'The body must be a JSON object', [
      { pointer: '', code: 'invalid_body', message: 'expected an object' },
    ]);
  }
  return value as Record<string, unknown>;
}

/** Refuses fields the endpoint does not know (mass assignment), naming each. */
export function rejectUnknown(obj: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    throw new ProblemError(
      400,
      'unknown_field',
      'Bad request',
      `Unknown field(s): ${extra.map((k) => k.slice(0, 32)).join(', ')}`,
      extra.map((k) => ({ pointer: `/${k.slice(0, 32)}`, code: 'unknown_field', message: 'not accepted here' })),
    );
  }
}
