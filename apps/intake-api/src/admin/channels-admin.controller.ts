/**
 * `/v1/admin/channels` and `/v1/admin/routes`: operators create, change, pause, resume, test and
 * delete channels, and the routes that feed them, naming channels and partners by slug
 * (ADMIN_TOKEN). Credentials are write-only: answers show "(set)".
 */
import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Actor } from '@syndication/database';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { parseJsonBody } from '../http/json-body';
import { CreateChannel, CreateRoute, Pause, RoutePreview, UpdateChannel, UpdateRoute } from './channels-admin.schemas';
import { ChannelsAdminService } from './channels-admin.service';
import { RoutePreviewAdminService } from './route-preview-admin.service';

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
  @HttpCode(200)
  pause(@Req() req: Request, @Param('slug') slugParam: string) {
    const body = req.headers['content-type'] ? parseJsonBody(req, Pause) : {};
    return this.channels.pause(slugParam, body.reason ?? null, actorOf(req));
  }

  @Post(':slug/resume')
  @HttpCode(200)
  resume(@Req() req: Request, @Param('slug') slugParam: string) {
    return this.channels.resume(slugParam, actorOf(req));
  }

  @Post(':slug/test')
  @HttpCode(200)
  testSend(@Req() req: Request, @Param('slug') slugParam: string) {
    return this.channels.testSend(slugParam, actorOf(req));
  }
}

@Controller('v1/admin/routes')
@UseGuards(AdminTokenGuard)
export class RoutesAdminController {
  constructor(
    private readonly channels: ChannelsAdminService,
    private readonly previews: RoutePreviewAdminService,
  ) {}

  @Post('preview')
  @HttpCode(200)
  preview(@Req() req: Request) {
    return this.previews.preview(parseJsonBody(req, RoutePreview));
  }

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
