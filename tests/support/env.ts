/**
 * Where the test suite finds its services. Defaults match the machines' local Postgres and Redis;
 * override with TEST_DATABASE_URL / TEST_REDIS_URL. The database is dropped and recreated by the
 * global setup, so it must be a throwaway one (its name must end in _test).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/syndication_test';
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const STATE_FILE = join(tmpdir(), `syndication-test-state-${process.ppid}-${process.getuid?.() ?? 0}.json`);

export interface TestState {
  apertiumUrl: string;
  apyPid: number;
}

export function readState(): TestState {
  return JSON.parse(readFileSync(process.env['SYNDICATION_TEST_STATE'] ?? STATE_FILE, 'utf8')) as TestState;
}

export const SEED_FILE = join(__dirname, '..', 'fixtures', 'seed', 'centralasia-2026-02-07-ru.txt');
