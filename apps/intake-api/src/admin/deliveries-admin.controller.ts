/**
 * `/v1/admin/deliveries`: the operators' view of deliveries held `in_doubt` (a send that may or
 * may not have reached a channel where a resend is not harmless) and the two ways to settle one:
 * `mark_delivered` (it is on the channel) or `resend` (it is not). ADMIN_TOKEN; every resolution
 * is audited (`delivery.resolve`).
 */
import { Controller, Get, HttpCode, Injectable, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { deliveryStatus, listInDoubt, resolveInDoubt, type InDoubtDelivery, type InDoubtResolution } from '@syndication/database';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { parseJsonBody } from '../http/json-body';
import { ProblemError, safeEcho } from '../http/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const Resolve = z.strictObject({
  action: z.enum(['mark_delivered', 'resend']),
  reason: z.string().trim().min(1).max(1000),
  external_id: z.string().trim().min(1).max(512).optional(),
});

const ListQuery = z.strictObject({
  status: z.literal('in_doubt').default('in_doubt'),
  channel: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const notFound = (id: string) => new ProblemError(404, 'delivery_not_found', 'Not found', `No delivery ${safeEcho(id)}`);

@Injectable()
export class DeliveriesAdminService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  list(opts: { channel?: string; limit: number }): Promise<InDoubtDelivery[]> {
    return listInDoubt(this.db, opts);
  }

  async resolve(
    id: string,
    action: InDoubtResolution,
    who: { reason: string; externalId?: string; requestId?: string; ip?: string },
  ): Promise<{ id: string; status: 'delivered' | 'retry' }> {
    if (!UUID.test(id)) throw notFound(id);
    const done = await resolveInDoubt(this.db, id, action, { actor: 'admin', actorType: 'admin_token', ...who });
    if (done) return { id, status: done.status };
    const status = await deliveryStatus(this.db, id);
    if (status === undefined) throw notFound(id);
    throw new ProblemError(409, 'delivery_not_in_doubt', 'Conflict', `Delivery ${id} is ${status}, not in_doubt: there is nothing to resolve`);
  }
}

@Controller('v1/admin/deliveries')
@UseGuards(AdminTokenGuard)
export class DeliveriesAdminController {
  constructor(private readonly deliveries: DeliveriesAdminService) {}

  @Get()
  async list(@Query() query: Record<string, unknown>) {
    const parsed = ListQuery.safeParse(query);
    if (!parsed.success) {
      throw new ProblemError(
        422,
        'invalid_query',
        'Unprocessable content',
        'Only status=in_doubt is listed here; channel is a slug or id, limit 1-1000',
        parsed.error.issues.map((i) => ({ pointer: `/query/${i.path.map(String).join('/')}`, code: i.code, message: i.message })),
      );
    }
    const { channel, limit } = parsed.data;
    return { deliveries: await this.deliveries.list({ limit, ...(channel ? { channel } : {}) }) };
  }

  @Post(':id/resolve')
  @HttpCode(200)
  async resolve(@Req() req: Request, @Param('id') id: string) {
    const body = parseJsonBody(req, Resolve);
    const requestId = typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].slice(0, 128) : undefined;
    return this.deliveries.resolve(id, body.action, {
      reason: body.reason,
      ...(body.external_id ? { externalId: body.external_id } : {}),
      ...(requestId ? { requestId } : {}),
      ...(req.ip ? { ip: req.ip } : {}),
    });
  }
}
