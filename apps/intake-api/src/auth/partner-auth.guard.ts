/**
 * Partner authentication by API key: `Authorization: Bearer <key_id>.<secret>`. The key id selects
 * the key; the secret is compared as a SHA-256 digest in constant time. Unknown key ids take the
 * same path (against a dummy digest) so timing does not reveal which ids exist.
 * Signed requests (HMAC, replay protection) come with the intake issue.
 */
import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ProblemError } from '../http/problem';

export interface AuthenticatedPartner {
  id: string;
  slug: string;
}

export type PartnerRequest = Request & { partner: AuthenticatedPartner };

const DUMMY_DIGEST = createHash('sha256').update('no such key').digest();

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

@Injectable()
export class PartnerAuthGuard implements CanActivate {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    const header = req.headers.authorization;
    const challenge = { 'WWW-Authenticate': 'Bearer realm="syndication"' };
    if (!header) throw new ProblemError(401, 'missing_credentials', 'Unauthorized', 'An API key is required', undefined, challenge);
    const m = /^Bearer\s+([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_.~+/=-]{1,256})$/.exec(header.trim());
    if (!m?.[1] || !m[2]) {
      throw new ProblemError(401, 'invalid_credentials', 'Unauthorized', 'Malformed API key', undefined, challenge);
    }
    const rows: Array<{ partner_id: string; slug: string; secret_sha256: Buffer }> = await this.db.query(
      `SELECT k.partner_id, p.slug, k.secret_sha256
         FROM partner_key k JOIN partner p ON p.id = k.partner_id
        WHERE k.key_id = $1 AND k.revoked_at IS NULL`,
      [m[1]],
    );
    const row = rows[0];
    const ok = timingSafeEqual(hashSecret(m[2]), row ? row.secret_sha256 : DUMMY_DIGEST) && row !== undefined;
    if (!ok || !row) throw new ProblemError(401, 'invalid_credentials', 'Unauthorized', 'Unknown or invalid API key', undefined, challenge);
    req.partner = { id: row.partner_id, slug: row.slug };
    return true;
  }
}
