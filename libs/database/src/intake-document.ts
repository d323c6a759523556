/**
 * Multi-item documents as received: stored once per accepted document, and referenced by each
 * item's story_version (`document_id`), so a 500-item feed costs one copy, not 500.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface NewIntakeDocument {
  partnerId: string;
  contentType: string;
  /** The document as decoded for parsing (text Postgres can hold: see replaceUnsafeText). */
  payload: string;
  items: number;
}

export async function storeIntakeDocument(m: EntityManager, doc: NewIntakeDocument): Promise<string> {
  const rows: Array<{ id: string }> = await m.query(
    `INSERT INTO intake_document (partner_id, content_type, payload, sha256, items) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [doc.partnerId, doc.contentType, doc.payload, createHash('sha256').update(doc.payload).digest(), doc.items],
  );
  return rows[0]!.id;
}

/** The raw text a version was accepted from: its own payload, or the document it was an item of. */
export async function rawPayloadOf(m: EntityManager, versionId: string): Promise<string | undefined> {
  const rows: Array<{ raw: string }> = await m.query(
    `SELECT COALESCE(v.raw_payload, d.payload) AS raw FROM story_version v LEFT JOIN intake_document d ON d.id = v.document_id WHERE v.id = $1`,
    [versionId],
  );
  return rows[0]?.raw;
}
