/**
 * translate job -> one `translation` row per target language, then the stage is settled.
 * Targets come from the routes that match the story (partner, source language). Each language is
 * committed as soon as it is translated, so a retry only redoes the languages still missing.
 * A pair no provider supports is recorded as 'unsupported' (a final outcome, not a failure).
 *
 * Per language: the provider chain for the pair (paused providers left out) is tried in order;
 * segments are protected (glossary, URLs, handles, tags), looked up in the translation memory,
 * and only the rest is sent; output that is empty, untranslated, lost its placeholders or is
 * mostly unknown words falls through to the next provider. Cost (chars sent vs reused) is
 * recorded on the translation row.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { isLanguageCode, isSettled, type JobOf, type LanguageCode, type StageStatus } from '@syndication/contracts';
import { PipelineEvents } from '@syndication/events';
import {
  TranslationProviderError,
  TranslationRegistry,
  TranslationUnsupportedError,
  glossaryMatcher,
  outputProblem,
  protectSegment,
  restoreSegment,
  stripEngineMarkup,
  type ProtectedSegment,
  type TranslationProvider,
} from '@syndication/language';
import { TranslationMemory } from './translation-memory';
import { RetryLaterError, type StageHandler } from '@syndication/queue';
import { emitSettled, loadRules, settleStage, translationTargets } from '@syndication/routing';

interface Attempt {
  provider: string;
  outcome: string;
}

interface Cost {
  segmentsSent: number;
  segmentsReused: number;
  charsSent: number;
  charsReused: number;
}

interface RecordFields {
  provider?: string;
  headline?: string | undefined;
  paragraphs?: string[];
  unknown?: number | undefined;
  error?: string;
  cost?: Cost;
  attempts?: Attempt[];
}

interface ProviderResult {
  /** Cleaned engine output per segment, placeholders still in (for the quality checks). */
  texts: string[];
  /** Final text per segment: placeholders restored. */
  restored: string[];
  /** New translation memory entries. */
  fresh: Array<{ source: string; target: string; unknownWordRatio: number | null }>;
  lost: number;
  unknownWordRatio: number | undefined;
  cost: Cost;
}

interface VersionRow {
  story_id: string;
  partner_id: string;
  language: string;
  headline: string;
  paragraphs: string[];
  translate_status: StageStatus;
}

