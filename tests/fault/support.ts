/**
 * Shared setup of the fault scenarios: a FaultSystem on a sibling of the test database (dropped
 * afterwards), the shared Redis under an own prefix unless a scenario needs its own redis-server,
 * and small waiting helpers that poll with a sleep. The apps run from dist/ (`npm test` builds first).
 */
import {
  checkDeliveries,
  startFaultSystem,
  siblingDatabaseUrl,
  type AcceptedStory,
  type CheckResult,
  type EndpointExpectation,
  type FaultSystem,
  type FaultSystemOptions,
} from '@syndication/testing';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/env';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function bootFault(label: string, opts: Partial<FaultSystemOptions> = {}): Promise<FaultSystem> {
  return startFaultSystem({
    label,
    databaseUrl: siblingDatabaseUrl(TEST_DATABASE_URL, `fault_${label}`),
    redis: 'shared',
    sharedRedisUrl: TEST_REDIS_URL,
    dropDatabaseOnStop: true,
    ...opts,
  });
}

/** Every webhook endpoint (deduped by webhook-id) and feed of the system, expecting every story accepted once it existed. */
export function expectations(system: FaultSystem, only?: string[]): EndpointExpectation[] {
  return [
    ...system.webhooks.map((w) => ({ name: w.name, logFile: w.logFile, idempotentByKey: true, expects: (a: AcceptedStory) => a.at >= w.since })),
    ...system.feeds.map((f) => ({ name: f.name, logFile: f.logFile, idempotentByKey: false, expects: (a: AcceptedStory) => a.at >= f.since })),
  ].filter((e) => !only || only.includes(e.name));
}

/** Checks until nothing is lost (or the time is up) and returns the last check. */
export async function settle(system: FaultSystem, timeoutMs: number, only?: string[]): Promise<CheckResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await Promise.all(system.feeds.map((f) => f.pollNow()));
    const result = checkDeliveries(system.client.acceptedLog, expectations(system, only));
    if (result.lost === 0 || Date.now() > deadline) return result;
    await sleep(500);
  }
}

/** Pushes `n` stories, `concurrency` at a time; returns the statuses seen. */
export async function pushMany(system: FaultSystem, n: number, tag: string, concurrency = 4): Promise<Array<number | 'network_error'>> {
  const statuses: Array<number | 'network_error'> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await system.client.push(`urn:fault:${tag}:${i}`, `Fault ${tag} story ${i}`);
        statuses.push(r.status);
      }
    }),
  );
  return statuses;
}

/** A failing check's message: the checker's figures and every process' output tail. */
export function explain(system: FaultSystem, result?: CheckResult): string {
  return `${result ? JSON.stringify({ ...result, perEndpoint: result.perEndpoint }, null, 1) : ''}\n${system.supervisor.describe()}`;
}
