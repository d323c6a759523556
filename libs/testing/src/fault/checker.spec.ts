import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDeliveries, percentile, recoveryTimes } from './checker';
import type { DeliveryLogEntry } from './endpoints';
import type { AcceptedStory } from './load';
import { createRng } from './prng';

const dir = mkdtempSync(join(tmpdir(), 'checker-spec-'));
const write = (name: string, rows: object[]): string => {
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return file;
};
const accepted = (storyId: string, at = 1): AcceptedStory => ({ at, storyId, uri: `urn:${storyId}`, status: 202 });
const hook = (storyId: string, key: string, answer: DeliveryLogEntry['answer'] = 204, extra: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry => ({
  at: 1,
  endpoint: 'hook',
  kind: 'webhook',
  deliveryKey: key,
  storyId,
  versionId: `${storyId}-v1`,
  language: 'en',
  type: 'story.published',
  verified: true,
  answer,
  ...extra,
});

describe('checkDeliveries', () => {
  const acceptedLog = write('accepted.jsonl', [accepted('s1'), accepted('s2'), accepted('s3'), accepted('s1')]);

  it('counts a story with no acknowledged arrival as lost, and a resend under the same webhook-id as no duplicate', () => {
    const log = write('a.jsonl', [hook('s1', 'd1', 500), hook('s1', 'd1'), hook('s2', 'd2', 'hang'), hook('s3', 'd3')]);
    const r = checkDeliveries(acceptedLog, [{ name: 'hook', logFile: log, idempotentByKey: true }]);
    expect(r).toMatchObject({ accepted: 3, lost: 1, duplicates: 0, lostSamples: [{ endpoint: 'hook', storyId: 's2' }] });
  });

  it('counts one story version received under two webhook-ids as a duplicate', () => {
    const log = write('b.jsonl', [hook('s1', 'd1'), hook('s1', 'd1-again'), hook('s2', 'd2'), hook('s3', 'd3')]);
    const r = checkDeliveries(acceptedLog, [{ name: 'hook', logFile: log, idempotentByKey: true }]);
    expect({ lost: r.lost, duplicates: r.duplicates }).toEqual({ lost: 0, duplicates: 1 });
  });

  it('counts any second arrival as a duplicate for a kind that cannot dedupe', () => {
    const log = write('c.jsonl', [hook('s1', 'd1'), hook('s1', 'd1'), hook('s2', 'd2'), hook('s3', 'd3')]);
    const r = checkDeliveries(acceptedLog, [{ name: 'hook', logFile: log, idempotentByKey: false }]);
    expect(r.duplicates).toBe(1);
  });

  it('expects only the stories an endpoint should reach, and ignores non-story events and unverified requests', () => {
    const log = write('d.jsonl', [hook('s1', 'd1'), hook('s1', 'w1', 204, { type: 'story.withdrawn' }), hook('s2', 'x', 204, { verified: false })]);
    const r = checkDeliveries(acceptedLog, [{ name: 'hook', logFile: log, idempotentByKey: true, expects: (a) => a.storyId === 's1' }]);
    expect({ lost: r.lost, duplicates: r.duplicates, expected: r.perEndpoint['hook']?.expected }).toEqual({ lost: 0, duplicates: 0, expected: 1 });
  });
});

describe('recovery figures', () => {
  it('measures from each fault to the next progress, counting a stuck end only when work was left', () => {
    expect(recoveryTimes([1_000, 5_000, 9_000], [2_500, 6_000], 12_000, false)).toEqual([1.5, 1]);
    expect(recoveryTimes([9_000], [2_500], 12_000, true)).toEqual([3]);
    expect(percentile([1, 2, 3, 4, 100], 99)).toBe(100);
    expect(percentile([], 99)).toBe(0);
  });

  it('replays the same schedule from the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const draws = Array.from({ length: 5 }, () => [a.int(0, 1000), b.int(0, 1000)]);
    expect(draws.every(([x, y]) => x === y)).toBe(true);
    expect(new Set(draws.map(([x]) => x)).size).toBeGreaterThan(1);
  });
});
