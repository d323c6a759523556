/**
 * `POST /v1/routes/preview`: where would this story go? The body is a story exactly as for
 * `POST /v1/stories`; it goes through the intake's parse, clean-up and language detection, is
 * tagged the way the tagging worker tags it, and is matched against the active routes. Nothing is
 * written, so a partner can try rules and documents freely.
 */
import { Controller, Headers, HttpCode, Inject, Injectable, Post, Req, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import type { TaggingResult } from '@syndication/contracts';
import { markRoutable, tagStory } from '@syndication/language';
import { loadRules, matchedTags, plannedDeliveries, routeMatches, type RouteRule, type StoryFacts } from '@syndication/routing';
import { type AuthenticatedPartner, PartnerAuthGuard, type PartnerRequest } from '../auth/partner-auth.guard';
import { IntakeService, type PreparedItem } from '../stories/intake.service';

const NO_TAGS: TaggingResult = { entities: [], topics: [], keywords: [] };

interface ChannelRow {
  id: string;
  slug: string;
  kind: string;
}

@Injectable()
export class RoutePreviewService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly intake: IntakeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async preview(partner: AuthenticatedPartner, req: { contentType?: string; body: Buffer; storyId?: string; storyVersion?: string }) {
    const doc = await this.intake.prepareDocument(partner, req);
    const rules = await loadRules(this.db.manager);
    const channels: ChannelRow[] = await this.db.query('SELECT id, slug, kind FROM channel WHERE id = ANY($1)', [[...new Set(rules.map((r) => r.channelId))]]);
    const byId = new Map(channels.map((c) => [c.id, c]));
    return { format: doc.format, items: doc.items.map((it) => this.item(partner, it, rules, byId)) };
  }

  private item(partner: AuthenticatedPartner, it: PreparedItem, rules: RouteRule[], channels: ReadonlyMap<string, ChannelRow>) {
    // Items without text are not tagged by the pipeline either: they route with no tags.
    const tagging = it.enrich ? tagStory({ headline: it.story.headline, body: it.paragraphs.join('\n\n'), language: it.language }) : NO_TAGS;
    // The same threshold the tagging worker applies: a topic below it is shown but does not route.
    const topics = markRoutable(tagging.topics, this.config.tagging.topicRoutingThreshold);
    const facts: StoryFacts = {
      partnerId: partner.id,
      language: it.language,
      tags: { topics: topics.map((t) => ({ code: t.code, ancestors: t.ancestors, routable: t.routable })), entities: tagging.entities.map((e) => e.id) },
    };
    const reached = new Map<string, { channel: string; kind: string; languages: string[] }>();
    for (const d of plannedDeliveries(rules, facts)) {
      const c = channels.get(d.channelId);
      const entry = reached.get(d.channelId) ?? { channel: c?.slug ?? d.channelId, kind: c?.kind ?? 'unknown', languages: [] };
      entry.languages.push(d.language);
      reached.set(d.channelId, entry);
    }
    return {
      external_id: it.externalId,
      language: it.language,
      language_source: it.languageSource,
      channels: [...reached.values()],
      // Each matching route with the tags that satisfied its topic and entity criteria (empty
      // lists for a route that has none).
      matched_routes: rules
        .filter((rule) => routeMatches(rule, facts))
        .map((rule) => ({
          route: rule.id,
          channel: channels.get(rule.channelId)?.slug ?? rule.channelId,
          ...(matchedTags(rule, facts.tags!) ?? { topics: [], entities: [] }),
        })),
      tags: {
        topics: topics.map((t) => ({ code: t.code, name: t.name, ancestors: t.ancestors, score: t.score, routable: t.routable })),
        entities: tagging.entities.map((e) => ({ id: e.id, type: e.type, name: e.name })),
      },
    };
  }
}

@Controller('v1/routes')
@UseGuards(PartnerAuthGuard)
export class RoutePreviewController {
  constructor(private readonly previews: RoutePreviewService) {}

  @Post('preview')
  @HttpCode(200)
  async preview(
    @Req() req: PartnerRequest,
    @Headers('content-type') contentType?: string,
    @Headers('x-story-id') storyId?: string,
    @Headers('x-story-version') storyVersion?: string,
  ) {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    return this.previews.preview(req.partner, { contentType, body, storyId, storyVersion });
  }
}
