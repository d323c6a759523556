/**
 * The independent checker: what partners were told (every 2xx the load generator got, from its
 * own log) against what each endpoint received (from the endpoints' own logs). It never reads
 * the product's tables for lost/duplicate figures; `productReport` reads the product's own
 * report of in-doubt deliveries and dead letters, which are the product's claims, kept apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import type { DeliveryLogEntry } from './endpoints';
import type { AcceptedStory } from './load';

export interface EndpointExpectation {
  name: string;
  logFile: string;
  /**
   * Whether a resend is harmless at this endpoint: webhooks dedupe on webhook-id, so a resend
   * under the same id is allowed and only distinct ids count; for other kinds every second
   * arrival of a story version + language is a duplicate.
   */
  idempotentByKey: boolean;
  /** Accepted stories that must reach this endpoint (default: all). */
  expects?: (story: AcceptedStory) => boolean;
  /** Distinct languages each story must arrive in (default 1: the source language). */
  languages?: number;
}

export interface CheckResult {
  accepted: number;
  lost: number;
  duplicates: number;
  perEndpoint: Record<string, { expected: number; received: number; lost: number; duplicates: number }>;
  /** A few examples for failure messages. */
  lostSamples: Array<{ endpoint: string; storyId: string }>;
  duplicateSamples: Array<{ endpoint: string; storyId: string; keys: string[] }>;
}

export function readJsonLines<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

const isAccepted = (e: DeliveryLogEntry): boolean => e.answer === 'seen' || (typeof e.answer === 'number' && e.answer >= 200 && e.answer < 300);
const isStory = (e: DeliveryLogEntry): boolean => e.kind === 'feed' || e.type === undefined || e.type === 'story.published';

export function checkDeliveries(acceptedLog: string, endpoints: EndpointExpectation[]): CheckResult {
  const accepted = dedupeAccepted(readJsonLines<AcceptedStory>(acceptedLog));
  const result: CheckResult = { accepted: accepted.length, lost: 0, duplicates: 0, perEndpoint: {}, lostSamples: [], duplicateSamples: [] };
  for (const ep of endpoints) {
    const entries = readJsonLines<DeliveryLogEntry>(ep.logFile).filter((e) => e.verified && isStory(e));
    const byStory = new Map<string, DeliveryLogEntry[]>();
    for (const e of entries) byStory.set(e.storyId, [...(byStory.get(e.storyId) ?? []), e]);
    const expected = accepted.filter((a) => ep.expects?.(a) ?? true);
    let lost = 0;
    for (const a of expected) {
      const got = (byStory.get(a.storyId) ?? []).filter(isAccepted);
      const languages = new Set(got.map((e) => e.language ?? ''));
      if (languages.size < (ep.languages ?? 1)) {
        lost += 1;
        if (result.lostSamples.length < 10) result.lostSamples.push({ endpoint: ep.name, storyId: a.storyId });
      }
    }
    let duplicates = 0;
    // One story version in one language is one delivery: group what arrived by that.
    const groups = new Map<string, DeliveryLogEntry[]>();
    for (const e of entries) {
      const key = `${e.storyId}|${e.versionId ?? ''}|${e.language ?? ''}`;
      groups.set(key, [...(groups.get(key) ?? []), e]);
    }
    for (const group of groups.values()) {
      const keys = [...new Set(group.map((e) => e.deliveryKey))];
      const extra = group.filter((e) => e.repeatedInDocument).length + (ep.idempotentByKey ? keys.length - 1 : group.length - 1);
      if (extra > 0) {
        duplicates += extra;
        if (result.duplicateSamples.length < 10) result.duplicateSamples.push({ endpoint: ep.name, storyId: group[0]!.storyId, keys });
      }
    }
    result.perEndpoint[ep.name] = { expected: expected.length, received: new Set(entries.filter(isAccepted).map((e) => e.storyId)).size, lost, duplicates };
    result.lost += lost;
    result.duplicates += duplicates;
  }
  return result;
}

/** The same story acknowledged twice (a client retry answered 200 duplicate) is one story. */
function dedupeAccepted(list: AcceptedStory[]): AcceptedStory[] {
  const byId = new Map<string, AcceptedStory>();
  for (const a of list) if (!byId.has(a.storyId)) byId.set(a.storyId, a);
  return [...byId.values()];
}

/** Times at which any endpoint acknowledged a delivery: what "progress" means for recovery. */
export function progressTimes(logFiles: string[]): number[] {
  return logFiles
    .flatMap((f) => readJsonLines<DeliveryLogEntry>(f))
    .filter(isAccepted)
    .map((e) => e.at)
    .sort((a, b) => a - b);
}

/**
 * Seconds from each fault to the first progress after it. A fault followed by no progress at all
 * counts up to `endAt` when work was still outstanding then, and is left out otherwise (nothing
 * was left to resume).
 */
export function recoveryTimes(faultTimes: number[], progress: number[], endAt: number, workLeftAtEnd: boolean): number[] {
  const out: number[] = [];
  for (const t of faultTimes) {
    const next = progress.find((p) => p >= t);
    if (next !== undefined) out.push((next - t) / 1000);
    else if (workLeftAtEnd) out.push((endAt - t) / 1000);
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

export interface ProductReport {
  inDoubt: number;
  deadLetters: number;
  byStatus: Record<string, number>;
}

/** What the product itself reports for one partner's stories: in-doubt deliveries and dead letters (final failures). */
export async function productReport(db: DataSource, partnerId: string): Promise<ProductReport> {
  const rows: Array<{ status: string; n: number }> = await db.query(
    `SELECT d.status, count(*)::int AS n FROM delivery d
       JOIN story_version v ON v.id = d.story_version_id JOIN story s ON s.id = v.story_id
      WHERE s.partner_id = $1 GROUP BY d.status`,
    [partnerId],
  );
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  const stages: Array<{ n: number }> = await db.query(
    `SELECT count(*)::int AS n FROM story_version v JOIN story s ON s.id = v.story_id
      WHERE s.partner_id = $1 AND (v.translate_status = 'failed' OR v.tag_status = 'failed')`,
    [partnerId],
  );
  return { inDoubt: byStatus['in_doubt'] ?? 0, deadLetters: (byStatus['failed'] ?? 0) + (stages[0]?.n ?? 0), byStatus };
}
