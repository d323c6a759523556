/**
 * The `route` stage. It has no queue of its own: whichever of translation and tagging settles
 * last runs it inside its own transaction. The UPDATE that marks a stage settled takes the
 * version's row lock, so the later of two concurrent workers re-reads the row after the earlier
 * one commits and is the only one that sees both stages settled.
 */
import type { EntityManager } from 'typeorm';
import { FINAL_DELIVERY_STATUSES, ROUTE_PREREQUISITES, isSettled, type PipelineEvent, type StageStatus } from '@syndication/contracts';
import { queryRows, recordStageEvent, writeOutboxBulk } from '@syndication/database';
import { plannedWithWait, type RouteRule, type StoryTags } from './rules';

export type EnrichmentStage = 'translate' | 'tag';

const STATUS_COLUMN: Record<EnrichmentStage, string> = {
  translate: 'translate_status',
  tag: 'tag_status',
};

export interface SettleResult {
  storyId: string;
  /** Deliveries created when this call routed the version; empty when the other stage is still running. */
  routed: boolean;
  deliveries: number;
  skipped: number;
  alreadySettled?: boolean;
}

export async function loadRules(m: EntityManager): Promise<RouteRule[]> {
  const rows: Array<{
    id: string;
    channel_id: string;
    partner_id: string | null;
    source_languages: string[] | null;
    topics: string[] | null;
    entities: string[] | null;
    languages: string[];
    translation_providers: string[] | null;
    translation_policy: 'wait' | 'source_first';
    translation_wait_seconds: number | null;
  }> =
    await m.query(
      `SELECT r.id, r.channel_id, r.partner_id, r.source_languages, r.topics, r.entities, r.languages,
              r.translation_providers, r.translation_policy, r.translation_wait_seconds
         FROM route r JOIN channel c ON c.id = r.channel_id
        WHERE r.active AND c.active
        ORDER BY r.created_at, r.id`,
    );
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    partnerId: r.partner_id,
    sourceLanguages: r.source_languages,
    topics: r.topics,
    entities: r.entities,
    languages: r.languages,
    translationProviders: r.translation_providers,
    translationPolicy: r.translation_policy,
    translationWaitSeconds: r.translation_wait_seconds,
  }));
}

const ENTITY_KINDS = ['person', 'organisation', 'place'];

/**
 * A version's tags as routing reads them; topics carry the ancestors the tagger stored with them.
 * Topics below the routing threshold (not `routable`) are asides of the story and never route.
 */
export async function loadStoryTags(m: EntityManager, versionId: string): Promise<StoryTags> {
  const rows: Array<{ kind: string; code: string; ancestors: unknown }> = await m.query(
    `SELECT kind, code, detail->'ancestors' AS ancestors FROM tag
      WHERE story_version_id = $1 AND kind IN ('topic', 'person', 'organisation', 'place') AND (kind <> 'topic' OR routable)`,
    [versionId],
  );
  return {
    topics: rows
      .filter((r) => r.kind === 'topic')
      .map((r) => ({ code: r.code, ancestors: Array.isArray(r.ancestors) ? r.ancestors.filter((a): a is string => typeof a === 'string') : [] })),
    entities: rows.filter((r) => ENTITY_KINDS.includes(r.kind)).map((r) => r.code),
  };
}

/** Installation defaults the routing needs (from config; the tests and the bench pass their own). */
export interface RoutingOptions {
  /** Wait of 'wait' routes without translation_wait_seconds (TRANSLATION_WAIT_SECONDS). */
  defaultWaitSeconds: number;
}

export const DEFAULT_ROUTING: RoutingOptions = { defaultWaitSeconds: 300 };

/**
 * Mark one enrichment stage settled and route the version as far as its routes' translation
 * policies allow (routeVersion): with both stages settled every delivery is decided; with only
 * tagging settled, routes that do not wait ('source_first', or a wait that has run out) are
 * released already. Call inside a transaction.
 */
