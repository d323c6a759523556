/** `npm run migration:run`: create the database if needed and apply pending migrations. */
import { loadConfig } from '@syndication/config';
import { ensureDatabase, runMigrations } from '@syndication/database';

async function main(): Promise<void> {
  const { database } = loadConfig();
  await ensureDatabase(database.url);
  const applied = await runMigrations(database.url);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
});
