/**
 * `/v1/admin/channels` and `/v1/admin/routes`: operators create, change, pause, resume, test and
 * delete channels, and the routes that feed them, naming channels and partners by slug
 * (ADMIN_TOKEN). Credentials are write-only: answers show "(set)".
 */
import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { CHANNEL_KINDS, LANGUAGES } from '@syndication/contracts';
import type { Actor } from '@syndication/database';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { parseJsonBody } from '../http/json-body';
import { ChannelsAdminService } from './channels-admin.service';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, 1-63, not starting with a dash');
const name = z.string().trim().min(1).max(200);
const language = z.enum(LANGUAGES);
const channelLanguages = z.array(language).min(1).max(50).nullable();
const config = z.record(z.string(), z.unknown());

const CreateChannel = z.strictObject({ slug, kind: z.enum(CHANNEL_KINDS), name, config, languages: channelLanguages.optional() });
const UpdateChannel = z
  .strictObject({ name: name.optional(), config: config.optional(), languages: channelLanguages.optional() })
  .refine((o) => Object.keys(o).length > 0, 'name, config or languages');
const Pause = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() });

const urgency = z.number().int().min(1).max(9).nullable();
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(100).nullable();
const RouteFields = {
  name,
  channel: slug,
  partner: slug.nullable(),
  languages: z.array(z.union([language, z.literal('source')])).min(1).max(50),
  source_languages: list(language).optional(),
  topics: list(z.string().regex(/^(medtop:)?\d{8}$/, 'an IPTC Media Topic code such as medtop:20000568')).optional(),
  entities: list(z.string().min(1).max(200)).optional(),
  urgency_min: urgency.optional(),
  urgency_max: urgency.optional(),
  translation_providers: list(z.string().min(1).max(50)).optional(),
  translation_policy: z.enum(['wait', 'source_first']).optional(),
  translation_wait_seconds: z.number().int().min(0).max(86_400).nullable().optional(),
  active: z.boolean().optional(),
};
const urgencyOrder = (o: { urgency_min?: number | null | undefined; urgency_max?: number | null | undefined }) =>
  o.urgency_min == null || o.urgency_max == null || o.urgency_min <= o.urgency_max;
const CreateRoute = z.strictObject(RouteFields).refine(urgencyOrder, { message: 'must not exceed urgency_max', path: ['urgency_min'] });
const UpdateRoute = z
  .strictObject(Object.fromEntries(Object.entries(RouteFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof RouteFields]: z.ZodOptional<(typeof RouteFields)[K]> })
  .refine((o) => Object.keys(o).length > 0, 'at least one field')
  .refine(urgencyOrder, { message: 'must not exceed urgency_max', path: ['urgency_min'] });

function actorOf(req: Request): Actor {
  const rid = req.headers['x-request-id'];
  return {
    actor: 'admin',
    actorType: 'admin_token',
    ...(typeof rid === 'string' && rid.length <= 200 ? { requestId: rid } : {}),
    ...(req.ip ? { ip: req.ip } : {}),
  };
}

@Controller('v1/admin/channels')
@UseGuards(AdminTokenGuard)
export class ChannelsAdminController {
  constructor(private readonly channels: ChannelsAdminService) {}

  @Get()
  async list() {
    return { channels: await this.channels.list() };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const view = await this.channels.create(parseJsonBody(req, CreateChannel), actorOf(req));
    res.setHeader('Location', `/v1/admin/channels/${view.slug}`);
    return view;
  }

  @Get(':slug')
  get(@Param('slug') slugParam: string) {
    return this.channels.get(slugParam);
  }

  @Patch(':slug')
  update(@Req() req: Request, @Param('slug') slugParam: string) {
    return this.channels.update(slugParam, parseJsonBody(req, UpdateChannel), actorOf(req));
  }

  @Delete(':slug')
  @HttpCode(204)
  async remove(@Req() req: Request, @Param('slug') slugParam: string) {
    await this.channels.remove(slugParam, actorOf(req));
  }

  @Post(':slug/pause')
  pause(@Req() req: Request, @Param('slug') slugParam: string) {
    const body = req.headers['content-type'] ? parseJsonBody(req, Pause) : {};
    return this.channels.pause(slugParam, body.reason ?? null, actorOf(req));
  }

  @Post(':slug/resume')
  resume(@Req() req: Request, @Param('slug') slugParam: string) {
    return this.channels.resume(slugParam, actorOf(req));
  }

  @Post(':slug/test')
  testSend(@Req() req: Request, @Param('slug') slugParam: string) {
    return this.channels.testSend(slugParam, actorOf(req));
  }
}

@Controller('v1/admin/routes')
@UseGuards(AdminTokenGuard)
export class RoutesAdminController {
  constructor(private readonly channels: ChannelsAdminService) {}

  @Get()
  async list(@Query('channel') channel?: string, @Query('partner') partner?: string) {
    return {
      routes: await this.channels.listRoutes({
        ...(typeof channel === 'string' ? { channel } : {}),
        ...(typeof partner === 'string' ? { partner } : {}),
      }),
    };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const view = await this.channels.createRoute(parseJsonBody(req, CreateRoute), actorOf(req));
    res.setHeader('Location', `/v1/admin/routes/${view.id}`);
    return view;
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.channels.getRoute(id);
  }

  @Patch(':id')
  update(@Req() req: Request, @Param('id') id: string) {
    return this.channels.updateRoute(id, parseJsonBody(req, UpdateRoute), actorOf(req));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Req() req: Request, @Param('id') id: string) {
    await this.channels.removeRoute(id, actorOf(req));
  }
}
