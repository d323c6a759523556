/**
 * What a stored version changes beyond its own rows, inside the intake transaction: its story's
 * lifecycle (pubstatus, embargo, expiry; a kill or hold cancels what has not been sent and
 * queues withdrawal notices) and its near-duplicate links. Kept apart from intake.service.ts so
 * the request path there stays about parsing and storing.
 */
import type { EntityManager } from 'typeorm';
import { applyVersionLifecycle, StoryWithdrawnError } from '@syndication/routing';
import { CLEANUP_RULE_KINDS, type PartnerCleanupRule } from '@syndication/language';
import { ProblemError } from '../http/problem';
import type { IntakeItemResult, PreparedItem } from './intake.service';
import { linkNearDuplicates } from './near-duplicates';

const MAX_REASON_CHARS = 500;

export function isWithdrawal(it: Pick<PreparedItem, 'story'>): boolean {
  return it.story.pubStatus === 'canceled' || it.story.pubStatus === 'withheld';
}

/**
 * One stored item's effect on its story's lifecycle. Runs per item (inside the item's savepoint in
 * lenient mode), so a refused item (a version of a withdrawn story) takes only itself down.
 */
export async function applyItemLifecycle(m: EntityManager, it: PreparedItem, r: IntakeItemResult): Promise<void> {
  if (!r.created) return;
  const text = (it.paragraphs[0] ?? it.story.headline).trim();
  try {
    await applyVersionLifecycle(m, {
      storyId: r.storyId,
      versionId: r.versionId,
      version: r.version,
      pubStatus: it.story.pubStatus ?? 'usable',
      ...(isWithdrawal(it) && text ? { reason: text.slice(0, MAX_REASON_CHARS) } : {}),
      ...(it.story.embargo ? { embargo: it.story.embargo } : {}),
      ...(it.story.embargoUnreadable ? { embargoUnreadable: true } : {}),
      ...(it.story.expires ? { expires: it.story.expires } : {}),
    });
  } catch (err) {
    if (err instanceof StoryWithdrawnError) {
      throw new ProblemError(409, 'story_withdrawn', 'Conflict', `Story ${r.externalId.slice(0, 64)}: ${err.message}; send a new story instead`);
    }
    throw err;
  }
}

/**
 * Near-duplicate links of the document's new versions, once for all of them (its locks are taken
 * together, in a stable order).
 */
export async function linkStoredNearDuplicates(
  m: EntityManager,
  partnerId: string,
  stored: ReadonlyArray<{ it: PreparedItem; r: IntakeItemResult }>,
): Promise<void> {
  await linkNearDuplicates(
    m,
    stored
      .filter(({ it, r }) => r.created && it.enrich)
      .map(({ it, r }) => ({ storyId: r.storyId, versionId: r.versionId, partnerId, headline: it.story.headline, paragraphs: it.paragraphs })),
  );
}

/** The partner's enabled clean-up rules, oldest first (the order they apply in). */
export async function loadCleanupRules(m: Pick<EntityManager, 'query'>, partnerId: string): Promise<PartnerCleanupRule[]> {
  const rows: Array<{ id: string; kind: string; pattern: string; reason: string }> = await m.query(
    'SELECT id, kind, pattern, reason FROM partner_cleanup_rule WHERE partner_id = $1 AND enabled ORDER BY created_at, id',
    [partnerId],
  );
  return rows.flatMap((r) => ((CLEANUP_RULE_KINDS as readonly string[]).includes(r.kind) ? [{ ...r, kind: r.kind as PartnerCleanupRule['kind'] }] : []));
}
