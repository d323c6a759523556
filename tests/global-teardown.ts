import { rmSync } from 'node:fs';
import { STATE_FILE } from './support/env';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __apy?: { stop(): Promise<void> } }).__apy?.stop();
  rmSync(STATE_FILE, { force: true });
}
