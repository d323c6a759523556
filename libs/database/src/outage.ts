/**
 * Tells an infrastructure outage (Postgres or Redis unreachable, starting up, shutting down,
 * out of connections, not answering) from everything else, by error code and class, never by
 * the wording of a message. The intake answers an outage with 503 + Retry-After; workers back
 * off without spending an attempt. Shared here because both sides must agree.
 *
 * Codes: SQLSTATE classes 08 (connection exception), 53 (insufficient resources), 58 (system
 * error), 57P01-57P05 (admin/crash shutdown, cannot connect now, idle session timeout...) and
 * 57014 (statement timeout: the server is too slow to serve us now); socket errno codes for a
 * refused, reset, timed-out, unreachable or unresolvable (DNS) peer.
 *
 * node-postgres, pg-pool and ioredis raise a few connection errors without any code; those are
 * recognised by the exact constant text the driver uses for them (a fixed identity in the driver's
 * source, not a pattern over arbitrary messages), listed below.
 */

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
]);

/** Errors node-postgres / pg-pool / ioredis create without a code when the connection is the problem. */
const CODELESS_DRIVER_ERRORS = new Set([
  // pg-pool: no connection within connectionTimeoutMillis
  'timeout exceeded when trying to connect',
  'Connection terminated due to connection timeout',
  // pg Client
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Query read timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  // ioredis
  'Connection is closed.',
  'Command timed out',
  "Stream isn't writeable and enableOfflineQueue options is false",
]);

const CODELESS_DRIVER_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionTimeoutError']);

function isOutageCode(code: string): boolean {
  if (SOCKET_CODES.has(code)) return true;
  if (!/^[0-9A-Z]{5}$/.test(code)) return false;
  const cls = code.slice(0, 2);
  return cls === '08' || cls === '53' || cls === '58' || /^57P0[1-5]$/.test(code) || code === '57014';
}

/** True when `err` (or anything it wraps: cause, TypeORM's driverError, an AggregateError's errors) is an outage. */
export function isInfrastructureOutage(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; driverError?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && isOutageCode(e.code)) return true;
  if (typeof e.name === 'string' && CODELESS_DRIVER_ERROR_NAMES.has(e.name)) return true;
  if (typeof e.message === 'string' && CODELESS_DRIVER_ERRORS.has(e.message)) return true;
  if (e.driverError && e.driverError !== err && isInfrastructureOutage(e.driverError, depth + 1)) return true;
  if (e.cause && e.cause !== err && isInfrastructureOutage(e.cause, depth + 1)) return true;
  if (Array.isArray(e.errors)) return e.errors.some((x) => isInfrastructureOutage(x, depth + 1));
  return false;
}
