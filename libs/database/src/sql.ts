/** Raw SQL helpers over TypeORM's EntityManager / DataSource. */
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Rows of a query, whatever its kind. TypeORM's postgres driver answers UPDATE/DELETE ...
 * RETURNING with `[rows, rowCount]` but SELECT/INSERT with the rows alone; callers should not
 * have to know which.
 */
export async function queryRows<T>(m: EntityManager | DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  const res: unknown = await m.query(sql, params);
  if (Array.isArray(res) && res.length === 2 && Array.isArray(res[0]) && typeof res[1] === 'number') return res[0] as T[];
  return res as T[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Row ids are UUIDs. A path id that is not one cannot name a row, and must not reach a `$1::uuid`
 * comparison, where Postgres refuses it with an error (a 500) instead of finding nothing (a 404).
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
