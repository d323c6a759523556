/**
 * The partner's view of one story, read from Postgres alone: each version's stages and timeline,
 * translations, tags and per-channel deliveries. Scoped by the authenticated partner: another
 * partner's story is indistinguishable from a missing one (404).
 */
import type { CanonicalStory } from '@syndication/formats';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { FINAL_DELIVERY_STATUSES, type DeliveryKind, type DeliveryStatus, type PubStatus } from '@syndication/contracts';
import { isUuid } from '@syndication/database';
import { nearDuplicatesOf, type NearDuplicateView } from './near-duplicates';

export interface DeliveryView {
  id: string;
  channel: string;
  channel_kind: string;
  language: string;
  status: DeliveryStatus;
  /** publish: the story itself; withdraw: a kill or hold notice to a channel that carried it. */
  kind: DeliveryKind;
  attempts: number;
  last_error: string | null;
  external_id: string | null;
  delivered_at: string | null;
}

export interface VersionView {
  id: string;
  version: number;
  received_at: string;
  format: string;
  headline: string;
  dateline: string | null;
  story_date: string | null;
  language: string;
  paragraphs: string[];
  removed: Array<{ reason: string; text: string }>;
  stage: string;
  /** The story as the input format described it (subjects, embargo, rights, associations, body HTML...). */
  canonical: CanonicalStory;
  /** What the intake noted about the document (dialect deviations, collapsed repeats, metadata only). */
  warnings: string[];
  stages: Record<string, string>;
  timeline: Array<{ stage: string; status: string; at: string; detail: Record<string, unknown> }>;
  translations: Array<{
    language: string;
    status: string;
    provider: string | null;
    /** Machine-made by `provider`; tied to this version (a correction gets its own). */
    machine: boolean;
    headline: string | null;
    paragraphs: string[] | null;
    error: string | null;
    /** Cost: characters sent to the provider vs served from the translation memory. */
    chars_sent: number;
    chars_reused: number;
  }>;
  /** `routable`: the tag passes the routing threshold (topics; always true for entities and keywords). */
  tags: Array<{ kind: string; code: string; label: string; score: number; routable: boolean; source: string }>;
  deliveries: DeliveryView[];
}

/** The latest version's word on publishing, checked against Postgres time (README "Story lifecycle"). */
export interface LifecycleView {
  /** usable; withheld (held until a later usable version); canceled (withdrawn for good). */
  pubstatus: PubStatus;
  reason: string | null;
  /** The version that set the current pubstatus, and when. */
  version: number | null;
  changed_at: string | null;
  /** null: none; 'unreadable': the partner's embargo could not be read, held until a later version. */
  embargo_until: string | null;
  embargoed: boolean;
  expires_at: string | null;
  expired: boolean;
}

export interface StoryView {
  id: string;
  external_id: string;
  partner: string;
  latest_version: number;
  /** processing | published | partially_published | failed | not_routed | withdrawn | withheld */
  status: string;
  lifecycle: LifecycleView;
  /** Stories with nearly the same text; other partners' stories show only the similarity. */
  near_duplicates: NearDuplicateView[];
  /** True once every delivery of the latest version is final (delivered, failed, skipped, in doubt). */
  settled: boolean;
  versions: VersionView[];
}

