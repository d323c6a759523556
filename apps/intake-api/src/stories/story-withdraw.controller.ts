/**
 * `POST /v1/stories/:id/withdraw`: the owning partner's explicit kill notice, for partners whose
 * format cannot say `canceled` (plain text, RSS, NITF) or who want to kill without re-sending the
 * story. The kill itself (a `kill-notice` version, then the path of a pushed kill) is
 * `withdrawStory` in @syndication/routing, shared with the ops dashboard.
 */
import { Controller, HttpCode, Injectable, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Inject } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { isUuid } from '@syndication/database';
import { withdrawStory, type WithdrawResult } from '@syndication/routing';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { readJsonObject, rejectUnknown } from '../http/json-body';
import { ProblemError } from '../http/problem';

const MAX_REASON_CHARS = 500;

@Injectable()
export class StoryWithdrawService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Null when the partner has no such story (another partner's story is indistinguishable). */
  async withdraw(partnerId: string, storyId: string, reason: string): Promise<WithdrawResult | null> {
    // A path id that is not a UUID names no story, and must not reach a ::uuid comparison (a 500).
    if (!isUuid(storyId)) return null;
    return this.db.transaction((m) => withdrawStory(m, { storyId, reason, partnerId }));
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