export async function settleStage(
  m: EntityManager,
  versionId: string,
  stage: EnrichmentStage,
  status: Extract<StageStatus, 'done' | 'failed' | 'skipped'>,
  detail: Record<string, unknown>,
  routing: RoutingOptions = DEFAULT_ROUTING,
): Promise<SettleResult> {
  const rows = await queryRows<{ story_id: string }>(
    m,
    `UPDATE story_version v SET ${STATUS_COLUMN[stage]} = $2
      WHERE v.id = $1 AND v.${STATUS_COLUMN[stage]} NOT IN ('done', 'failed', 'skipped')
      RETURNING v.story_id`,
    [versionId, status],
  );
  const v = rows[0];
  // Already settled (a redelivered job, or a final-failure report racing a success): nothing to do.
  if (!v) return { storyId: '', routed: false, deliveries: 0, skipped: 0, alreadySettled: true };
  await recordStageEvent(m, versionId, stage, status, detail);
  return routeVersion(m, versionId, routing);
}

type Readiness = { kind: 'ready' } | { kind: 'missing'; reason: string } | { kind: 'not-ready' };

interface Decision {
  channelId: string;
  language: string;
  status: 'pending' | 'skipped' | 'waiting';
  reason: string | null;
}

/**
 * Creates and advances a version's deliveries. Idempotent, and serialised on the version row
 * (FOR NO KEY UPDATE, the lock settleStage's UPDATE already holds: a stronger FOR UPDATE would
 * wait on the KEY SHARE locks that inserting tag or translation rows takes, while their
 * transaction waits on this one, a deadlock), so the tagging worker, the translation worker (as each language lands) and the relay's
 * deadline sweep may all call it. Nothing happens before tagging has settled (the tags decide the
 * deliveries). Per channel, a delivery is
 *  - 'pending' (a publish job is written) when its language is ready: the source, or a done
 *    translation, and the channel is released;
 *  - 'skipped' with the reason when its translation failed, is unsupported or was never made;
 *  - 'waiting' while its translation is still being made, or while the channel is held.
 * A channel is released when every language it needs is ready, or its routes' wait has run out
 * ('source_first' waits 0 s); then its ready languages go out and the rest follow as they land.
 * Rows are created for every channel once any is released (held ones as 'waiting'), so the
 * version stays open until each language is published or skipped. `route_due_at` holds the next
 * deadline, for the sweep.
 */
