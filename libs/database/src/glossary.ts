/**
 * Glossary terms: per partner (managed through `/v1/glossary`) or global (partner NULL, provisioned
 * by `npm start`, an operator script or a future admin API through `provisionGlobalGlossary`).
 * A term is matched case-insensitively, so one term exists once per pair regardless of case.
 * The translate stage reads them per story; a change applies to the next story (see
 * apps/translation-worker translation-memory.ts for why the memory needs no invalidation).
 */
import type { EntityManager } from 'typeorm';
import { queryRows } from './sql';

export interface GlossaryTermInput {
  term: string;
  translation: string;
}

export interface GlossaryTermRow {
  source_language: string;
  target_language: string;
  term: string;
  translation: string;
  updated_at: Date;
}

export async function listGlossary(m: EntityManager, partnerId: string | null, pair?: { source?: string; target?: string }): Promise<GlossaryTermRow[]> {
  return m.query(
    `SELECT source_language, target_language, term, translation, updated_at FROM glossary_term
      WHERE partner_id IS NOT DISTINCT FROM $1 AND ($2::text IS NULL OR source_language = $2) AND ($3::text IS NULL OR target_language = $3)
      ORDER BY source_language, target_language, lower(term)`,
    [partnerId, pair?.source ?? null, pair?.target ?? null],
  );
}

/** Creates or changes one term; true when it was created. */
export async function upsertGlossaryTerm(m: EntityManager, partnerId: string | null, source: string, target: string, t: GlossaryTermInput): Promise<boolean> {
  const updated = await queryRows<{ id: string }>(
    m,
    `UPDATE glossary_term SET term = $4, translation = $5, updated_at = now()
      WHERE partner_id IS NOT DISTINCT FROM $1 AND source_language = $2 AND target_language = $3 AND lower(term) = lower($4)
      RETURNING id`,
    [partnerId, source, target, t.term, t.translation],
  );
  if (updated.length) return false;
  await m.query(
    `INSERT INTO glossary_term (partner_id, source_language, target_language, term, translation) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (partner_id, source_language, target_language, term) DO UPDATE SET translation = EXCLUDED.translation, updated_at = now()`,
    [partnerId, source, target, t.term, t.translation],
  );
  return true;
}

/** The pair's list becomes exactly `terms` (call inside a transaction). */
export async function replaceGlossary(m: EntityManager, partnerId: string | null, source: string, target: string, terms: readonly GlossaryTermInput[]): Promise<void> {
  await m.query('DELETE FROM glossary_term WHERE partner_id IS NOT DISTINCT FROM $1 AND source_language = $2 AND target_language = $3', [
    partnerId,
    source,
    target,
  ]);
  if (!terms.length) return;
  await m.query(
    `INSERT INTO glossary_term (partner_id, source_language, target_language, term, translation)
     SELECT $1, $2, $3, x.term, x.translation FROM jsonb_to_recordset($4::jsonb) AS x(term text, translation text)`,
    [partnerId, source, target, JSON.stringify(terms.map((t) => ({ term: t.term, translation: t.translation })))],
  );
}

/** Removes one term (any case), or the whole pair's list without `term`; returns how many went. */
export async function deleteGlossary(m: EntityManager, partnerId: string | null, source: string, target: string, term?: string): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    m,
    `DELETE FROM glossary_term
      WHERE partner_id IS NOT DISTINCT FROM $1 AND source_language = $2 AND target_language = $3 AND ($4::text IS NULL OR lower(term) = lower($4))
      RETURNING id`,
    [partnerId, source, target, term ?? null],
  );
  return rows.length;
}

/** Global terms for every partner (a partner's own term for the same text wins). */
export async function provisionGlobalGlossary(m: EntityManager, source: string, target: string, terms: readonly GlossaryTermInput[]): Promise<void> {
  await replaceGlossary(m, null, source, target, terms);
}
