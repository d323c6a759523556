/**
 * `POST /v1/admin/routes/preview`: the operators' routing preview. It takes a draft rule and/or a
 * raw story document and answers which deliveries would be created, with the same rule functions
 * the pipeline uses (libs/routing). A raw story goes through the intake's parse, clean-up,
 * language detection and tagging, as for the partners' own preview; without one, the draft is
 * tried on the latest stored story versions of every partner. Nothing is written.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { queryRows } from '@syndication/database';
import { tagStory } from '@syndication/language';
import { loadRules, loadStoryTags, plannedDeliveries, routeMatches, type RouteRule, type StoryFacts } from '@syndication/routing';
import { ProblemError } from '../http/problem';
import { IntakeService } from '../stories/intake.service';
import type { RoutePreview } from './channels-admin.schemas';

const DRAFT = 'draft';

interface PreviewedStory {
  partner: string;
  story_id: string | null;
  external_id: string;
  version: number;
  language: string;
  urgency: number | null;
  draft_matches: boolean | null;
  deliveries: Array<{ channel: string; kind: string; language: string; routes: string[] }>;
}

@Injectable()
export class RoutePreviewAdminService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly intake: IntakeService,
  ) {}

  async preview(body: z.infer<typeof RoutePreview>): Promise<{ rules: number; stories: PreviewedStory[] }> {
    const draft = body.rule ? await this.draftRule(body.rule) : undefined;
    const active = body.only_rule ? [] : await loadRules(this.db.manager);
    const rules = draft ? [...active, draft] : active;
    const channels = new Map(
      (await queryRows<{ id: string; slug: string; kind: string }>(this.db, 'SELECT id, slug, kind FROM channel WHERE id = ANY($1)', [[...new Set(rules.map((r) => r.channelId))]])).map((c) => [c.id, c]),
    );
    const facts = body.story ? await this.rawStory(body.story) : await this.recentStories(body.recent ?? 20);
    return {
      rules: rules.length,
      stories: facts.map(({ meta, facts: f }) => ({
        ...meta,
        urgency: f.urgency ?? null,
        draft_matches: draft ? routeMatches(draft, f) : null,
        deliveries: plannedDeliveries(rules, f).map((d) => ({
          channel: channels.get(d.channelId)?.slug ?? d.channelId,
          kind: channels.get(d.channelId)?.kind ?? 'unknown',
          language: d.language,
          routes: rules
            .filter((r) => r.channelId === d.channelId && routeMatches(r, f))
            .map((r) => r.id),
        })),
      })),
    };
  }

  private async draftRule(r: NonNullable<z.infer<typeof RoutePreview>['rule']>): Promise<RouteRule> {
    const c = await queryRows<{ id: string; languages: string[] | null }>(this.db, 'SELECT id, languages FROM channel WHERE slug = $1', [r.channel]);
    if (!c[0]) throw new ProblemError(422, 'channel_not_found', 'Unprocessable content', `No channel ${r.channel}`, [{ pointer: '/rule/channel', code: 'channel_not_found', message: 'no such channel' }]);
    let partnerId: string | null = null;
    if (r.partner !== null) {
      const p = await queryRows<{ id: string }>(this.db, 'SELECT id FROM partner WHERE slug = $1', [r.partner]);
      if (!p[0]) throw new ProblemError(422, 'partner_not_found', 'Unprocessable content', `No partner ${r.partner}`, [{ pointer: '/rule/partner', code: 'partner_not_found', message: 'no such partner' }]);
      partnerId = p[0].id;
    }
    return {
      id: DRAFT,
      channelId: c[0].id,
      partnerId,
      sourceLanguages: r.source_languages ?? null,
      topics: r.topics ?? null,
      entities: r.entities ?? null,
      languages: r.languages,
      urgencyMin: r.urgency_min ?? null,
      urgencyMax: r.urgency_max ?? null,
      channelLanguages: c[0].languages,
    };
  }

  private async rawStory(s: { partner: string; content_type: string; body: string }) {
    const p = await queryRows<{ id: string; slug: string }>(this.db, 'SELECT id, slug FROM partner WHERE slug = $1', [s.partner]);
    if (!p[0]) throw new ProblemError(422, 'partner_not_found', 'Unprocessable content', `No partner ${s.partner}`, [{ pointer: '/story/partner', code: 'partner_not_found', message: 'no such partner' }]);
    const partner = p[0];
    const doc = await this.intake.prepareDocument(partner, { contentType: s.content_type, body: Buffer.from(s.body, 'utf8') });
    return doc.items.map((it) => {
      const tagging = it.enrich ? tagStory({ headline: it.story.headline, body: it.paragraphs.join('\n\n'), language: it.language }) : { topics: [], entities: [] };
      const facts: StoryFacts = {
        partnerId: partner.id,
        language: it.language,
        urgency: it.story.urgency ?? null,
        tags: { topics: tagging.topics.map((t) => ({ code: t.code, ancestors: t.ancestors })), entities: tagging.entities.map((e) => e.id) },
      };
      return { meta: { partner: partner.slug, story_id: null, external_id: it.externalId, version: it.version, language: it.language }, facts };
    });
  }

  private async recentStories(n: number) {
    const rows = await queryRows<{ version_id: string; story_id: string; external_id: string; version: number; slug: string; partner_id: string; language: string; urgency: number | null }>(
      this.db,
      `SELECT v.id AS version_id, s.id AS story_id, s.external_id, v.version, p.slug, s.partner_id, v.language,
              CASE WHEN v.canonical->>'urgency' ~ '^[1-9]$' THEN (v.canonical->>'urgency')::int END AS urgency
         FROM story_version v JOIN story s ON s.id = v.story_id JOIN partner p ON p.id = s.partner_id
        WHERE v.version = s.latest_version
        ORDER BY v.received_at DESC LIMIT $1`,
      [n],
    );
    return Promise.all(
      rows.map(async (r) => ({
        meta: { partner: r.slug, story_id: r.story_id, external_id: r.external_id, version: r.version, language: r.language },
        facts: { partnerId: r.partner_id, language: r.language, urgency: r.urgency, tags: await loadStoryTags(this.db.manager, r.version_id) } satisfies StoryFacts,
      })),
    );
  }
}
