/**
 * `POST /v1/stories/:id/withdraw`: the owning partner's explicit kill notice, for partners whose
 * format cannot say `canceled` (plain text, RSS, NITF) or who want to kill without re-sending the
 * story. It is recorded as a new version (format `kill-notice`) so the story's history shows
 * who withdrew it and why, and then takes exactly the path of a pushed kill (applyVersionLifecycle).
 */
import { Controller, HttpCode, Injectable, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { isUuid, recordStageEvent } from '@syndication/database';
import { applyVersionLifecycle } from '@syndication/routing';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { readJsonObject, rejectUnknown } from '../http/json-body';
import { ProblemError } from '../http/problem';

const MAX_REASON_CHARS = 500;
export const KILL_NOTICE_FORMAT = 'kill-notice';

export interface WithdrawResult {
  created: boolean;
  storyId: string;
  versionId: string;
  version: number;
}

@Injectable()
export class StoryWithdrawService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Null when the partner has no such story (another partner's story is indistinguishable). */
  async withdraw(partnerId: string, storyId: string, reason: string): Promise<WithdrawResult | null> {
    if (!isUuid(storyId)) return null;
    return this.db.transaction(async (m) => {
      const found: Array<{ external_id: string }> = await m.query('SELECT external_id FROM story WHERE id = $1 AND partner_id = $2', [storyId, partnerId]);
      if (!found[0]) return null;
      // The intake's per-story lock: a push of a new version and this kill cannot interleave.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${partnerId}/${found[0].external_id}`]);
      const stories: Array<{ latest_version: number; pubstatus: string; pubstatus_version: number | null }> = await m.query(
        'SELECT latest_version, pubstatus, pubstatus_version FROM story WHERE id = $1',
        [storyId],
      );
      const s = stories[0]!;
      if (s.pubstatus === 'canceled') {
        const prior: Array<{ id: string; version: number }> = await m.query(
          'SELECT id, version FROM story_version WHERE story_id = $1 AND version = $2',
          [storyId, s.pubstatus_version ?? s.latest_version],
        );
        return { created: false, storyId, versionId: prior[0]!.id, version: prior[0]!.version };
      }
      const latest: Array<{ headline: string; language: string; canonical: Record<string, unknown> }> = await m.query(
        'SELECT headline, language, canonical FROM story_version WHERE story_id = $1 ORDER BY version DESC LIMIT 1',
        [storyId],
      );
      const l = latest[0]!;
      const version = s.latest_version + 1;
      const raw = JSON.stringify({ reason });
      const inserted: Array<{ id: string }> = await m.query(
        `INSERT INTO story_version (story_id, version, format, content_type, raw_payload, raw_sha256, headline, paragraphs, language,
                                    stage, canonical, translate_status, tag_status, routed_at)
         VALUES ($1, $2, $3, 'application/json', $4, $5, $6, '[]', $7, 'stored', $8, 'skipped', 'skipped', now()) RETURNING id`,
        [storyId, version, KILL_NOTICE_FORMAT, raw, createHash('sha256').update(raw).digest(), l.headline, l.language,
          JSON.stringify({ ...l.canonical, version, pubStatus: 'canceled', paragraphs: [], bodyHtml: undefined })],
      );
      const versionId = inserted[0]!.id;
      await m.query('UPDATE story SET latest_version = $2, updated_at = now() WHERE id = $1', [storyId, version]);
      await recordStageEvent(m, versionId, 'intake', 'done', { format: KILL_NOTICE_FORMAT, reason });
      await applyVersionLifecycle(m, { storyId, versionId, version, pubStatus: 'canceled', reason });
      return { created: true, storyId, versionId, version };
    });
  }
}

@Controller('v1/stories')
@UseGuards(PartnerAuthGuard)
export class StoryWithdrawController {
  constructor(
    private readonly service: StoryWithdrawService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Body (optional): `{"reason": "..."}`. 202 when withdrawn now, 200 when it already was. */
  @Post(':id/withdraw')
  @HttpCode(202)
  async withdraw(@Req() req: PartnerRequest, @Res({ passthrough: true }) res: Response, @Param('id') id: string) {
    const body = readJsonObject(req.body, true);
    rejectUnknown(body, ['reason']);
    const reason = body['reason'] ?? 'withdrawn by the partner';
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > MAX_REASON_CHARS) {
      throw new ProblemError(422, 'invalid_reason', 'Unprocessable content', `reason must be a non-empty string of at most ${MAX_REASON_CHARS} characters`, [
        { pointer: '/reason', code: 'invalid_reason', message: `1-${MAX_REASON_CHARS} characters` },
      ]);
    }
    const result = await this.service.withdraw(req.partner.id, id, reason.trim());
    if (!result) throw new ProblemError(404, 'not_found', 'Not found', 'No such story');
    if (!result.created) res.status(200);
    return {
      id: result.storyId,
      version: result.version,
      version_id: result.versionId,
      status: 'withdrawn',
      status_url: `${this.config.intake.publicUrl}/v1/stories/${result.storyId}`,
    };
  }
}
