/**
 * Database lifecycle for scripts and tests: create the database when missing, run migrations.
 * Apps never run migrations themselves; `npm start`, the test setup and `npm run migration:run` do.
 */
import { Client } from 'pg';
import { DEFAULT_DATABASE_TIMEOUTS, createDataSource } from './data-source-options';

/** Create the database named in `url` if it does not exist (connects to the `postgres` database). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[a-z0-9_]+$/i.test(name)) throw new Error(`Refusing to create database with unusual name "${name}"`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`); // name checked above; identifiers cannot be bound
  } finally {
    await client.end();
  }
}

/** Drop and recreate a database: only for throwaway test and bench databases. */
export async function recreateDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/_(test|bench)[a-z0-9_]*$/i.test(name)) throw new Error(`Refusing to drop "${name}": not a test or bench database`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

export async function runMigrations(url: string): Promise<string[]> {
  // A migration may rewrite a large table: no statement or query limit here, only the connect one.
  const ds = createDataSource(url, 2, { ...DEFAULT_DATABASE_TIMEOUTS, statementMs: 0, queryMs: 0 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}
