/** The append-only stage timeline of a story version. */
import type { EntityManager } from 'typeorm';
import type { Stage } from '@syndication/contracts';

export async function recordStageEvent(
  m: EntityManager,
  versionId: string,
  stage: Stage,
  status: string,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await m.query('INSERT INTO stage_event (story_version_id, stage, status, detail) VALUES ($1, $2, $3, $4)', [
    versionId,
    stage,
    status,
    JSON.stringify(detail),
  ]);
}