@Injectable()
export class TranslateProcessor implements StageHandler<'translate'> {
  readonly name = 'translate' as const;
  readonly concurrency: number;
  private readonly logger = new Logger(TranslateProcessor.name);
  private readonly memory: TranslationMemory;
  private readonly quotaPauseMs: number;
  private readonly maxUnknownRatio: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: TranslationRegistry,
    private readonly events: PipelineEvents,
  ) {
    this.concurrency = config.workers.concurrency.translate;
    this.memory = new TranslationMemory(db);
    this.quotaPauseMs = config.translation.quotaPauseMs;
    this.maxUnknownRatio = config.translation.maxUnknownRatio;
  }

  async process(job: Job<JobOf<'translate'>>): Promise<void> {
    const { versionId } = job.data;
    const rows: VersionRow[] = await this.db.query(
      `SELECT v.story_id, s.partner_id, v.language, v.headline, v.paragraphs, v.translate_status
         FROM story_version v JOIN story s ON s.id = v.story_id WHERE v.id = $1`,
      [versionId],
    );
    const v = rows[0];
    if (!v) throw new UnrecoverableError(`story version ${versionId} does not exist`);
    if (isSettled(v.translate_status)) return;

    const started = Date.now();
    // Tags do not exist yet (tagging runs alongside): targets come from partner and language only;
    // the tag criteria of the routes are applied when the version is routed (settleStage).
    const targets = translationTargets(await loadRules(this.db.manager), { partnerId: v.partner_id, language: v.language });
    const existing: Array<{ language: string }> = await this.db.query(
      'SELECT language FROM translation WHERE story_version_id = $1',
      [versionId],
    );
    const have = new Set(existing.map((e) => e.language));
    const outcomes: Record<string, string> = {};
    for (const target of targets) {
      if (have.has(target)) {
        outcomes[target] = 'done-earlier';
        continue;
      }
      outcomes[target] = await this.translateOne(versionId, v, target);
    }
    const result = await this.db.transaction((m) =>
      settleStage(m, versionId, 'translate', targets.length ? 'done' : 'skipped', {
        targets: outcomes,
        ms: Date.now() - started,
      }),
    );
    emitSettled(this.events, versionId, 'translate', targets.length ? 'done' : 'skipped', result);
  }

  private async translateOne(versionId: string, v: VersionRow, target: string): Promise<string> {
    const record = (status: 'done' | 'unsupported' | 'failed', fields: RecordFields) =>
      this.db.query(
        `INSERT INTO translation (story_version_id, language, status, provider, headline, paragraphs, unknown_word_ratio, error,
                                  machine, segments_sent, segments_reused, chars_sent, chars_reused, attempts)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, $10, $11, $12, $13) ON CONFLICT (story_version_id, language) DO NOTHING`,
        [
          versionId,
          target,
          status,
          fields.provider ?? null,
          fields.headline ?? null,
          fields.paragraphs === undefined ? null : JSON.stringify(fields.paragraphs),
          fields.unknown ?? null,
          fields.error ?? null,
          fields.cost?.segmentsSent ?? 0,
          fields.cost?.segmentsReused ?? 0,
          fields.cost?.charsSent ?? 0,
          fields.cost?.charsReused ?? 0,
          JSON.stringify(fields.attempts ?? []),
        ],
      );
    if (!isLanguageCode(v.language) || !isLanguageCode(target)) {
      await record('unsupported', { error: `language ${isLanguageCode(v.language) ? target : v.language} is not supported` });
      return 'unsupported';
    }
    const source = v.language;
    let chain: TranslationProvider[];
    try {
      chain = await this.registry.chain(source, target, await this.memory.pausedProviders());
    } catch (err) {
      if (err instanceof TranslationUnsupportedError) {
        await record('unsupported', { error: err.message });
        return 'unsupported';
      }
      throw this.forQueue(err);
    }

    const glossary = glossaryMatcher(await this.memory.glossary(v.partner_id, source, target));
    const segments = [v.headline, ...v.paragraphs].map((text) => protectSegment(text, glossary));
    const attempts: Attempt[] = [];
    let retryLater: unknown;
    for (const [i, provider] of chain.entries()) {
      const last = i === chain.length - 1;
      let result: ProviderResult;
      try {
        result = await this.viaProvider(provider, source, target, segments);
      } catch (err) {
        attempts.push({ provider: provider.name, outcome: err instanceof Error ? err.message : String(err) });
        if (err instanceof TranslationUnsupportedError) continue;
        if (err instanceof TranslationProviderError) {
          if (err.quotaExceeded) await this.memory.pause(provider.name, this.quotaPauseMs, err.message);
          if (err.retryable) retryLater ??= err;
          continue;
        }
        throw err;
      }
      const problem =
        outputProblem(
          segments.map((s) => s.text),
          result.texts,
        ) ?? (result.lost > 0 ? 'lost-placeholders' : undefined) ?? (!last && (result.unknownWordRatio ?? 0) > this.maxUnknownRatio ? 'too-many-unknown-words' : undefined);
      if (problem && (problem !== 'lost-placeholders' || !last)) {
        // Unusable output is never published; the next provider of the chain gets its chance.
        attempts.push({ provider: provider.name, outcome: problem });
        if (problem === 'empty') retryLater ??= new TranslationProviderError(provider.name, 'empty output', { retryable: true });
        continue;
      }
      await this.memory.store(source, target, provider.name, result.fresh);
      attempts.push({ provider: provider.name, outcome: problem ?? 'done' });
      const [headline, ...paragraphs] = result.restored;
      await record('done', { provider: provider.name, headline, paragraphs, unknown: result.unknownWordRatio, cost: result.cost, attempts });
      return 'done';
    }
    if (retryLater !== undefined) throw this.forQueue(retryLater);
    const summary = attempts.map((a) => `${a.provider}: ${a.outcome}`).join('; ');
    if (attempts.every((a) => /No translation available/u.test(a.outcome))) {
      await record('unsupported', { error: summary, attempts });
      return 'unsupported';
    }
    await record('failed', { error: summary || 'no provider', attempts });
    return 'failed';
  }

  /**
   * One provider's translation of the whole story: segments found in its translation memory are
   * reused, the rest (each distinct text once) go to the engine in one call it batches itself.
   */
  private async viaProvider(provider: TranslationProvider, source: LanguageCode, target: LanguageCode, segments: ProtectedSegment[]): Promise<ProviderResult> {
    const distinct = [...new Set(segments.map((s) => s.text).filter((t) => t.trim()))];
    const hits = await this.memory.lookup(source, target, provider.name, distinct);
    const toSend = distinct.filter((t) => !hits.has(t));
    const fresh: ProviderResult['fresh'] = [];
    let unknownWordRatio: number | undefined;
    if (toSend.length) {
      const res = await provider.translate({ source, target, segments: toSend });
      if (res.segments.length !== toSend.length) {
        throw new TranslationProviderError(provider.name, 'answer does not match the request segments', { retryable: true });
      }
      unknownWordRatio = res.unknownWordRatio;
      toSend.forEach((text, k) =>
        fresh.push({ source: text, target: stripEngineMarkup(res.segments[k] ?? ''), unknownWordRatio: res.unknownWordRatio ?? null }),
      );
    }
    const translated = new Map<string, { target: string; unknownWordRatio: number | null }>([
      ...hits,
      ...fresh.map((f) => [f.source, { target: f.target, unknownWordRatio: f.unknownWordRatio }] as const),
    ]);
    let lost = 0;
    let weighted = 0;
    let weight = 0;
    const texts: string[] = [];
    const restored = segments.map((seg) => {
      const t = translated.get(seg.text);
      texts.push(t?.target ?? '');
      if (t?.unknownWordRatio != null) {
        weighted += t.unknownWordRatio * seg.text.length;
        weight += seg.text.length;
      }
      const back = restoreSegment(t?.target ?? '', seg);
      lost += back.lost;
      return back.text;
    });
    const sentChars = toSend.reduce((n, t) => n + t.length, 0);
    const reused = distinct.filter((t) => hits.has(t));
    return {
      texts,
      restored,
      fresh,
      lost,
      unknownWordRatio: weight > 0 ? weighted / weight : unknownWordRatio,
      cost: {
        segmentsSent: toSend.length,
        segmentsReused: reused.length,
        charsSent: sentChars,
        charsReused: reused.reduce((n, t) => n + t.length, 0),
      },
    };
  }

  /** A rate limit waits without spending an attempt; anything else retries with backoff. */
  private forQueue(err: unknown): unknown {
    if (err instanceof TranslationProviderError && err.retryAfterMs) return new RetryLaterError(err.retryAfterMs, err.message);
    return err;
  }

  /** Out of attempts: the story still publishes in the languages it has; the rest are skipped. */
  async onFinalFailure(job: Job<JobOf<'translate'>>, error: Error): Promise<void> {
    const { versionId } = job.data;
    this.logger.error(`translation of ${versionId} failed for good: ${error.message}`);
    const result = await this.db.transaction((m) => settleStage(m, versionId, 'translate', 'failed', { error: error.message }));
    emitSettled(this.events, versionId, 'translate', 'failed', result);
  }
}
