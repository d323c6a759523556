/**
 * Every route of the dashboard needs a principal (pages and API alike) unless marked @Public();
 * @NeedsRole('operator') on actions. Safe methods need `viewer`; state changes default to
 * `operator`, so a forgotten decorator never lets a viewer act.
 */
import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { OpsRole } from '@syndication/database';
import { PUBLIC_ROUTE } from '@syndication/observability';
import { OpsAuth, type OpsRequest } from './ops-auth';

const PUBLIC = 'ops:public';
const ROLE = 'ops:role';
export const Public = () => SetMetadata(PUBLIC, true);
export const NeedsRole = (role: OpsRole) => SetMetadata(ROLE, role);

@Injectable()
export class OpsAuthGuard implements CanActivate {
  constructor(
    private readonly auth: OpsAuth,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    // Metrics and health probes (libs/observability) carry no session.
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets) || this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const req = context.switchToHttp().getRequest<OpsRequest>();
    const safe = req.method === 'GET' || req.method === 'HEAD';
    const role = this.reflector.getAllAndOverride<OpsRole>(ROLE, targets) ?? (safe ? 'viewer' : 'operator');
    await this.auth.require(req, role);
    return true;
  }
}
