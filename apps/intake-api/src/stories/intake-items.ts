/**
 * Per-item outcomes of multi-item documents (lenient handling) and the parse-time budget: the
 * parts of intake that decide what a bad item or a slow document turns into.
 */
import { FormatError, ninjsSchemaCompileMs, replaceUnsafeText } from '@syndication/formats';
import { type ProblemField, ProblemError } from '../http/problem';

export interface RejectedItem {
  index: number;
  externalId?: string;
  status: number;
  code: string;
  detail: string;
  errors: ProblemField[];
}

/**
 * A problem for one item of a document, in the shape of the problem it would have been alone.
 * Its text is made storable (the idempotency record and a polled feed's last result keep it in
 * jsonb): an item refused for a NUL in its id must not fail the document that reports it.
 */
export function itemProblem(index: number, err: FormatError | ProblemError, externalId?: string): RejectedItem {
  const p = rawItemProblem(index, err, externalId === undefined ? undefined : replaceUnsafeText(externalId));
  return { ...p, detail: replaceUnsafeText(p.detail), errors: p.errors.map((e) => ({ ...e, pointer: replaceUnsafeText(e.pointer), message: replaceUnsafeText(e.message) })) };
}

function rawItemProblem(index: number, err: FormatError | ProblemError, externalId?: string): RejectedItem {
  if (err instanceof FormatError) {
    return {
      index,
      ...(externalId ? { externalId } : {}),
      status: err.status,
      code: err.code,
      detail: err.message,
      errors: err.fields ?? [{ pointer: err.pointer, code: err.code, message: err.message }],
    };
  }
  return {
    index,
    ...(externalId ? { externalId } : {}),
    status: err.status,
    code: err.code,
    detail: err.detail ?? err.title,
    errors: err.errors ?? [{ pointer: `/items/${index}`, code: err.code, message: err.detail ?? err.title }],
  };
}

/**
 * Parse-time budget: time spent in our own synchronous steps (the parse, then each item's
 * clean-up and language detection), so other requests running while this one yields do not
 * count against it; a schema's one-time compilation does not count either. Size caps bound each
 * step; this bounds their sum.
 */
export class ParseBudget {
  private spent = 0;

  constructor(private readonly limitMs: number) {}

  run<T>(step: () => T): T {
    const t0 = performance.now();
    const compiling0 = ninjsSchemaCompileMs();
    try {
      return step();
    } finally {
      this.spent += performance.now() - t0 - (ninjsSchemaCompileMs() - compiling0);
      if (this.spent > this.limitMs) {
        throw new ProblemError(
          413,
          'parse_budget_exceeded',
          'Payload too large',
          `The document took more than ${this.limitMs} ms to parse and prepare; split it into smaller documents`,
        );
      }
    }
  }
}

/** Between items: let other requests run, so one large document cannot hold the event loop. */
export const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));


/** Lenient handling with nothing acceptable: a plain rejection, every item's problem listed. */
export function noItemAccepted(rejected: RejectedItem[]): ProblemError {
  const first = rejected[0];
  // Not lenient, or a document without items: parsers throw before this point.
  if (!first) return new ProblemError(422, 'no_items', 'Unprocessable content', 'The document carries no story');
  const errors = rejected.flatMap((r) => r.errors);
  const status = rejected.every((r) => r.status === first.status) ? first.status : 422;
  const title = status === 409 ? 'Conflict' : status === 413 ? 'Payload too large' : 'Unprocessable content';
  return new ProblemError(status, rejected.length === 1 ? first.code : 'no_item_accepted', title, `None of the document's ${rejected.length} items could be accepted`, errors);
}

