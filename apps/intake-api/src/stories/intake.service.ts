/**
 * Accepting a story: parse by Content-Type, clean, detect the language, then commit the story
 * version, its first timeline event and its outbox rows in one transaction. Nothing touches
 * Redis on the request path: the outbox relay moves the work onto BullMQ after commit, so a
 * Redis outage never turns into a refused story.
 *
 * Multi-item documents are all-or-nothing unless the caller asks for lenient handling
 * (`Prefer: handling=lenient`, and always for polled feeds): then each item is stored under its
 * own savepoint, bad items are reported with their problem, and the good ones commit.
 * Parsing and preparing a document is held to a time budget (INTAKE_PARSE_BUDGET_MS).
 */
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type CanonicalStory,
  FormatError,
  type InputFormat,
  assertSafeText,
  decodeBody,
  describeUnsafe,
  findUnsafeChar,
  parseDocument,
  replaceUnsafeText,
} from '@syndication/formats';
import { cleanupParagraphs, detectLanguage, parseDateline, type PartnerCleanupRule } from '@syndication/language';
import { recordStageEvent, storeIntakeDocument, writeOutbox } from '@syndication/database';
import { isLanguageCode } from '@syndication/contracts';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { ProblemError } from '../http/problem';
import type { AuthenticatedPartner } from '../auth/partner-auth.guard';
import { applyItemLifecycle, isWithdrawal, linkStoredNearDuplicates, loadCleanupRules } from './version-effects';
import { ParseBudget, type RejectedItem, itemProblem, noItemAccepted, yieldToLoop } from './intake-items';

export interface IntakeItemResult {
  /** Position among the document's items. */
  index?: number;
  created: boolean;
  storyId: string;
  versionId: string;
  version: number;
  externalId: string;
  /** What the intake noted about the item (stored with the version); absent when nothing. */
  warnings?: string[];
}

export interface IntakeResult extends IntakeItemResult {
  format: InputFormat;
  /** One entry per story in the document (news message items, feed entries, collection members). */
  items: IntakeItemResult[];
  /** The stored result of an earlier request with the same Idempotency-Key and body. */
  replayed?: boolean;
  /** Lenient handling only: the items refused, with their problem; nothing of them was written. */
  rejected?: RejectedItem[];
}

export interface IntakeRequest {
  contentType?: string;
  body: Buffer;
  storyId?: string;
  storyVersion?: string;
  idempotencyKey?: string;
  /** Per-item acceptance for multi-item documents (RFC 7240 `Prefer: handling=lenient`). */
  lenient?: boolean;
  /**
   * Identify every item by its canonical content, never by the document's bytes. Polled feeds
   * need it: a one-item feed's bytes change with every lastBuildDate while the item does not.
   */
  contentIdentity?: boolean;
  /**
   * `Content-Language` of the request: the partner's own statement of the source language, used
   * for items that do not state one themselves (plain text has no field for it). Beats detection.
   */
  contentLanguage?: string;
}

/** The primary subtag of a `Content-Language` header, if it names a language we handle. */
function headerLanguage(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const primary = raw.split(',')[0]!.trim().split('-')[0]!.toLowerCase();
  if (!isLanguageCode(primary)) {
    throw new FormatError(422, 'unsupported_language', '/headers/content-language', `Content-Language must name one of the supported languages (got ${raw.slice(0, 32)})`);
  }
  return primary;
}

/** How long an Idempotency-Key is honoured (at least as long as partners' retry windows). */
export const IDEMPOTENCY_TTL = '7 days';

function checkIdempotencyKey(key: string): string {
  // Visible ASCII only: keys are compared byte for byte and echoed in logs, never interpreted.
  if (key.length < 1 || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    throw new FormatError(400, 'invalid_idempotency_key', '/headers/idempotency-key', 'Idempotency-Key must be 1-255 visible ASCII characters');
  }
  return key;
}

function parseBody(contentType: string | undefined, body: Buffer, ninjsVersion?: string, lenient?: boolean, dialects?: boolean) {
  if (body.length === 0) throw new ProblemError(400, 'empty_body', 'Bad request', 'The request body is empty');
  // The charset parameter, a BOM or the XML declaration decide; unknown or unsafe ones are refused there.
  const text = decodeBody(contentType, body);
  const doc = parseDocument(contentType, text, { ninjsVersion, lenient, dialects });
  // After the parser, whose own refusals are more specific (a NUL in XML: UTF-16 sent as UTF-8).
  // Strict: a character Postgres cannot store anywhere in the document refuses it. Lenient: each
  // item is checked on its own (prepareDocument), so only the items carrying one are dropped.
  const unsafe = lenient ? undefined : findUnsafeChar(text);
  if (unsafe) throw new FormatError(422, 'invalid_characters', '/body', `The body ${describeUnsafe(unsafe)}`);
  return { ...doc, text };
}

