/**
 * `GET /v1/translation/providers` (partner API key; read-only): the translation providers this
 * installation uses, in preference order, with the per-pair chains, each provider's configured
 * limits and its status from `translation_provider_status` ('paused' with until when and why
 * after a spent quota; 'active' otherwise). The ops dashboard reads the same.
 */
import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { PartnerAuthGuard } from '../auth/partner-auth.guard';

@Controller('v1/translation')
@UseGuards(PartnerAuthGuard)
export class TranslationProvidersController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('providers')
  async providers() {
    const t = this.config.translation;
    const rows: Array<{ provider: string; status: string; paused_until: Date | null; reason: string | null; updated_at: Date; paused_now: boolean }> =
      await this.db.query(
        `SELECT provider, status, paused_until, reason, updated_at, (status = 'paused' AND paused_until > now()) AS paused_now
           FROM translation_provider_status`,
      );
    const byName = new Map(rows.map((r) => [r.provider, r]));
    const names = [...new Set([...t.order, ...rows.map((r) => r.provider)])];
    return {
      order: t.order,
      pair_chains: t.pairChains,
      max_wait_seconds: t.maxWaitSeconds,
      providers: names.map((name) => {
        const r = byName.get(name);
        return {
          name,
          configured: (t.order as string[]).includes(name),
          // A pause that has run out is 'active' already: the next success also resets the row.
          status: r?.paused_now ? 'paused' : 'active',
          paused_until: r?.paused_now ? r.paused_until!.toISOString() : null,
          reason: r?.reason ?? null,
          updated_at: r ? r.updated_at.toISOString() : null,
          limits: t.limits[name as keyof typeof t.limits] ?? {},
        };
      }),
    };
  }
}
