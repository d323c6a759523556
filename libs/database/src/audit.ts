/**
 * The audit log: one row per privileged action, hash-chained. Writers call `recordAudit` inside
 * the transaction that performs the action, so an action and its audit row commit together.
 */
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from './sql';

export type AuditActorType = 'admin_token' | 'user' | 'operator_token' | 'partner' | 'system';

export interface AuditEntry {
  actor: string;
  actorType: AuditActorType;
  /** Dotted verb, e.g. `delivery.resolve`, `story.replay`, `channel.pause`, `auth.login`. */
  action: string;
  targetType?: string;
  targetId?: string;
  reason?: string;
  detail?: Record<string, unknown>;
  requestId?: string;
  ip?: string;
}

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  actor_type: AuditActorType;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
  request_id: string | null;
  ip: string | null;
  prev_hash: string | null;
  hash: string;
}

// Serialises appends so each row's prev_hash is the row before it (a chain, not a tree).
const AUDIT_LOCK = 0x61756474; // 'audt'

/** JSON with object keys sorted: jsonb does not keep key order, so the hash must not depend on it. */
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  }
  return v;
}

function rowHash(prev: string | null, e: AuditEntry): string {
  const canonical = JSON.stringify([
    prev,
    e.actor,
    e.actorType,
    e.action,
    e.targetType ?? null,
    e.targetId ?? null,
    e.reason ?? null,
    // As stored: through JSON (Dates become strings, undefined fields vanish), keys sorted.
    stable(JSON.parse(JSON.stringify(e.detail ?? {}))),
    e.requestId ?? null,
    e.ip ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends one audit row; call it inside the action's own transaction. */
export async function recordAudit(m: EntityManager, e: AuditEntry): Promise<string> {
  await m.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const last = await queryRows<{ hash: string }>(m, 'SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1');
  const prev = last[0]?.hash ?? null;
  const hash = rowHash(prev, e);
  const rows = await queryRows<{ id: string }>(
    m,
    `INSERT INTO audit_event (actor, actor_type, action, target_type, target_id, reason, detail, request_id, ip, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [e.actor, e.actorType, e.action, e.targetType ?? null, e.targetId ?? null, e.reason ?? null, JSON.stringify(e.detail ?? {}), e.requestId ?? null, e.ip ?? null, prev, hash],
  );
  return rows[0]!.id;
}

export interface AuditQuery {
  targetType?: string;
  targetId?: string;
  action?: string;
  limit?: number;
  /** Keyset pagination: rows with id below this one. */
  before?: string;
}

export async function listAudit(m: EntityManager | DataSource, q: AuditQuery = {}): Promise<AuditRow[]> {
  return queryRows<AuditRow>(
    m,
    `SELECT id::text, at, actor, actor_type, action, target_type, target_id, reason, detail, request_id, ip, prev_hash, hash
       FROM audit_event
      WHERE ($1::text IS NULL OR target_type = $1) AND ($2::text IS NULL OR target_id = $2)
        AND ($3::text IS NULL OR action = $3) AND ($4::bigint IS NULL OR id < $4)
      ORDER BY audit_event.id DESC LIMIT $5`,
    [q.targetType ?? null, q.targetId ?? null, q.action ?? null, q.before ?? null, Math.min(Math.max(q.limit ?? 50, 1), 500)],
  );
}

/** Recomputes the chain; returns the id of the first row whose hash does not match, or null. */
export async function verifyAuditChain(m: EntityManager | DataSource): Promise<string | null> {
  const rows = await queryRows<AuditRow>(m, 'SELECT id::text, actor, actor_type, action, target_type, target_id, reason, detail, request_id, ip, prev_hash, hash FROM audit_event ORDER BY audit_event.id');
  let prev: string | null = null;
  for (const r of rows) {
    const expected = rowHash(prev, {
      actor: r.actor,
      actorType: r.actor_type,
      action: r.action,
      ...(r.target_type !== null ? { targetType: r.target_type } : {}),
      ...(r.target_id !== null ? { targetId: r.target_id } : {}),
      ...(r.reason !== null ? { reason: r.reason } : {}),
      detail: r.detail,
      ...(r.request_id !== null ? { requestId: r.request_id } : {}),
      ...(r.ip !== null ? { ip: r.ip } : {}),
    });
    if (r.prev_hash !== prev || r.hash !== expected) return r.id;
    prev = r.hash;
  }
  return null;
}
