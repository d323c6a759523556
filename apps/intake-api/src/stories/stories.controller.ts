/** The partner-facing story API: push a story, read its status, follow it live. */
import { type CanActivate, Controller, type ExecutionContext, Get, Headers, HttpCode, Injectable, Param, Post, Query, Req, Res, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import type { Response } from 'express';
import { Inject } from '@nestjs/common';
import { type Observable, map, merge, interval } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { PROBLEM_TYPE_BASE, ProblemError } from '../http/problem';
import { type IntakeItemResult, IntakeService } from './intake.service';
import { StoryStatusService } from './story-status.service';
import { StoryEventsHub } from './story-events';
import { negotiateNinjs, storyAsNinjs } from './story-ninjs';
import { addLogContext, intakeAccepted } from '@syndication/observability';

/**
 * The story named by `:id` must be the partner's own. A guard, because a stream's status line is
 * written as it opens (interceptors wrap the handler, so a refusal from inside it comes too late):
 * another partner's story, or none, is a 404 problem like on every other route, not a 200 stream.
 */
@Injectable()
export class OwnStoryGuard implements CanActivate {
  constructor(private readonly status: StoryStatusService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<PartnerRequest>();
    if (!(await this.status.exists(req.partner.id, String(req.params['id'] ?? '')))) {
      throw new ProblemError(404, 'not_found', 'Not found', 'No such story');
    }
    return true;
  }
}

@Controller('v1/stories')
@UseGuards(PartnerAuthGuard)
export class StoriesController {
  constructor(
    private readonly intake: IntakeService,
    private readonly status: StoryStatusService,
    private readonly hub: StoryEventsHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(202)
  async push(
    @Req() req: PartnerRequest,
    @Res({ passthrough: true }) res: Response,
    @Headers('content-type') contentType?: string,
    @Headers('x-story-id') storyId?: string,
    @Headers('x-story-version') storyVersion?: string,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers('prefer') prefer?: string,
    @Headers('content-language') contentLanguage?: string,
  ) {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const lenient = prefersLenient(prefer);
    const result = await this.intake.accept(req.partner, { contentType, body, storyId, storyVersion, idempotencyKey, lenient, contentLanguage });
    addLogContext({ partner: req.partner.slug, storyId: result.storyId, versionId: result.versionId });
    for (const item of result.items) intakeAccepted.inc({ partner: req.partner.slug, result: item.created ? 'accepted' : 'duplicate' });
    if (lenient) {
      res.setHeader('Preference-Applied', 'handling=lenient');
      res.setHeader('Vary', 'Prefer');
    }
    const base = `${this.config.intake.publicUrl}/v1/stories`;
    const view = (r: IntakeItemResult) => ({
      id: r.storyId,
      version: r.version,
      version_id: r.versionId,
      status: r.created ? 'accepted' : 'duplicate',
      status_url: `${base}/${r.storyId}`,
      events_url: `${base}/${r.storyId}/events`,
      ...(r.warnings?.length ? { warnings: r.warnings } : {}),
    });
    // A replay answers with the original body (so the same id and status text), as 200: nothing new happened.
    if (!result.created || result.replayed) res.status(200);
    if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.setHeader('Location', `${base}/${result.storyId}`);
    // Some items refused under lenient handling: 207, one entry per item in document order.
    if (result.rejected?.length) {
      res.status(207);
      const entries = [
        ...result.items.map((r) => ({ index: r.index, external_id: r.externalId, ...view(r) })),
        ...result.rejected.map((r) => ({
          index: r.index,
          ...(r.externalId ? { external_id: r.externalId } : {}),
          status: 'rejected',
          problem: { type: `${PROBLEM_TYPE_BASE}${r.code}`, status: r.status, code: r.code, detail: r.detail, errors: r.errors },
        })),
      ].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
      return {
        status: 'partial',
        format: result.format,
        count: entries.length,
        accepted: result.items.filter((r) => r.created).length,
        duplicates: result.items.filter((r) => !r.created).length,
        rejected: result.rejected.length,
        items: entries,
      };
    }
    // One story: the original response shape. Several (news message, feed, collection): one
    // entry per item, in document order, plus the first item's fields for simple clients.
    if (result.items.length === 1) return view(result);
    return {
      ...view(result),
      status: result.created ? 'accepted' : 'duplicate',
      format: result.format,
      count: result.items.length,
      items: result.items.map((r) => ({ external_id: r.externalId, ...view(r) })),
    };
  }

  /** The status view, or with `?format=ninjs` (or an ninjs Accept) the latest version as IPTC ninjs. */
  @Get(':id')
  async get(
    @Req() req: PartnerRequest,
    @Res({ passthrough: true }) res: Response,
    @Param('id') id: string,
    @Query('format') format?: string,
    @Query('version') version?: string,
    @Query('language') language?: string,
    @Headers('accept') accept?: string,
  ) {
    // Negotiated before the read, so an unsupported version is refused whether or not the story exists.
    const ninjsVersion = negotiateNinjs(format, version, accept);
    const view = await this.status.get(req.partner.id, id);
    if (!view) throw new ProblemError(404, 'not_found', 'Not found', 'No such story');
    if (!ninjsVersion) return view;
    const doc = storyAsNinjs(view, ninjsVersion, language);
    res.setHeader('Content-Type', `application/ninjs+json; version=${ninjsVersion}`);
    res.setHeader('Vary', 'Accept');
    return doc;
  }

  /** Server-sent events for one story; a heartbeat every 15 s keeps proxies from closing the stream. */
  @Sse(':id/events')
  @UseGuards(OwnStoryGuard)
  events(@Param('id') id: string): Observable<MessageEvent> {
    return merge(
      this.hub.forStory(id).pipe(map((e): MessageEvent => ({ type: 'stage', data: e }))),
      interval(15_000).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} }))),
    );
  }
}

/** RFC 7240 `Prefer: handling=lenient` (among other preferences, in any case). */
export function prefersLenient(prefer: string | undefined): boolean {
  return (prefer ?? '').split(',').some((p) => /^\s*handling\s*=\s*"?lenient"?\s*(;|$)/i.test(p));
}
