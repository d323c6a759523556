/**
 * Ops dashboard accounts and sessions (tables ops_user, ops_session). Passwords are hashed with
 * argon2id (@node-rs/argon2, memory-hard); session tokens and operator tokens are stored as
 * SHA-256 digests only. Roles are ordered: viewer (looks) < operator (acts) < admin (manages).
 */
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../sql';

export const OPS_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OpsRole = (typeof OPS_ROLES)[number];

export function roleAtLeast(role: OpsRole, needed: OpsRole): boolean {
  return OPS_ROLES.indexOf(role) >= OPS_ROLES.indexOf(needed);
}

export interface OpsUser {
  id: string;
  username: string;
  role: OpsRole;
}

export interface OpsSession {
  user: OpsUser;
  csrfToken: string;
  expiresAt: string;
}

type Db = EntityManager | DataSource;

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest();

// OWASP's argon2id minimum (19 MiB, 2 passes) raised a little; a login costs ~30 ms of one core.
const ARGON = { memoryCost: 19_456, timeCost: 3, parallelism: 1 };

/** A hash to verify against when the user does not exist, so timing does not tell names apart. */
let dummyHash: Promise<string> | undefined;

export async function hashPassword(password: string): Promise<string> {
  return argonHash(password, ARGON);
}

export class OpsAccountError extends Error {}

export function checkPassword(password: string): void {
  if (password.length < 12) throw new OpsAccountError('the password must have at least 12 characters');
  if (password.length > 1024) throw new OpsAccountError('the password is too long');
}

/** Creates the user, or (with `update`) sets the role and password of an existing one. */
export async function upsertOpsUser(db: Db, username: string, role: OpsRole, password: string, opts: { update?: boolean } = {}): Promise<OpsUser & { created: boolean }> {
  if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(username)) throw new OpsAccountError('the user name must be 1-63 characters of a-z 0-9 . _ - (starting with a letter or digit)');
  if (!(OPS_ROLES as readonly string[]).includes(role)) throw new OpsAccountError(`role must be one of ${OPS_ROLES.join(', ')}`);
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const rows = await queryRows<OpsUser & { created: boolean }>(
    db,
    `INSERT INTO ops_user (username, role, password_hash) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, disabled_at = NULL
       WHERE $4
     RETURNING id, username, role, (xmax = 0) AS created`,
    [username, role, passwordHash, opts.update ?? false],
  );
  const r = rows[0];
  if (!r) throw new OpsAccountError(`user ${username} exists already (use --update to change it)`);
  return r;
}

export async function listOpsUsers(db: Db): Promise<Array<OpsUser & { created_at: string; disabled_at: string | null }>> {
  return queryRows(db, 'SELECT id, username, role, created_at, disabled_at FROM ops_user ORDER BY username');
}

export async function disableOpsUser(db: Db, username: string): Promise<boolean> {
  const rows = await queryRows<{ id: string }>(db, 'UPDATE ops_user SET disabled_at = now() WHERE username = $1 AND disabled_at IS NULL RETURNING id', [username]);
  if (rows[0]) await db.query('DELETE FROM ops_session WHERE user_id = $1', [rows[0].id]);
  return rows.length > 0;
}

/** The user when the password matches an enabled account; null otherwise (same cost either way). */
export async function verifyOpsLogin(db: Db, username: string, password: string): Promise<OpsUser | null> {
  const rows = await queryRows<OpsUser & { password_hash: string }>(
    db,
    'SELECT id, username, role, password_hash FROM ops_user WHERE username = $1 AND disabled_at IS NULL',
    [username],
  );
  const r = rows[0];
  if (!r) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await argonVerify(await dummyHash, password).catch(() => false);
    return null;
  }
  const ok = await argonVerify(r.password_hash, password).catch(() => false);
  return ok ? { id: r.id, username: r.username, role: r.role } : null;
}

/** A new session; returns the cookie token (shown once, stored only as a digest). */
export async function createOpsSession(db: Db, userId: string, ttlMs: number, meta: { ip?: string; userAgent?: string } = {}): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  await db.query(
    `INSERT INTO ops_session (token_sha256, user_id, csrf_token, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, clock_timestamp() + make_interval(secs => $4::double precision / 1000), $5, $6)`,
    [sha256(token), userId, csrfToken, ttlMs, meta.ip ?? null, (meta.userAgent ?? '').slice(0, 300) || null],
  );
  // Expired rows go when someone logs in, so the table does not grow without a sweeper.
  await db.query('DELETE FROM ops_session WHERE expires_at < clock_timestamp()');
  return { token, csrfToken };
}

/** The live session behind a cookie token, or null (expired, unknown, or the user disabled). */
export async function findOpsSession(db: Db, token: string): Promise<OpsSession | null> {
  if (!token || token.length > 100) return null;
  const rows = await queryRows<{ id: string; username: string; role: OpsRole; csrf_token: string; expires_at: string }>(
    db,
    `UPDATE ops_session s SET last_seen_at = clock_timestamp()
       FROM ops_user u
      WHERE s.token_sha256 = $1 AND u.id = s.user_id AND u.disabled_at IS NULL AND s.expires_at > clock_timestamp()
      RETURNING u.id, u.username, u.role, s.csrf_token, s.expires_at`,
    [sha256(token)],
  );
  const r = rows[0];
  return r ? { user: { id: r.id, username: r.username, role: r.role }, csrfToken: r.csrf_token, expiresAt: r.expires_at } : null;
}

export async function deleteOpsSession(db: Db, token: string): Promise<void> {
  await db.query('DELETE FROM ops_session WHERE token_sha256 = $1', [sha256(token)]);
}
