/**
 * Runs once before the integration and e2e tiers: a fresh test database with migrations applied,
 * and a real Apertium APy on a free port. Missing Apertium is an error, not a skip: `.ci/run`
 * installs it (see README).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Global setup runs outside jest's module registry (no moduleNameMapper), so it imports the
// files it needs directly instead of through the @syndication/* aliases.
import { recreateDatabase, runMigrations } from '../libs/database/src/bootstrap';
import { findApertium, startApy } from '../libs/language/src/translation/apy-server';
import { STATE_FILE, TEST_DATABASE_URL, type TestState } from './support/env';
import { freePort } from '../libs/testing/src/ports';

export default async function globalSetup(): Promise<void> {
  await recreateDatabase(TEST_DATABASE_URL);
  await runMigrations(TEST_DATABASE_URL);
  if (!findApertium()) {
    throw new Error('Apertium APy is not installed: apt-get install apertium-apy apertium-rus-ukr apertium-eng-spa (or run .ci/run)');
  }
  const apy = await startApy({ port: await freePort(), workDir: mkdtempSync(join(tmpdir(), 'syndication-apy-')) });
  const state: TestState = { apertiumUrl: apy.url, apyPid: apy.pid };
  writeFileSync(STATE_FILE, JSON.stringify(state));
  process.env['SYNDICATION_TEST_STATE'] = STATE_FILE;
  (globalThis as { __apy?: { stop(): Promise<void> } }).__apy = apy;
}
