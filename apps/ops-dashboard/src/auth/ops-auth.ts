/**
 * Who is asking: a dashboard session (HttpOnly, SameSite=Strict cookie naming a server-side
 * ops_session row) or, for automation, the operator token (Authorization: Bearer <OPS_API_TOKEN>,
 * compared as SHA-256 digests in constant time). Session requests that change state must echo the
 * session's CSRF token; token requests carry no ambient credential, so they need none.
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { findOpsSession, roleAtLeast, type AuditActorType, type OpsRole } from '@syndication/database';
import { csrfRefused, forbidden, unauthenticated } from '../http/problem';

export const SESSION_COOKIE = 'ops_session';

export interface OpsPrincipal {
  actor: string;
  actorType: AuditActorType;
  role: OpsRole;
  via: 'session' | 'token';
  /** Session requests only: the token forms and htmx requests must send back. */
  csrfToken?: string;
}

export type OpsRequest = Request & { ops?: OpsPrincipal };

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class OpsAuth {
  private readonly tokenDigest?: Buffer;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.dashboard.apiToken) this.tokenDigest = digest(config.dashboard.apiToken);
  }

  /** The principal behind the request, or null. */
  async identify(req: OpsRequest): Promise<OpsPrincipal | null> {
    if (req.ops) return req.ops;
    const bearer = /^Bearer\s+(\S+)$/.exec((req.headers.authorization ?? '').trim())?.[1];
    if (bearer) {
      if (this.tokenDigest && timingSafeEqual(digest(bearer), this.tokenDigest)) {
        req.ops = { actor: 'ops-api-token', actorType: 'operator_token', role: 'operator', via: 'token' };
        return req.ops;
      }
      return null;
    }
    const cookies = (req as Request & { cookies?: Record<string, string> }).cookies ?? {};
    const token = cookies[SESSION_COOKIE];
    if (!token) return null;
    const session = await findOpsSession(this.db, token);
    if (!session) return null;
    req.ops = { actor: session.user.username, actorType: 'user', role: session.user.role, via: 'session', csrfToken: session.csrfToken };
    return req.ops;
  }

  /** Throws the right problem unless the request may go on with at least `role`. */
  async require(req: OpsRequest, role: OpsRole): Promise<OpsPrincipal> {
    const p = await this.identify(req);
    if (!p) throw unauthenticated();
    if (p.via === 'session' && !SAFE_METHODS.has(req.method)) {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = String(req.headers['x-csrf-token'] ?? (body && typeof body['_csrf'] === 'string' ? body['_csrf'] : ''));
      if (!p.csrfToken || sent.length !== p.csrfToken.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(p.csrfToken))) throw csrfRefused();
    }
    if (!roleAtLeast(p.role, role)) throw forbidden(`This needs the ${role} role; you are ${p.role}`);
    return p;
  }
}
