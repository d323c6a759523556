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
