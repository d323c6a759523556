/** The audit log is append-only and hash-chained (real Postgres). */
import { createDataSource, listAudit, recordAudit, verifyAuditChain } from '@syndication/database';
import type { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '../support/env';

describe('audit log', () => {
  let db: DataSource;
  beforeAll(async () => {
    db = await createDataSource(TEST_DATABASE_URL, 2).initialize();
  });
  afterAll(async () => {
    await db.destroy();
  });

  it('chains rows, refuses rewrites, and detects a row changed behind its back', async () => {
    const target = `t-${Date.now()}`;
    // More than nine rows, so an ordering by id as text ("10" < "2") would break the chain.
    for (let i = 0; i < 11; i++) await db.transaction((m) => recordAudit(m, { actor: 'system', actorType: 'system', action: 'test.fill', detail: { i, at: new Date(0) } }));
    await db.transaction((m) => recordAudit(m, { actor: 'alice', actorType: 'user', action: 'delivery.resolve', targetType: 'delivery', targetId: target, reason: 'checked with the partner', detail: { z: 1, a: { y: 2, b: 3 } } }));
    await db.transaction((m) => recordAudit(m, { actor: 'ops-token', actorType: 'operator_token', action: 'story.replay', targetType: 'delivery', targetId: target }));
    const rows = await listAudit(db, { targetType: 'delivery', targetId: target });
    expect(rows.map((r) => r.action)).toEqual(['story.replay', 'delivery.resolve']);
    expect(rows[0]!.prev_hash).toBe(rows[1]!.hash);
    expect(await verifyAuditChain(db)).toBeNull();

    await expect(db.query(`UPDATE audit_event SET reason = 'rewritten' WHERE id = $1`, [rows[1]!.id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_event WHERE id = $1`, [rows[1]!.id])).rejects.toThrow(/append-only/);

    // Someone with table-owner rights disables the trigger and edits a row: the chain says where.
    await db.transaction(async (m) => {
      await m.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_rewrite');
      await m.query(`UPDATE audit_event SET reason = 'rewritten' WHERE id = $1`, [rows[1]!.id]);
      expect(await verifyAuditChain(m as unknown as DataSource)).toBe(rows[1]!.id);
      throw new Error('rollback');
    }).catch((e: Error) => expect(e.message).toBe('rollback'));
    expect(await verifyAuditChain(db)).toBeNull();
  });
});
