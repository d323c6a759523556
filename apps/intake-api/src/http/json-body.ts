/** Small JSON request bodies of the management endpoints, through the intake's strict parser. */
import { parseStrictJson } from '@syndication/formats';
import { ProblemError } from './problem';

/** An object body; an empty body is `{}` when `optional`. */
export function readJsonObject(body: unknown, optional = false): Record<string, unknown> {
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  if (raw.trim() === '') {
    if (optional) return {};
    throw new ProblemError(400, 'empty_body', 'Bad request', 'A JSON object is required');
  }
  const value = parseStrictJson(raw, { maxDepth: 4, maxValues: 100 });
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
