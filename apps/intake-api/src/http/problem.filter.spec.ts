/** Storage outages become 503 + Retry-After by error code and class; other errors stay 500, whatever their wording. */
import type { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemFilter } from './problem.filter';

interface Sent {
  status: number;
  headers: Record<string, string>;
  body: { status: number; code: string };
}

function render(exception: unknown): Sent {
  const sent: Partial<Sent> = {};
  const res = {
    status(s: number) {
      sent.status = s;
      return res;
    },
    set(h: Record<string, string>) {
      sent.headers = h;
      return res;
    },
    send(b: string) {
      sent.body = JSON.parse(b) as Sent['body'];
      return res;
    },
  };
  const host = {
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'POST', originalUrl: '/v1/stories' }) }),
  } as unknown as ArgumentsHost;
  const filter = new ProblemFilter();
  // The filter logs every 5xx; keep the test output quiet.
  (filter as unknown as { logger: { error(): void } }).logger = { error: () => undefined };
  filter.catch(exception, host);
  return sent as Sent;
}

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('ProblemFilter outage classification', () => {
  it.each([
    ['57P03 the database is starting up', withCode('the database system is starting up', '57P03')],
    ['57P01 admin shutdown', withCode('terminating connection due to administrator command', '57P01')],
    ['08006 connection failure', withCode('connection failure', '08006')],
    ['53300 too many connections', withCode('sorry, too many clients already', '53300')],
    ['57014 statement timeout', withCode('canceling statement due to statement timeout', '57014')],
    ['DNS ENOTFOUND', withCode('getaddrinfo ENOTFOUND db.internal', 'ENOTFOUND')],
    ['DNS EAI_AGAIN', withCode('getaddrinfo EAI_AGAIN db.internal', 'EAI_AGAIN')],
    ['ECONNREFUSED', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['pg-pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['pg query read timeout', new Error('Query read timeout')],
    ['TypeORM wrapping 57P03', new QueryFailedError('SELECT 1', [], withCode('the database system is starting up', '57P03'))],
    ['an outage as the cause', new Error('intake failed', { cause: withCode('connect EHOSTUNREACH 10.0.0.5:5432', 'EHOSTUNREACH') })],
  ])('%s -> 503 unavailable with Retry-After', (_label, err) => {
    const sent = render(err);
    expect(sent.status).toBe(503);
    expect(sent.body.code).toBe('unavailable');
    expect(Number(sent.headers['Retry-After'])).toBeGreaterThan(0);
    expect(sent.headers['Content-Type']).toBe('application/problem+json');
  });

  it.each([
    ['a bug whose message mentions a connection timeout', new Error('Connection settings: timeout must be a number')],
    ['a unique violation', withCode('duplicate key value violates unique constraint "connection_pkey"', '23505')],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'terminate')")],
  ])('%s -> 500 internal_error', (_label, err) => {
    const sent = render(err);
    expect(sent.status).toBe(500);
    expect(sent.body.code).toBe('internal_error');
    expect(sent.headers['Retry-After']).toBeUndefined();
  });
});
