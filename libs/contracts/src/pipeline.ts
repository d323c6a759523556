/**
 * The pipeline as data: queue names, what each job carries, and what follows what.
 * Producers (the outbox relay) and consumers (the workers) both import from here, so a job name
 * or payload cannot drift between them.
 *
 * Never rename a queue or job name without a migration: names are persisted in the `outbox.job`
 * column and in Redis job ids.
 *
 * This file has no runtime dependencies on purpose (no Nest, no BullMQ).
 */

/** One BullMQ queue per stage, so each stage can be paused, rate-limited and scaled alone. */
export const QUEUES = {
  translate: 'translate',
  tag: 'tag',
  publish: 'publish',
} as const;

export type JobName = keyof typeof QUEUES;
export const JOB_NAMES = Object.keys(QUEUES) as JobName[];

/** Only ids travel in jobs; the worker reads the row (STYLE.md #10). */
export interface JobPayloads {
  translate: { versionId: string };
  tag: { versionId: string };
  publish: { deliveryId: string };
}
export type JobOf<N extends JobName> = JobPayloads[N];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Why a job's data is not a valid payload for its name, or undefined when it is. Workers check
 * this first: a malformed payload can never succeed, so it fails at once instead of spending
 * its retries (and never reaches SQL with a malformed id).
 */
export function payloadProblem(name: JobName, data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return `${name} payload is not an object`;
  const field = name === 'publish' ? 'deliveryId' : 'versionId';
  const id = (data as Record<string, unknown>)[field];
  if (typeof id !== 'string' || !UUID.test(id)) return `${name} payload needs a uuid ${field}, got ${JSON.stringify(id)?.slice(0, 60)}`;
  return undefined;
}

/**
 * Deterministic job ids: a duplicate enqueue (relay retry, reconciler) collapses onto the same job.
 * BullMQ reserves ':' in keys, so the separator is '.'. `generation` is bumped only by an operator
 * replay, which must create a fresh job.
 */
export function jobIdFor<N extends JobName>(name: N, data: JobOf<N>, generation = 0): string {
  const ref = 'deliveryId' in data ? data.deliveryId : data.versionId;
  return generation > 0 ? `${name}.${ref}.g${generation}` : `${name}.${ref}`;
}

/**
 * Stage order. Intake parses, cleans and detects the language in the request's transaction; then
 * translation and tagging run in parallel (both read only the cleaned source text, so neither waits
 * for the other); when both are settled the story is routed and one publish job per delivery is
 * fanned out.
 */
export const STAGES = ['intake', 'translate', 'tag', 'route', 'publish'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_GRAPH: Readonly<Record<Stage, readonly Stage[]>> = {
  intake: ['translate', 'tag'],
  translate: ['route'],
  tag: ['route'],
  route: ['publish'],
  publish: [],
};

/** Stages that must all be settled before `route` may run. */
export const ROUTE_PREREQUISITES: readonly Stage[] = (Object.keys(STAGE_GRAPH) as Stage[]).filter((s) =>
  STAGE_GRAPH[s].includes('route'),
);

/** State of one stage for one story version, as stored on `story_version`. */
export const STAGE_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type StageStatus = (typeof STAGE_STATUSES)[number];

/** A stage is settled when route may proceed past it. A failed translation still lets the source publish. */
export function isSettled(status: StageStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'skipped';
}

/**
 * Delivery ledger states: one row per story version x channel x language. 'waiting' holds a
 * delivery for its translation (route translation policy); it becomes 'pending' or 'skipped'.
 * `canceled`: never sent, because the story was withdrawn or withheld, expired, or a newer version
 * took the row's place.
 */
export const DELIVERY_STATUSES = ['waiting', 'pending', 'sending', 'delivered', 'retry', 'failed', 'in_doubt', 'skipped', 'canceled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const FINAL_DELIVERY_STATUSES: readonly DeliveryStatus[] = ['delivered', 'failed', 'in_doubt', 'skipped', 'canceled'];

export const CHANNEL_KINDS = ['feed', 'webhook', 'telegram', 'email', 'mastodon'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/**
 * Config fields that hold credentials, per channel kind: stored sealed under SECRETS_KEY, opened
 * only in the publisher, never shown by the admin API.
 */
export const CHANNEL_SECRET_FIELDS: Readonly<Record<ChannelKind, readonly string[]>> = {
  feed: [],
  webhook: ['secret'],
  telegram: ['bot_token'],
  email: ['password'],
  mastodon: ['access_token'],
};
