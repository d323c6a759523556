/**
 * JSON request bodies for the small management endpoints (the admin API): read from the raw
 * bytes like everything else, parsed strictly (duplicate keys and `__proto__` refused) and
 * validated with zod; every problem names its field by JSON pointer.
 */
import type { Request } from 'express';
import type { z } from 'zod';
import { parseMediaType, parseStrictJson } from '@syndication/formats';
import { ProblemError } from './problem';

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
