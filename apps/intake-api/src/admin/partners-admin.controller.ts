/**
 * `/v1/admin/partners`: the operators' API for partners and their credentials (ADMIN_TOKEN).
 * A key's secret is in the creation response only (`Cache-Control: no-store`).
 */
import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { NINJS_VERSIONS } from '@syndication/formats';
import { AdminTokenGuard } from '../auth/admin-token.guard';
import { ProblemError } from '../http/problem';
import { parseJsonBody } from '../http/json-body';
import { PartnersAdminService } from './partners-admin.service';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, 1-63, not starting with a dash');
const name = z.string().trim().min(1).max(200);
const ninjsVersion = z.enum(NINJS_VERSIONS).nullable();
const formatMode = z.enum(['strict', 'dialects']);

const CreatePartner = z.strictObject({ slug, name, ninjs_version: ninjsVersion.optional(), require_signature: z.boolean().optional(), format_mode: formatMode.optional() });
const UpdatePartner = z
  .strictObject({ name: name.optional(), ninjs_version: ninjsVersion.optional(), require_signature: z.boolean().optional(), format_mode: formatMode.optional() })
  .refine((o) => Object.keys(o).length > 0, 'name, ninjs_version, require_signature or format_mode');
const CreateKey = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('api_key') }),
  z.strictObject({ kind: z.literal('hmac') }),
  z.strictObject({ kind: z.literal('ed25519'), public_key: z.string().min(1).max(4096) }),
]);

@Controller('v1/admin/partners')
@UseGuards(AdminTokenGuard)
export class PartnersAdminController {
  constructor(private readonly partners: PartnersAdminService) {}

  @Get()
  async list() {
    return { partners: await this.partners.list() };
  }

  @Post()
  @HttpCode(201)
  async create(@Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const view = await this.partners.create(parseJsonBody(req, CreatePartner));
    res.setHeader('Location', `/v1/admin/partners/${view.slug}`);
    return view;
  }

  @Get(':slug')
  async get(@Param('slug') slugParam: string) {
    const view = await this.partners.get(slugParam);
    if (!view) throw new ProblemError(404, 'partner_not_found', 'Not found', `No partner ${slugParam.slice(0, 64)}`);
    return view;
  }

  @Patch(':slug')
  async update(@Req() req: Request, @Param('slug') slugParam: string) {
    return this.partners.update(slugParam, parseJsonBody(req, UpdatePartner));
  }

  @Post(':slug/keys')
  @HttpCode(201)
  async addKey(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Param('slug') slugParam: string) {
    const body = parseJsonBody(req, CreateKey);
    const key = await this.partners.addKey(slugParam, body.kind === 'ed25519' ? { kind: 'ed25519', publicKey: body.public_key } : { kind: body.kind });
    res.setHeader('Cache-Control', 'no-store');
    const out: Record<string, unknown> = { key_id: key.keyId, kind: key.kind, created_at: key.createdAt.toISOString() };
    if (key.kind === 'api_key') out['api_key'] = key.secret;
    if (key.kind === 'hmac') out['secret'] = key.secret;
    return out;
  }

  @Delete(':slug/keys/:keyId')
  async revokeKey(@Param('slug') slugParam: string, @Param('keyId') keyId: string) {
    return this.partners.revokeKey(slugParam, keyId);
  }
}
