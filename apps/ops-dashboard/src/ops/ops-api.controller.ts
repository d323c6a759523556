/**
 * The ops API (JSON) under /ops/api/v1: across partners, for operators and automation. Reads need
 * a viewer; actions need an operator, a reason, and (for sessions) the CSRF token. Errors are
 * RFC 9457 problem+json with a stable `code`.
 */
import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { NeedsRole } from '../auth/ops-auth.guard';
import type { OpsRequest } from '../auth/ops-auth';
import { actorOf, OpsService, readReason } from './ops.service';

type Json = Record<string, unknown>;

@Controller('ops/api/v1')
export class OpsApiController {
  constructor(private readonly ops: OpsService) {}

  private who(req: OpsRequest, body: unknown) {
    return actorOf(req.ops!, readReason(body), req);
  }

  @Get('me')
  me(@Req() req: OpsRequest) {
    const p = req.ops!;
    return { actor: p.actor, role: p.role, via: p.via };
  }

  @Get('pipeline/summary')
  summary() {
    return this.ops.overview();
  }

  @Get('stories')
  stories(@Query() q: Json) {
    return this.ops.stories(q);
  }

  @Get('stories/:id')
  story(@Param('id') id: string) {
    return this.ops.story(id);
  }

  @Get('deliveries')
  async deliveries(@Query() q: Json) {
    const s = (k: string) => (typeof q[k] === 'string' && q[k] ? (q[k] as string) : undefined);
    const limit = s('limit') ? Math.min(Math.max(Number(s('limit')) || 50, 1), 100) : 50;
    return {
      counts: await this.ops.deliveryCounts(),
      items: await this.ops.deliveries({ limit, ...(s('channel') ? { channel: s('channel')! } : {}), ...(s('status') ? { status: s('status')! } : {}), ...(s('before') ? { before: s('before')! } : {}) }),
    };
  }

  @Get('failures')
  async failures() {
    return { groups: await this.ops.failures() };
  }

  @Get('in-doubt')
  async inDoubt(@Query('channel') channel?: string) {
    return { items: await this.ops.inDoubt(channel) };
  }

  @Get('partners')
  async partners() {
    return { items: await this.ops.partners() };
  }

  @Get('channels')
  async channels() {
    return { items: await this.ops.channels() };
  }

  @Get('routes')
  async routes() {
    return { items: await this.ops.routes() };
  }

  @Get('translation-providers')
  providers() {
    return this.ops.providers();
  }

  @Get('feeds')
  async feeds() {
    return { items: await this.ops.feeds() };
  }

  @Get('queues')
  async queues() {
    return { items: await this.ops.queueCounts() };
  }

  @Get('audit')
  async audit(@Query('before') before?: string) {
    return { items: await this.ops.audit(before) };
  }

  @Post('deliveries/:id/retry')
  @NeedsRole('operator')
  @HttpCode(202)
  retry(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.retryDelivery(id, this.who(req, body));
  }

  @Post('deliveries/:id/resolve')
  @NeedsRole('operator')
  @HttpCode(200)
  resolve(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.resolveInDoubt(id, body ?? {}, this.who(req, body));
  }

  /** Body: {story_ids | story_id, from_stage: 'publish', channels?, languages?, dry_run?, reason}. */
  @Post('replay')
  @NeedsRole('operator')
  @HttpCode(200)
  replay(@Req() req: OpsRequest, @Body() body: Json) {
    return this.ops.replay(body ?? {}, this.who(req, body));
  }

  @Post('stories/:id/replay')
  @NeedsRole('operator')
  @HttpCode(200)
  replayOne(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.replay({ ...(body ?? {}), story_ids: [id] }, this.who(req, body));
  }

  @Post('stories/:id/cancel')
  @NeedsRole('operator')
  @HttpCode(200)
  cancel(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.cancel(id, this.who(req, body));
  }

  @Post('stories/:id/withdraw')
  @NeedsRole('operator')
  @HttpCode(202)
  withdraw(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.withdraw(id, this.who(req, body));
  }

  /** Body: {stage: 'publish', channel?, error_code?, dry_run?, reason}. */
  @Post('failures/replay')
  @NeedsRole('operator')
  @HttpCode(200)
  replayFailures(@Req() req: OpsRequest, @Body() body: Json) {
    return this.ops.replayFailures(body ?? {}, this.who(req, body));
  }

  @Post('channels/:id/pause')
  @NeedsRole('operator')
  @HttpCode(200)
  pause(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.setChannel(id, 'pause', this.who(req, body));
  }

  @Post('channels/:id/resume')
  @NeedsRole('operator')
  @HttpCode(200)
  resume(@Req() req: OpsRequest, @Param('id') id: string, @Body() body: Json) {
    return this.ops.setChannel(id, 'resume', this.who(req, body));
  }
}