/**
 * Of two items of one document carrying the same story, the one to keep: the later by its
 * updated (else published) time, else the higher stated version, else the later in the document.
 */
function laterRepeat(a: PreparedItem, b: PreparedItem): { keep: PreparedItem; drop: PreparedItem; why: string } {
  const time = (it: PreparedItem) => Date.parse(it.story.versionCreated ?? it.story.firstCreated ?? '');
  const [ta, tb] = [time(a), time(b)];
  if (Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb) return ta > tb ? { keep: a, drop: b, why: 'later updated/published time' } : { keep: b, drop: a, why: 'later updated/published time' };
  if (a.explicitVersion && b.explicitVersion && a.version !== b.version) return a.version > b.version ? { keep: a, drop: b, why: 'higher version' } : { keep: b, drop: a, why: 'higher version' };
  return a.index > b.index ? { keep: a, drop: b, why: 'later in the document' } : { keep: b, drop: a, why: 'later in the document' };
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

export interface PreparedItem {
  /** Position among the document's items. */
  index: number;
  story: CanonicalStory;
  externalId: string;
  version: number;
  /** The document (or X-Story-Version) stated the version; otherwise a changed body is the next version. */
  explicitVersion: boolean;
  /** false for items without text (a picture without caption, a package, an event): stored, not enriched. */
  enrich: boolean;
  paragraphs: string[];
  dateline?: string;
  language: string;
  languageConfidence: number;
  languageSource: 'declared' | 'detected' | 'none';
  /** The story's warnings (parser, clean-up, metadata only) plus the document's notes about this item. */
  warnings: string[];
  removed: unknown[];
  removedReasons: string[];
  sha: Buffer;
}

@Injectable()
export class IntakeService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async accept(partner: AuthenticatedPartner, req: IntakeRequest): Promise<IntakeResult> {
    const idem = req.idempotencyKey === undefined
      ? undefined
      : { key: checkIdempotencyKey(req.idempotencyKey), sha: createHash('sha256').update(req.body).digest() };
    // A retry of a finished request is answered before any parsing; the locked re-check below
    // covers retries that race the original.
    if (idem) {
      const prior = await this.replay(this.db.manager, partner.id, idem);
      if (prior) return prior;
    }
    const doc = await this.prepareDocument(partner, req);
    const items = doc.items;
    if (items.length === 0) throw noItemAccepted(doc.rejected);
    const seen = new Set(items.map((it) => it.externalId));
    // The stored raw payload is the document as decoded for parsing: a declared legacy charset is
    // converted, so the copy reads like the original instead of carrying replacement characters.
    // Lenient handling may keep a document whose dropped items held a NUL: the copy shows U+FFFD.
    const raw = replaceUnsafeText(doc.text);
    // A single story keeps its own copy; the items of a multi-item document share one stored
    // document, written with the first version that needs it.
    const multi = doc.items.length + doc.rejected.length > 1;
    return this.db.transaction(async (m): Promise<IntakeResult> => {
      if (idem) {
        // Taken before the story locks, so requests sharing a key queue here and find the result.
        await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`idempotency/${partner.id}/${idem.key}`]);
        const prior = await this.replay(m, partner.id, idem);
        if (prior) return prior;
      }
      // Locks in a stable order, so two documents sharing stories cannot deadlock each other.
      for (const key of [...seen].sort()) {
        await m.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${partner.id}/${key}`]);
      }
      const results: IntakeItemResult[] = [];
      const rejected = [...doc.rejected];
      const stored: Array<{ it: PreparedItem; r: IntakeItemResult }> = [];
      let documentId: string | undefined;
      const source = async (): Promise<{ raw: string | null; documentId: string | null }> => {
        if (!multi) return { raw, documentId: null };
        documentId ??= await storeIntakeDocument(m, { partnerId: partner.id, contentType: req.contentType ?? '', payload: raw, items: doc.items.length + doc.rejected.length });
        return { raw: null, documentId };
      };
      const storeOne = async (it: PreparedItem): Promise<IntakeItemResult> => {
        const r = await this.store(m, partner, it, req.contentType ?? '', source);
        await applyItemLifecycle(m, it, r);
        stored.push({ it, r });
        return r;
      };
      for (const it of items) {
        if (!req.lenient) {
          results.push(await storeOne(it));
          continue;
        }
        // A savepoint per item: a refused item (a version conflict, a stale version, a version of
        // a withdrawn story) leaves no trace.
        await m.query('SAVEPOINT intake_item');
        const documentBefore = documentId;
        try {
          results.push({ index: it.index, ...(await storeOne(it)) });
          await m.query('RELEASE SAVEPOINT intake_item');
        } catch (err) {
          if (!(err instanceof ProblemError || err instanceof FormatError)) throw err;
          await m.query('ROLLBACK TO SAVEPOINT intake_item');
          // A document row written under this item's savepoint is gone with it.
          documentId = documentBefore;
          rejected.push(itemProblem(it.index, err, it.externalId));
        }
      }
      if (results.length === 0) throw noItemAccepted(rejected);
      await linkStoredNearDuplicates(m, partner.id, stored);
      const first = results[0]!;
      const result: IntakeResult = { ...first, created: results.some((r) => r.created), format: doc.format, items: results };
      if (req.lenient) result.rejected = rejected.sort((a, b) => a.index - b.index);
      if (idem) {
        await m.query(`DELETE FROM idempotency_key WHERE partner_id = $1 AND created_at < now() - $2::interval`, [partner.id, IDEMPOTENCY_TTL]);
        await m.query(
          `INSERT INTO idempotency_key (partner_id, key, request_sha256, result) VALUES ($1, $2, $3, $4)
           ON CONFLICT (partner_id, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256, result = EXCLUDED.result, created_at = now()`,
          [partner.id, idem.key, idem.sha, JSON.stringify(result)],
        );
      }
      return result;
    });
  }

  /** The stored result for a live key and the same body; a live key with another body is a 409. */
  private async replay(m: EntityManager, partnerId: string, idem: { key: string; sha: Buffer }): Promise<IntakeResult | undefined> {
    const rows: Array<{ request_sha256: Buffer; result: IntakeResult }> = await m.query(
      `SELECT request_sha256, result FROM idempotency_key
        WHERE partner_id = $1 AND key = $2 AND created_at > now() - $3::interval`,
      [partnerId, idem.key, IDEMPOTENCY_TTL],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!row.request_sha256.equals(idem.sha)) {
      throw new ProblemError(409, 'idempotency_key_reused', 'Conflict', 'This Idempotency-Key was already used with a different request body');
    }
    return { ...row.result, replayed: true };
  }

  /**
   * Parse, clean and detect without writing anything: what `accept` stores, and what the route
   * preview matches, so the two can never disagree about a document.
   */
  async prepareDocument(
    partner: AuthenticatedPartner,
    req: Pick<IntakeRequest, 'contentType' | 'body' | 'storyId' | 'storyVersion' | 'lenient' | 'contentIdentity' | 'contentLanguage'>,
  ): Promise<{ format: InputFormat; items: PreparedItem[]; rejected: RejectedItem[]; text: string }> {
    const configured: Array<{ ninjs_version: string | null; format_mode: string }> = await this.db.query('SELECT ninjs_version, format_mode FROM partner WHERE id = $1', [partner.id]);
    const budget = new ParseBudget(this.config.intake.parseBudgetMs);
    const doc = budget.run(() => parseBody(req.contentType, req.body, configured[0]?.ninjs_version ?? undefined, req.lenient, configured[0]?.format_mode !== 'strict'));
    const rejected: RejectedItem[] = (doc.rejected ?? []).map((r) => itemProblem(r.index, r.error));
    const single = doc.stories.length === 1 && rejected.length === 0;
    const rawBody = single && !req.contentIdentity ? req.body : undefined;
    const rules = await loadCleanupRules(this.db, partner.id);
    const stated = headerLanguage(req.contentLanguage);
    const items: PreparedItem[] = [];
    // Real feeds repeat an item (the same guid twice, identical or an updated copy): one story is
    // kept, with a warning naming both pointers, and the rest of the document is unaffected.
    const slot = new Map<string, number>();
    for (const [i, story] of doc.stories.entries()) {
      const index = doc.positions?.[i] ?? i;
      if (i > 0) await yieldToLoop();
      let it: PreparedItem;
      try {
        // Before anything else reads the item: a character Postgres cannot store refuses it here
        // (the document in strict handling, this item alone in lenient handling).
        assertSafeText(story, doc.stories.length > 1 ? `/items/${index}` : '');
        it = budget.run(() => this.prepare(stated && !story.language ? { ...story, language: stated } : story, single ? req : {}, rawBody, index, rules));
      } catch (err) {
        if (!req.lenient || !(err instanceof FormatError)) throw err;
        rejected.push(itemProblem(index, err, story.externalId));
        continue;
      }
      const at = slot.get(it.externalId);
      if (at === undefined) {
        slot.set(it.externalId, items.length);
        items.push(it);
        continue;
      }
      const prior = items[at]!;
      const id = it.externalId.slice(0, 64);
      if (prior.sha.equals(it.sha)) {
        prior.warnings.push(`/items/${it.index} repeats /items/${prior.index} (story ${id}) identically; collapsed into one`);
        continue;
      }
      const { keep, drop, why } = laterRepeat(prior, it);
      keep.warnings = [
        // The notes about earlier repeats travel with the story kept; the dropped copy's own do not.
        ...prior.warnings.filter((w) => w.startsWith('/items/') && !keep.warnings.includes(w)),
        ...keep.warnings,
        `/items/${drop.index} and /items/${keep.index} carry story ${id} with different content; kept /items/${keep.index} (${why}), dropped /items/${drop.index}`,
      ];
      items[at] = keep;
    }
    return { format: doc.format, items, rejected, text: doc.text };
  }

  private prepare(
    story: CanonicalStory,
    req: { storyId?: string; storyVersion?: string },
    rawBody: Buffer | undefined,
    index: number,
    rules: PartnerCleanupRule[],
  ): PreparedItem {
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
    // A declared language stands, also one the platform does not translate (zh, nb, sv...):
    // detection knows only a few languages and would store `und`; the story is routed in its own
    // language and translation records each target `unsupported`.
    const declared = story.language;
    const hasText = paragraphs.length > 0;
    let language: string = declared ?? 'und';
    let confidence = declared ? 1 : 0;
    let languageSource: PreparedItem['languageSource'] = declared ? 'declared' : 'none';
    let removed: Array<{ reason: string }> = [];
    if (hasText) {
      if (!declared) {
        const detected = detectLanguage(`${story.headline}\n\n${paragraphs.join('\n\n')}`);
        language = detected.language;
        confidence = detected.confidence;
        languageSource = 'detected';
      }
      const cleaned = cleanupParagraphs(paragraphs, language, rules);
      if (cleaned.warnings) story = { ...story, warnings: [...(story.warnings ?? []), ...cleaned.warnings] };
      if (cleaned.paragraphs.length === 0) {
        throw new FormatError(422, 'empty_after_cleanup', index ? `/items/${index}/body` : '/body', 'Nothing but boilerplate is left after clean-up');
      }
      paragraphs = cleaned.paragraphs;
      removed = cleaned.removed;
    }
    const warnings = [...(story.warnings ?? [])];
    // Metadata only (a hop history, an itemMeta-only update): stored for the record, but with no
    // headline, no body and nothing attached there is nothing to translate, tag or route.
    if (!story.headline && !hasText && !story.associations?.length && !isWithdrawal({ story })) {
      warnings.push('no_content: the item has no headline, no body and no attachments; stored as metadata only, never routed');
    }
    const externalId = story.externalId ?? req.storyId ?? contentId({ ...story, paragraphs });
    if (externalId.length > 512) throw new FormatError(422, 'too_long', '/uri', 'max 512 characters');
    const stated = story.version ?? headerVersion(req.storyVersion);
    const version = stated ?? 1;
    // A single-story document is identified by its exact bytes (as before); an item of a
    // multi-story document by its canonical content, since the rest of the document may change.
    const sha = rawBody
      ? createHash('sha256').update(rawBody).digest()
      : createHash('sha256').update(JSON.stringify(story)).digest();
    return {
      index,
      story,
      externalId,
      version,
      explicitVersion: stated !== undefined,
      // A kill or hold is stored and acted on (version-effects.ts), never translated or published.
      enrich: hasText && !isWithdrawal({ story }),
      paragraphs,
      dateline,
      language,
      languageConfidence: confidence,
      languageSource,
      warnings,
      removed,
      removedReasons: removed.map((r) => r.reason),
      sha,
    };
  }

  private async store(
    m: EntityManager,
    partner: AuthenticatedPartner,
    it: PreparedItem,
    contentType: string,
    source: () => Promise<{ raw: string | null; documentId: string | null }>,
  ): Promise<IntakeItemResult> {
    const { story, externalId } = it;
    let version = it.version;
    const rawSha = it.sha;
    const existing: Array<{ id: string; latest_version: number }> = await m.query(
      'SELECT id, latest_version FROM story WHERE partner_id = $1 AND external_id = $2',
      [partner.id, externalId],
    );
    let storyId = existing[0]?.id;
    if (storyId && !it.explicitVersion) {
      // No version stated: a repeat of the latest content is a duplicate, anything else is the next version.
      const latest: Array<{ id: string; version: number; raw_sha256: Buffer }> = await m.query(
        'SELECT id, version, raw_sha256 FROM story_version WHERE story_id = $1 ORDER BY version DESC LIMIT 1',
        [storyId],
      );
      const l = latest[0];
      if (l?.raw_sha256.equals(rawSha)) return { created: false, storyId, versionId: l.id, version: l.version, externalId };
      version = (l?.version ?? 0) + 1;
    }
    if (storyId) {
      const same: Array<{ id: string; raw_sha256: Buffer }> = await m.query(
        'SELECT id, raw_sha256 FROM story_version WHERE story_id = $1 AND version = $2',
        [storyId, version],
      );
      const prior = same[0];
      if (prior) {
        if (!prior.raw_sha256.equals(rawSha)) {
          throw new ProblemError(409, 'version_conflict', 'Conflict', `Version ${version} of story ${externalId.slice(0, 64)} was already accepted with a different body; send a higher version to update it`);
        }
        return { created: false, storyId, versionId: prior.id, version, externalId };
      }
      if (version < (existing[0]?.latest_version ?? 0)) {
        throw new ProblemError(409, 'stale_version', 'Conflict', `Version ${version} of story ${externalId.slice(0, 64)} is older than the latest accepted version ${existing[0]?.latest_version}`);
      }
      await m.query('UPDATE story SET latest_version = $2, updated_at = now() WHERE id = $1', [storyId, version]);
    } else {
      const inserted: Array<{ id: string }> = await m.query(
        'INSERT INTO story (partner_id, external_id, latest_version) VALUES ($1, $2, $3) RETURNING id',
        [partner.id, externalId, version],
      );
      storyId = inserted[0]!.id;
    }
    // Items without text are kept (and visible) but skip translation and tagging: there is nothing
    // to enrich, and routing text-less items to text channels is a later decision.
    const { raw, documentId } = await source();
    const versionRows: Array<{ id: string }> = await m.query(
      `INSERT INTO story_version (story_id, version, format, content_type, raw_payload, raw_sha256, headline, dateline,
                                  story_date, paragraphs, language, language_confidence, removed_spans, stage, canonical,
                                  translate_status, tag_status, routed_at, warnings, document_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17, $18, $19) RETURNING id`,
      [
        storyId,
        version,
        story.format,
        contentType,
        raw,
        rawSha,
        story.headline,
        it.dateline ?? null,
        story.storyDate ?? null,
        JSON.stringify(it.paragraphs),
        it.language,
        it.languageConfidence,
        JSON.stringify(it.removed),
        it.enrich ? 'enriching' : 'stored',
        JSON.stringify(story),
        it.enrich ? 'pending' : 'skipped',
        it.enrich ? null : new Date(),
        JSON.stringify(it.warnings),
        documentId,
      ],
    );
    const versionId = versionRows[0]!.id;
    await recordStageEvent(m, versionId, 'intake', 'done', {
      format: story.format,
      language: it.language,
      languageSource: it.languageSource,
      removed: it.removedReasons,
      ...(it.enrich ? {} : { enrichment: 'skipped: the item has no text' }),
      ...(it.warnings.length ? { warnings: it.warnings } : {}),
    });
    if (it.enrich) {
      await writeOutbox(m, 'translate', { versionId });
      await writeOutbox(m, 'tag', { versionId });
    }
    return { created: true, storyId, versionId, version, externalId, ...(it.warnings.length ? { warnings: it.warnings } : {}) };
  }
}
