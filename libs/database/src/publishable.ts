/**
 * Builds what channels receive (PublishableStory) from the ledger: one delivery row = one story
 * version in one language. Shared by the publisher worker (push channels) and the feed server
 * (feeds rendered on read), so both show exactly the same thing.
 */
import type { EntityManager } from 'typeorm';
import type { EntityType, LanguageCode, PublishableStory, TaggingResult } from '@syndication/contracts';

interface Row {
  delivery_id: string;
  story_id: string;
  version_id: string;
  version: number;
  partner: string;
  external_id: string;
  language: string;
  source_language: string;
  headline: string;
  paragraphs: string[];
  dateline: string | null;
  story_date: string | null;
  received_at: Date;
  expires_at: Date | null;
  t_headline: string | null;
  t_paragraphs: string[] | null;
  t_provider: string | null;
}

export async function loadPublishable(m: EntityManager, deliveryIds: string[]): Promise<PublishableStory[]> {
  if (deliveryIds.length === 0) return [];
  const rows: Row[] = await m.query(
    `SELECT d.id AS delivery_id, s.id AS story_id, v.id AS version_id, v.version, p.slug AS partner, s.external_id,
            d.language, v.language AS source_language, v.headline, v.paragraphs, v.dateline,
            to_char(v.story_date, 'YYYY-MM-DD') AS story_date, v.received_at, s.expires_at,
            t.headline AS t_headline, t.paragraphs AS t_paragraphs, t.provider AS t_provider
       FROM delivery d
       JOIN story_version v ON v.id = d.story_version_id
       JOIN story s ON s.id = v.story_id
       JOIN partner p ON p.id = s.partner_id
       LEFT JOIN translation t ON t.story_version_id = v.id AND t.language = d.language AND t.status = 'done'
      WHERE d.id = ANY($1)`,
    [deliveryIds],
  );
  const versionIds = [...new Set(rows.map((r) => r.version_id))];
  const tags: Array<{ story_version_id: string; kind: string; code: string; label: string; score: number; source: string; detail: Record<string, unknown> }> =
    await m.query(
      'SELECT story_version_id, kind, code, label, score, source, detail FROM tag WHERE story_version_id = ANY($1) ORDER BY score DESC, id',
      [versionIds],
    );
  const tagsByVersion = new Map<string, TaggingResult>();
  for (const t of tags) {
    let r = tagsByVersion.get(t.story_version_id);
    if (!r) tagsByVersion.set(t.story_version_id, (r = { entities: [], topics: [], keywords: [] }));
    if (t.kind === 'topic') {
      r.topics.push({ code: t.code, name: t.label, score: t.score, source: t.source, ancestors: (t.detail['ancestors'] as string[]) ?? [] });
    } else if (t.kind === 'keyword') {
      r.keywords.push(t.label);
    } else {
      r.entities.push({
        id: t.code,
        type: t.kind as EntityType,
        name: t.label,
        confidence: t.score,
        source: t.source,
        mentions: (t.detail['mentions'] as PublishableStory['tags']['entities'][number]['mentions']) ?? [],
      });
    }
  }
  const byId = new Map(rows.map((r) => [r.delivery_id, r]));
  return deliveryIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const translated = r.language !== r.source_language;
    if (translated && !r.t_headline) return []; // routed deliveries always have their translation; be safe anyway
    const story: PublishableStory = {
      storyId: r.story_id,
      versionId: r.version_id,
      version: r.version,
      deliveryId: r.delivery_id,
      partner: r.partner,
      uri: r.external_id,
      language: r.language as LanguageCode,
      sourceLanguage: r.source_language as LanguageCode | 'und',
      machineTranslated: translated,
      headline: translated ? (r.t_headline as string) : r.headline,
      paragraphs: translated ? (r.t_paragraphs ?? []) : r.paragraphs,
      receivedAt: r.received_at.toISOString(),
      tags: tagsByVersion.get(r.version_id) ?? { entities: [], topics: [], keywords: [] },
    };
    if (translated && r.t_provider) story.translationProvider = r.t_provider;
    if (r.dateline) story.dateline = r.dateline;
    if (r.story_date) story.storyDate = r.story_date;
    if (r.expires_at) story.expires = r.expires_at.toISOString();
    return [story];
  });
}
