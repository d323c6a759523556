/**
 * Operators' admin API: `Authorization: Bearer <ADMIN_TOKEN>`. Without ADMIN_TOKEN configured
 * the API is off (403), so a deployment never exposes it by accident. The comparison is on
 * SHA-256 digests, constant-time, so neither content nor length leaks through timing.
 */
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { ProblemError } from '../http/problem';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (config.auth.adminToken) this.expected = digest(config.auth.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) {
      throw new ProblemError(403, 'admin_api_disabled', 'Forbidden', 'The admin API is off: set ADMIN_TOKEN to enable it');
    }
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const challenge = { 'WWW-Authenticate': 'Bearer realm="syndication-admin"' };
    const m = /^Bearer\s+(\S+)$/.exec(header.trim());
    if (!m?.[1]) throw new ProblemError(401, 'missing_credentials', 'Unauthorized', 'The admin token is required (Authorization: Bearer <ADMIN_TOKEN>)', undefined, challenge);
    if (!timingSafeEqual(digest(m[1]), this.expected)) {
      throw new ProblemError(401, 'invalid_credentials', 'Unauthorized', 'Invalid admin token', undefined, challenge);
    }
    return true;
  }
}
