/**
 * The `route` stage. It has no queue of its own: whichever of translation and tagging settles
 * last runs it inside its own transaction. The UPDATE that marks a stage settled takes the
 * version's row lock, so the later of two concurrent workers re-reads the row after the earlier
 * one commits and is the only one that sees both stages settled.
 */
import type { EntityManager } from 'typeorm';
import { ROUTE_PREREQUISITES, isSettled, type PipelineEvent, type StageStatus } from '@syndication/contracts';
import { queryRows, recordStageEvent, writeOutboxBulk } from '@syndication/database';
import { plannedDeliveries, type RouteRule, type StoryTags } from './rules';

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
  }> =
    await m.query(
      `SELECT r.id, r.channel_id, r.partner_id, r.source_languages, r.topics, r.entities, r.languages
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
  }));
}

const ENTITY_KINDS = ['person', 'organisation', 'place'];

/** A version's tags as routing reads them; topics carry the ancestors the tagger stored with them. */
export async function loadStoryTags(m: EntityManager, versionId: string): Promise<StoryTags> {
  const rows: Array<{ kind: string; code: string; ancestors: unknown }> = await m.query(
    `SELECT kind, code, detail->'ancestors' AS ancestors FROM tag
      WHERE story_version_id = $1 AND kind IN ('topic', 'person', 'organisation', 'place')`,
    [versionId],
  );
  return {
    topics: rows
      .filter((r) => r.kind === 'topic')
      .map((r) => ({ code: r.code, ancestors: Array.isArray(r.ancestors) ? r.ancestors.filter((a): a is string => typeof a === 'string') : [] })),
    entities: rows.filter((r) => ENTITY_KINDS.includes(r.kind)).map((r) => r.code),
  };
}

/**
 * Mark one enrichment stage settled and, if it was the last prerequisite, route the version:
 * create its delivery rows and the outbox rows of their publish jobs. Call inside a transaction.
 */
export async function settleStage(
  m: EntityManager,
  versionId: string,
  stage: EnrichmentStage,
  status: Extract<StageStatus, 'done' | 'failed' | 'skipped'>,
  detail: Record<string, unknown>,
): Promise<SettleResult> {
  const rows = await queryRows<{
    story_id: string;
    partner_id: string;
    language: string;
    translate_status: StageStatus;
    tag_status: StageStatus;
    routed_at: Date | null;
  }>(
    m,
    `UPDATE story_version v SET ${STATUS_COLUMN[stage]} = $2
       FROM story s
      WHERE v.id = $1 AND s.id = v.story_id AND v.${STATUS_COLUMN[stage]} NOT IN ('done', 'failed', 'skipped')
      RETURNING v.story_id, s.partner_id, v.language, v.translate_status, v.tag_status, v.routed_at`,
    [versionId, status],
  );
  const v = rows[0];
  // Already settled (a redelivered job, or a final-failure report racing a success): nothing to do.
  if (!v) return { storyId: '', routed: false, deliveries: 0, skipped: 0, alreadySettled: true };
  await recordStageEvent(m, versionId, stage, status, detail);

  const statuses: Record<EnrichmentStage, StageStatus> = { translate: v.translate_status, tag: v.tag_status };
  const ready = ROUTE_PREREQUISITES.every((s) => isSettled(statuses[s as EnrichmentStage]));
  if (!ready || v.routed_at) return { storyId: v.story_id, routed: false, deliveries: 0, skipped: 0 };

  // Both stages are settled, so the tag rows (if tagging succeeded) are committed and visible here:
  // unlike translation targets, the final deliveries apply the topic and entity criteria.
  const tags = await loadStoryTags(m, versionId);
  const planned = plannedDeliveries(await loadRules(m), { partnerId: v.partner_id, language: v.language, tags });
  const translated: Array<{ language: string; status: string; error: string | null }> = await m.query(
    'SELECT language, status, error FROM translation WHERE story_version_id = $1',
    [versionId],
  );
  const byLang = new Map(translated.map((t) => [t.language, t]));
  // A language with no usable translation is a recorded, final outcome ('skipped'), not a crash:
  // the other languages of the story still publish.
  const values = planned.map((p) => {
    const t = byLang.get(p.language);
    const usable = p.language === v.language || t?.status === 'done';
    const reason = usable ? null : t ? `translation ${t.status}: ${t.error ?? ''}`.trim() : 'no translation';
    return { channel_id: p.channelId, language: p.language, status: usable ? 'pending' : 'skipped', last_error: reason };
  });
  const inserted: Array<{ id: string; status: string }> = values.length
    ? await m.query(
        `INSERT INTO delivery (story_version_id, channel_id, language, status, last_error)
         SELECT $1, x.channel_id, x.language, x.status, x.last_error
           FROM jsonb_to_recordset($2::jsonb) AS x(channel_id uuid, language text, status text, last_error text)
         ON CONFLICT (story_version_id, channel_id, language) DO NOTHING
         RETURNING id, status`,
        [versionId, JSON.stringify(values)],
      )
    : [];
  const pending = inserted.filter((d) => d.status === 'pending');
  await writeOutboxBulk(
    m,
    'publish',
    pending.map((d) => ({ deliveryId: d.id })),
  );
  const nextStage = pending.length > 0 ? 'publish' : 'done';
  await m.query('UPDATE story_version SET routed_at = now(), stage = $2 WHERE id = $1', [versionId, nextStage]);
  await recordStageEvent(m, versionId, 'route', 'done', {
    deliveries: pending.length,
    skipped: inserted.length - pending.length,
  });
  return { storyId: v.story_id, routed: true, deliveries: pending.length, skipped: inserted.length - pending.length };
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