@Injectable()
export class StoryStatusService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Whether the partner has this story (a cheap check, for routes that must refuse before answering). */
  async exists(partnerId: string, storyId: string): Promise<boolean> {
    if (!isUuid(storyId)) return false;
    const rows: unknown[] = await this.db.query('SELECT 1 FROM story WHERE id = $1 AND partner_id = $2', [storyId, partnerId]);
    return rows.length > 0;
  }

  async get(partnerId: string, storyId: string): Promise<StoryView | null> {
    if (!isUuid(storyId)) return null;
    // One snapshot for every query below: read one by one, a delivery finishing between the
    // version query and the delivery query would show all deliveries final on a version whose
    // stage still reads 'publish' (the publisher closes both in one transaction).
    return this.db.transaction('REPEATABLE READ', (m) => this.read(m, partnerId, storyId));
  }

  private async read(m: EntityManager, partnerId: string, storyId: string): Promise<StoryView | null> {
    const stories: Array<{ id: string; external_id: string; latest_version: number; slug: string; pubstatus: PubStatus; pubstatus_reason: string | null;
      pubstatus_version: number | null; pubstatus_at: Date | null; embargo_until: Date | null; embargo_finite: boolean; embargoed: boolean;
      expires_at: Date | null; expired: boolean }> = await m.query(
      `SELECT s.id, s.external_id, s.latest_version, p.slug, s.pubstatus, s.pubstatus_reason, s.pubstatus_version, s.pubstatus_at,
              CASE WHEN isfinite(s.embargo_until) THEN s.embargo_until END AS embargo_until, isfinite(s.embargo_until) AS embargo_finite,
              COALESCE(s.embargo_until > now(), false) AS embargoed, s.expires_at, COALESCE(s.expires_at <= now(), false) AS expired
         FROM story s JOIN partner p ON p.id = s.partner_id
        WHERE s.id = $1 AND s.partner_id = $2`,
      [storyId, partnerId],
    );
    const s = stories[0];
    if (!s) return null;
    const versions: Array<Record<string, unknown>> = await m.query(
      `SELECT id, version, received_at, format, headline, dateline, to_char(story_date, 'YYYY-MM-DD') AS story_date,
              language, paragraphs, removed_spans, stage, translate_status, tag_status, routed_at, canonical, warnings
         FROM story_version WHERE story_id = $1 ORDER BY version DESC`,
      [storyId],
    );
    const ids = versions.map((v) => v['id'] as string);
    // One after another: the snapshot's connection runs one query at a time anyway.
    const events = await (m.query(
      'SELECT story_version_id, stage, status, created_at, detail FROM stage_event WHERE story_version_id = ANY($1) ORDER BY id',
      [ids],
    ) as Promise<Array<{ story_version_id: string; stage: string; status: string; created_at: Date; detail: Record<string, unknown> }>>);
    const translations = await (m.query(
      `SELECT story_version_id, language, status, provider, machine, headline, paragraphs, error, chars_sent, chars_reused
         FROM translation WHERE story_version_id = ANY($1) ORDER BY language`,
      [ids],
    ) as Promise<Array<{ story_version_id: string } & VersionView['translations'][number]>>);
    const tags = await (m.query(
      `SELECT story_version_id, kind, code, label, score, routable, source FROM tag WHERE story_version_id = ANY($1)
        ORDER BY kind, score DESC, label`,
      [ids],
    ) as Promise<Array<{ story_version_id: string; kind: string; code: string; label: string; score: number; routable: boolean; source: string }>>);
    const deliveries = await (m.query(
      `SELECT d.id, d.story_version_id, c.slug AS channel, c.kind AS channel_kind, d.language, d.status, d.kind, d.attempts,
              d.last_error, d.external_id, d.delivered_at
         FROM delivery d JOIN channel c ON c.id = d.channel_id
        WHERE d.story_version_id = ANY($1) ORDER BY c.slug, d.language`,
      [ids],
    ) as Promise<Array<DeliveryView & { story_version_id: string; delivered_at: Date | null }>>);
    const views: VersionView[] = versions.map((v) => {
      const id = v['id'] as string;
      const ds = deliveries.filter((d) => d.story_version_id === id);
      const routed = v['routed_at'] !== null;
      const publish = !routed ? 'pending' : ds.every((d) => FINAL_DELIVERY_STATUSES.includes(d.status)) ? 'done' : 'running';
      return {
        id,
        version: v['version'] as number,
        received_at: (v['received_at'] as Date).toISOString(),
        format: v['format'] as string,
        headline: v['headline'] as string,
        dateline: v['dateline'] as string | null,
        story_date: v['story_date'] as string | null,
        language: v['language'] as string,
        paragraphs: v['paragraphs'] as string[],
        removed: v['removed_spans'] as Array<{ reason: string; text: string }>,
        canonical: v['canonical'] as CanonicalStory,
        warnings: v['warnings'] as string[],
        stage: v['stage'] as string,
        stages: {
          intake: 'done',
          translate: v['translate_status'] as string,
          tag: v['tag_status'] as string,
          route: routed ? 'done' : 'pending',
          publish,
        },
        timeline: events
          .filter((e) => e.story_version_id === id)
          .map((e) => ({ stage: e.stage, status: e.status, at: e.created_at.toISOString(), detail: e.detail })),
        translations: translations
          .filter((t) => t.story_version_id === id)
          .map(({ story_version_id: _v, ...t }) => t),
        tags: tags.filter((t) => t.story_version_id === id).map(({ story_version_id: _v, ...t }) => t),
        deliveries: ds.map(({ story_version_id: _v, delivered_at, ...d }) => ({
          ...d,
          delivered_at: delivered_at ? delivered_at.toISOString() : null,
        })),
      };
    });
    const latest = views[0];
    const settled = latest !== undefined && latest.stages['publish'] === 'done';
    const delivered = latest?.deliveries.filter((d) => d.status === 'delivered').length ?? 0;
    const total = latest?.deliveries.filter((d) => d.status !== 'skipped').length ?? 0;
    const status = s.pubstatus === 'canceled' ? 'withdrawn' : s.pubstatus === 'withheld' ? 'withheld'
      : !settled ? 'processing' : delivered === total && total > 0 ? 'published' : delivered > 0 ? 'partially_published' : total === 0 ? 'not_routed' : 'failed';
    const lifecycle: LifecycleView = {
      pubstatus: s.pubstatus,
      reason: s.pubstatus_reason,
      version: s.pubstatus_version,
      changed_at: s.pubstatus_at?.toISOString() ?? null,
      embargo_until: s.embargo_until ? s.embargo_until.toISOString() : s.embargoed && !s.embargo_finite ? 'unreadable' : null,
      embargoed: s.embargoed,
      expires_at: s.expires_at?.toISOString() ?? null,
      expired: s.expired,
    };
    const near_duplicates = await nearDuplicatesOf(m, s.id, partnerId);
    return { id: s.id, external_id: s.external_id, partner: s.slug, latest_version: s.latest_version, status, settled, lifecycle, near_duplicates, versions: views };
  }
}
