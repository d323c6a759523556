/**
 * Accepting a story: parse by Content-Type, clean, detect the language, then commit the story
 * version, its first timeline event and its outbox rows in one transaction. Nothing touches
 * Redis on the request path: the outbox relay moves the work onto BullMQ after commit, so a
 * Redis outage never turns into a refused story.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { type CanonicalStory, FormatError, parseNinjs, parsePlainText } from '@syndication/formats';
import { cleanupParagraphs, detectLanguage, parseDateline } from '@syndication/language';
import { recordStageEvent, writeOutbox } from '@syndication/database';
import { isLanguageCode } from '@syndication/contracts';
import { ProblemError } from '../http/problem';
import type { AuthenticatedPartner } from '../auth/partner-auth.guard';

export interface IntakeResult {
  created: boolean;
  storyId: string;
  versionId: string;
  version: number;
}

const JSON_TYPES = new Set(['application/json', 'application/ninjs+json']);
const TEXT_TYPES = new Set(['text/plain']);

function decodeUtf8(body: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new ProblemError(400, 'invalid_encoding', 'Bad request', 'The body is not valid UTF-8');
  }
}

function parseBody(contentType: string | undefined, body: Buffer): CanonicalStory {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((s) => s.trim().toLowerCase());
  const charset = params.find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new ProblemError(415, 'unsupported_charset', 'Unsupported media type', 'Only UTF-8 bodies are accepted');
  }
  if (body.length === 0) throw new ProblemError(400, 'empty_body', 'Bad request', 'The request body is empty');
  if (TEXT_TYPES.has(mediaType)) return parsePlainText(decodeUtf8(body));
  if (JSON_TYPES.has(mediaType)) {
    let doc: unknown;
    try {
      doc = JSON.parse(decodeUtf8(body));
    } catch (e) {
      if (e instanceof ProblemError) throw e;
      throw new ProblemError(400, 'malformed_json', 'Bad request', (e as Error).message.slice(0, 200));
    }
    return parseNinjs(doc);
  }
  throw new ProblemError(
    415,
    'unsupported_media_type',
    'Unsupported media type',
    'Send text/plain (plain-text story) or application/json / application/ninjs+json (IPTC ninjs)',
  );
}

/** Plain text carries no id: the story's identity is its content, so an identical re-push is a repeat. */
function contentId(story: CanonicalStory): string {
  const h = createHash('sha256');
  h.update(story.headline).update('\n').update(story.storyDate ?? '').update('\n');
  for (const p of story.paragraphs) h.update(p).update('\n');
  return `sha256:${h.digest('hex').slice(0, 32)}`;
}

function headerVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
    throw new FormatError(422, 'invalid_version', '/headers/x-story-version', 'X-Story-Version must be a positive integer');
  }
  return n;
}

@Injectable()
export class IntakeService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async accept(
    partner: AuthenticatedPartner,
    req: { contentType?: string; body: Buffer; storyId?: string; storyVersion?: string },
  ): Promise<IntakeResult> {
    const story = parseBody(req.contentType, req.body);
    let paragraphs = story.paragraphs;
    let dateline = story.dateline;
    const first = paragraphs[0];
    if (!dateline && first) {
      const split = parseDateline(first);
      if (split) {
        dateline = split.dateline;
        paragraphs = [split.rest, ...paragraphs.slice(1)];
      }
    }
    const detected = detectLanguage(`${story.headline}\n\n${paragraphs.join('\n\n')}`);
    const declared = story.language && isLanguageCode(story.language) ? story.language : undefined;
    const language = declared ?? detected.language;
    const cleaned = cleanupParagraphs(paragraphs, language);
    if (cleaned.paragraphs.length === 0) {
      throw new FormatError(422, 'empty_after_cleanup', '/body', 'Nothing but boilerplate is left after clean-up');
    }
    const externalId = story.externalId ?? req.storyId ?? contentId({ ...story, paragraphs });
    if (externalId.length > 512) throw new FormatError(422, 'too_long', '/uri', 'max 512 characters');
    const version = story.version ?? headerVersion(req.storyVersion) ?? 1;
    const rawSha = createHash('sha256').update(req.body).digest();

    return this.db.transaction(async (m) => {
      // Serialise concurrent pushes of the same story so exactly one of them creates it.
      await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${partner.id}/${externalId}`]);
      const existing: Array<{ id: string; latest_version: number }> = await m.query(
        'SELECT id, latest_version FROM story WHERE partner_id = $1 AND external_id = $2',
        [partner.id, externalId],
      );
      let storyId = existing[0]?.id;
      if (storyId) {
        const same: Array<{ id: string; raw_sha256: Buffer }> = await m.query(
          'SELECT id, raw_sha256 FROM story_version WHERE story_id = $1 AND version = $2',
          [storyId, version],
        );
        const prior = same[0];
        if (prior) {
          if (!prior.raw_sha256.equals(rawSha)) {
            throw new ProblemError(409, 'version_conflict', 'Conflict', `Version ${version} of this story was already accepted with a different body; send a higher version to update it`);
          }
          return { created: false, storyId, versionId: prior.id, version };
        }
        if (version < (existing[0]?.latest_version ?? 0)) {
          throw new ProblemError(409, 'stale_version', 'Conflict', `Version ${version} is older than the latest accepted version ${existing[0]?.latest_version}`);
        }
        await m.query('UPDATE story SET latest_version = $2, updated_at = now() WHERE id = $1', [storyId, version]);
      } else {
        const inserted: Array<{ id: string }> = await m.query(
          'INSERT INTO story (partner_id, external_id, latest_version) VALUES ($1, $2, $3) RETURNING id',
          [partner.id, externalId, version],
        );
        storyId = inserted[0]!.id;
      }
      const versionRows: Array<{ id: string }> = await m.query(
        `INSERT INTO story_version (story_id, version, format, content_type, raw_payload, raw_sha256, headline, dateline,
                                    story_date, paragraphs, language, language_confidence, removed_spans, stage)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'enriching') RETURNING id`,
        [
          storyId,
          version,
          story.format,
          req.contentType ?? '',
          req.body.toString('utf8'),
          rawSha,
          story.headline,
          dateline ?? null,
          story.storyDate ?? null,
          JSON.stringify(cleaned.paragraphs),
          language,
          declared ? 1 : detected.confidence,
          JSON.stringify(cleaned.removed),
        ],
      );
      const versionId = versionRows[0]!.id;
      await recordStageEvent(m, versionId, 'intake', 'done', {
        format: story.format,
        language,
        languageSource: declared ? 'declared' : 'detected',
        removed: cleaned.removed.map((r) => r.reason),
      });
      await writeOutbox(m, 'translate', { versionId });
      await writeOutbox(m, 'tag', { versionId });
      return { created: true, storyId, versionId, version };
    });
  }
}