export async function routeVersion(m: EntityManager, versionId: string, routing: RoutingOptions = DEFAULT_ROUTING): Promise<SettleResult> {
  const rows: Array<{
    story_id: string;
    partner_id: string;
    language: string;
    translate_status: StageStatus;
    tag_status: StageStatus;
    routed_at: Date | null;
    elapsed_ms: number;
  }> = await m.query(
    `SELECT v.story_id, s.partner_id, v.language, v.translate_status, v.tag_status, v.routed_at,
            (extract(epoch FROM clock_timestamp() - v.received_at) * 1000)::float8 AS elapsed_ms
       FROM story_version v JOIN story s ON s.id = v.story_id
      WHERE v.id = $1 FOR NO KEY UPDATE OF v`,
    [versionId],
  );
  const v = rows[0];
  const none: SettleResult = { storyId: v?.story_id ?? '', routed: false, deliveries: 0, skipped: 0 };
  if (!v) return none;
  const statuses: Record<EnrichmentStage, StageStatus> = { translate: v.translate_status, tag: v.tag_status };
  if (!ROUTE_PREREQUISITES.filter((s) => s !== 'translate').every((s) => isSettled(statuses[s as EnrichmentStage]))) return none;
  const translateSettled = isSettled(v.translate_status);
  const rules = await loadRules(m);
  if (!translateSettled && v.routed_at === null) {
    // The common case, tagging done before translation: no channel can be released before the
    // shortest wait of the routes that may match (tags only narrow them), so the tags and the
    // ledger need not be read yet; the deadline sweep comes back then.
    const shortest = Math.min(...plannedWithWait(rules, { partnerId: v.partner_id, language: v.language }, routing.defaultWaitSeconds).map((p) => p.waitSeconds));
    if (!Number.isFinite(shortest) || v.elapsed_ms < shortest * 1000) {
      await m.query('UPDATE story_version SET route_due_at = received_at + make_interval(secs => $2::double precision) WHERE id = $1', [
        versionId,
        Number.isFinite(shortest) ? shortest : null,
      ]);
      return none;
    }
  }

  // Tagging is settled, so the tag rows (if it succeeded) are committed and visible here: unlike
  // translation targets, the deliveries apply the topic and entity criteria.
  const tags = await loadStoryTags(m, versionId);
  const planned = plannedWithWait(rules, { partnerId: v.partner_id, language: v.language, tags }, routing.defaultWaitSeconds);
  const translated: Array<{ language: string; status: string; error: string | null }> = await m.query(
    'SELECT language, status, error FROM translation WHERE story_version_id = $1',
    [versionId],
  );
  const existing: Array<{ id: string; channel_id: string; language: string; status: string; last_error: string | null }> = await m.query(
    'SELECT id, channel_id, language, status, last_error FROM delivery WHERE story_version_id = $1',
    [versionId],
  );
  const byLang = new Map(translated.map((t) => [t.language, t]));
  const have = new Map(existing.map((d) => [`${d.channel_id}/${d.language}`, d]));

  // A language with no usable translation is a recorded, final outcome ('skipped'), not a crash:
  // the other languages of the story still publish.
  const readiness = (language: string): Readiness => {
    if (language === v.language) return { kind: 'ready' };
    const t = byLang.get(language);
    if (t?.status === 'done') return { kind: 'ready' };
    if (t) return { kind: 'missing', reason: `translation ${t.status}: ${t.error ?? ''}`.trim() };
    return translateSettled ? { kind: 'missing', reason: 'no translation' } : { kind: 'not-ready' };
  };
  const channels = new Map<string, { waitSeconds: number; notReady: string[]; released: boolean }>();
  for (const p of planned) {
    const c = channels.get(p.channelId) ?? { waitSeconds: p.waitSeconds, notReady: [], released: false };
    if (readiness(p.language).kind === 'not-ready') c.notReady.push(p.language);
    channels.set(p.channelId, c);
  }
  let nextDueMs: number | null = null;
  for (const [channelId, c] of channels) {
    const releasedBefore = existing.some((d) => d.channel_id === channelId && d.status !== 'waiting');
    c.released = c.notReady.length === 0 || releasedBefore || v.elapsed_ms >= c.waitSeconds * 1000;
    if (!c.released) nextDueMs = Math.min(nextDueMs ?? Infinity, c.waitSeconds * 1000);
  }
  const anyReleased = [...channels.values()].some((c) => c.released);
  if (!translateSettled && !anyReleased) {
    await m.query('UPDATE story_version SET route_due_at = received_at + make_interval(secs => $2::double precision / 1000) WHERE id = $1', [
      versionId,
      nextDueMs,
    ]);
    return none;
  }

  const decisions: Decision[] = planned.map((p) => {
    const r = readiness(p.language);
    const c = channels.get(p.channelId)!;
    if (r.kind === 'missing') return { channelId: p.channelId, language: p.language, status: 'skipped', reason: r.reason };
    if (!c.released) {
      return { channelId: p.channelId, language: p.language, status: 'waiting', reason: `held up to ${c.waitSeconds} s for ${c.notReady.join(', ')}` };
    }
    if (r.kind === 'ready') return { channelId: p.channelId, language: p.language, status: 'pending', reason: null };
    const why = c.waitSeconds === 0 ? 'source first' : `not ready after ${c.waitSeconds} s`;
    return { channelId: p.channelId, language: p.language, status: 'waiting', reason: `translation ${why}; published when ready` };
  });

  const fresh = decisions.filter((d) => !have.has(`${d.channelId}/${d.language}`));
  const inserted: Array<{ id: string; status: string }> = fresh.length
    ? await m.query(
        `INSERT INTO delivery (story_version_id, channel_id, language, status, last_error)
         SELECT $1, x.channel_id, x.language, x.status, x.last_error
           FROM jsonb_to_recordset($2::jsonb) AS x(channel_id uuid, language text, status text, last_error text)
         ON CONFLICT (story_version_id, channel_id, language) DO NOTHING
         RETURNING id, status`,
        [versionId, JSON.stringify(fresh.map((d) => ({ channel_id: d.channelId, language: d.language, status: d.status, last_error: d.reason })))],
      )
    : [];
  // Only 'waiting' rows move on; every other status belongs to the publisher.
  const advanced = decisions
    .map((d) => ({ d, row: have.get(`${d.channelId}/${d.language}`) }))
    .filter((x) => x.row?.status === 'waiting' && (x.d.status !== 'waiting' || x.d.reason !== x.row.last_error));
  const updated = advanced.length
    ? await queryRows<{ id: string; status: string }>(
        m,
        `UPDATE delivery d SET status = x.status, last_error = x.last_error
           FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, status text, last_error text)
          WHERE d.id = x.id AND d.story_version_id = $1 AND d.status = 'waiting'
         RETURNING d.id, d.status`,
        [versionId, JSON.stringify(advanced.map((x) => ({ id: x.row!.id, status: x.d.status, last_error: x.d.reason })))],
      )
    : [];
  const promoted = updated.filter((u) => u.status !== 'waiting');
  const pending = [...inserted, ...updated].filter((d) => d.status === 'pending');
  await writeOutboxBulk(
    m,
    'publish',
    pending.map((d) => ({ deliveryId: d.id })),
  );
  const dueMs = translateSettled ? null : nextDueMs;
  const state = await queryRows<{ stage: string }>(
    m,
    `UPDATE story_version SET routed_at = COALESCE(routed_at, now()),
            route_due_at = CASE WHEN $2::double precision IS NULL THEN NULL ELSE received_at + make_interval(secs => $2::double precision / 1000) END,
            stage = CASE WHEN EXISTS (SELECT 1 FROM delivery WHERE story_version_id = $1 AND status <> ALL($3::text[]))
                         THEN 'publish' ELSE 'done' END
      WHERE id = $1 RETURNING stage`,
    // The contracts' list of final statuses (it includes 'canceled': a withdrawn story's version closes).
    [versionId, dueMs, FINAL_DELIVERY_STATUSES],
  );
  const first = v.routed_at === null;
  if (!first && inserted.length === 0 && promoted.length === 0) return none;
  const counts = {
    deliveries: pending.length,
    skipped: [...inserted, ...promoted].filter((d) => d.status === 'skipped').length,
    waiting: inserted.filter((d) => d.status === 'waiting').length,
  };
  await recordStageEvent(m, versionId, 'route', 'done', {
    ...counts,
    ...(first ? {} : { released: true }),
    ...(state[0]?.stage === 'done' ? { closed: true } : {}),
  });
  return { storyId: v.story_id, routed: true, deliveries: counts.deliveries, skipped: counts.skipped };
}

/** Publish the pipeline events that follow a settle, after its transaction committed. */
export function emitSettled(
  events: { emit(e: Omit<PipelineEvent, 'at' | 'installation'>): void },
  versionId: string,
  stage: EnrichmentStage,
  status: 'done' | 'failed' | 'skipped',
  result: SettleResult,
): void {
  if (result.alreadySettled) return;
  events.emit({ storyId: result.storyId, versionId, stage, status });
  if (result.routed) {
    events.emit({
      storyId: result.storyId,
      versionId,
      stage: 'route',
      status: 'done',
      detail: { deliveries: result.deliveries, skipped: result.skipped },
    });
  }
}
