/**
 * Postgres side of the translate stage: translation memory lookups and writes, glossary terms
 * for a pair (partner's own over global), and provider pauses shared by every worker process.
 *
 * The memory is keyed on the protected text, in which glossary terms are already placeholders:
 * adding a term changes the key of every segment that contains it (so a translation made before
 * the term existed is never served for it), and changing a term's translation needs no new entry
 * (the placeholder is filled with the current translation on the way out).
 */
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { queryRows } from '@syndication/database';
import type { GlossaryEntry } from '@syndication/language';

export interface MemoryHit {
  target: string;
  unknownWordRatio: number | null;
}

export function segmentHash(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export class TranslationMemory {
  constructor(private readonly db: DataSource) {}

  /** Hits by protected source text; their use is counted so stale entries can be pruned later. */
  async lookup(source: string, target: string, provider: string, texts: readonly string[]): Promise<Map<string, MemoryHit>> {
    if (!texts.length) return new Map();
    const hashes = texts.map(segmentHash);
    const rows = await queryRows<{ source_text: string; target_text: string; unknown_word_ratio: number | null }>(
      this.db,
      `UPDATE translation_memory SET hits = hits + 1, last_used_at = now()
        WHERE source_language = $1 AND target_language = $2 AND provider = $3 AND source_sha256 = ANY($4::bytea[])
        RETURNING source_text, target_text, unknown_word_ratio`,
      [source, target, provider, hashes],
    );
    return new Map(rows.map((r) => [r.source_text, { target: r.target_text, unknownWordRatio: r.unknown_word_ratio }]));
  }

  /** Which texts the memory holds, without counting a use (multi-target planning). */
  async lookupKeys(source: string, target: string, provider: string, texts: readonly string[]): Promise<Set<string>> {
    if (!texts.length) return new Set();
    const rows: Array<{ source_text: string }> = await this.db.query(
      `SELECT source_text FROM translation_memory
        WHERE source_language = $1 AND target_language = $2 AND provider = $3 AND source_sha256 = ANY($4::bytea[])`,
      [source, target, provider, texts.map(segmentHash)],
    );
    return new Set(rows.map((r) => r.source_text));
  }

  async store(
    source: string,
    target: string,
    provider: string,
    entries: ReadonlyArray<{ source: string; target: string; unknownWordRatio: number | null }>,
  ): Promise<void> {
    if (!entries.length) return;
    await this.db.query(
      `INSERT INTO translation_memory (source_language, target_language, provider, source_sha256, source_text, target_text, unknown_word_ratio)
       SELECT $1, $2, $3, sha256(convert_to(x.s, 'UTF8')), x.s, x.t, x.u
         FROM jsonb_to_recordset($4::jsonb) AS x(s text, t text, u real)
       ON CONFLICT (source_language, target_language, provider, source_sha256) DO NOTHING`,
      [source, target, provider, JSON.stringify(entries.map((e) => ({ s: e.source, t: e.target, u: e.unknownWordRatio })))],
    );
  }

  async glossary(partnerId: string, source: string, target: string): Promise<GlossaryEntry[]> {
    const rows: Array<{ term: string; translation: string }> = await this.db.query(
      `SELECT DISTINCT ON (lower(term)) term, translation FROM glossary_term
        WHERE source_language = $1 AND target_language = $2 AND (partner_id IS NULL OR partner_id = $3)
        ORDER BY lower(term), partner_id NULLS LAST`,
      [source, target, partnerId],
    );
    return rows;
  }

  /** Providers paused now, and those whose pause has run out (their status row is reset on their next success). */
  async providerPauses(): Promise<{ paused: Set<string>; expired: Set<string> }> {
    const rows: Array<{ provider: string; active: boolean }> = await this.db.query(
      `SELECT provider, paused_until > now() AS active FROM translation_provider_status WHERE status = 'paused'`,
    );
    return { paused: new Set(rows.filter((r) => r.active).map((r) => r.provider)), expired: new Set(rows.filter((r) => !r.active).map((r) => r.provider)) };
  }

  /** A provider whose pause has run out and that translated again is visibly active again. */
  async resume(provider: string): Promise<void> {
    await this.db.query(
      `UPDATE translation_provider_status
          SET status = 'active', paused_until = NULL, reason = 'resumed: ' || coalesce(reason, ''), updated_at = now()
        WHERE provider = $1 AND status = 'paused' AND paused_until <= now()`,
      [provider],
    );
  }

  async pause(provider: string, ms: number, reason: string): Promise<void> {
    await this.db.query(
      `INSERT INTO translation_provider_status (provider, status, paused_until, reason, updated_at)
       VALUES ($1, 'paused', now() + make_interval(secs => $2::double precision / 1000), $3, now())
       ON CONFLICT (provider) DO UPDATE SET status = 'paused', paused_until = EXCLUDED.paused_until, reason = EXCLUDED.reason, updated_at = now()`,
      [provider, ms, reason],
    );
  }
}
