/**
 * RFC 9457 problem details. Every error the intake API returns has this shape, a stable `type`
 * (one URL per code) and, where it applies, pointers to the offending fields.
 */
import { randomUUID } from 'node:crypto';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://syndication.dev/problems/';

export interface ProblemField {
  pointer: string;
  code: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  instance?: string;
  request_id: string;
  errors?: ProblemField[];
}

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: ProblemField[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export function problemBody(p: Omit<Problem, 'type' | 'request_id'> & { requestId?: string }): Problem {
  const { requestId, ...rest } = p;
  return { type: `${PROBLEM_TYPE_BASE}${p.code}`, ...rest, request_id: requestId ?? randomUUID() };
}

/** Problem text never echoes more than a short, escaped prefix of user input. */
export function safeEcho(input: string, max = 64): string {
  const cut = input.length > max ? `${input.slice(0, max)}…` : input;
  return cut.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
