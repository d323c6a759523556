/**
 * translate job -> one `translation` row per target language, then the stage is settled.
 * Targets come from the routes that match the story (partner, source language). Each language is
 * committed as soon as it is translated, so a retry only redoes the languages still missing.
 * A pair no provider supports is recorded as 'unsupported' (a final outcome, not a failure).
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { isLanguageCode, isSettled, type JobOf, type StageStatus } from '@syndication/contracts';
import { PipelineEvents } from '@syndication/events';
import {
  TranslationProviderError,
  TranslationRegistry,
  TranslationUnsupportedError,
} from '@syndication/language';
import { RetryLaterError, type StageHandler } from '@syndication/queue';
import { emitSettled, loadRules, settleStage, translationTargets } from '@syndication/routing';

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

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: TranslationRegistry,
    private readonly events: PipelineEvents,
  ) {
    this.concurrency = config.workers.concurrency.translate;
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
    const record = (status: 'done' | 'unsupported' | 'failed', fields: Partial<Record<'provider' | 'headline' | 'paragraphs' | 'unknown' | 'error', unknown>>) =>
      this.db.query(
        `INSERT INTO translation (story_version_id, language, status, provider, headline, paragraphs, unknown_word_ratio, error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (story_version_id, language) DO NOTHING`,
        [
          versionId,
          target,
          status,
          fields.provider ?? null,
          fields.headline ?? null,
          fields.paragraphs === undefined ? null : JSON.stringify(fields.paragraphs),
          fields.unknown ?? null,
          fields.error ?? null,
        ],
      );
    if (!isLanguageCode(v.language) || !isLanguageCode(target)) {
      await record('unsupported', { error: `language ${isLanguageCode(v.language) ? target : v.language} is not supported` });
      return 'unsupported';
    }
    try {
      const provider = await this.registry.resolve(v.language, target);
      const res = await provider.translate({ source: v.language, target, segments: [v.headline, ...v.paragraphs] });
      const [headline, ...paragraphs] = res.segments;
      if (!headline || paragraphs.length !== v.paragraphs.length) {
        throw new TranslationProviderError(provider.name, 'answer does not match the request segments', { retryable: true });
      }
      await record('done', { provider: provider.name, headline, paragraphs, unknown: res.unknownWordRatio });
      return 'done';
    } catch (err) {
      if (err instanceof TranslationUnsupportedError) {
        await record('unsupported', { error: err.message });
        return 'unsupported';
      }
      if (err instanceof TranslationProviderError) {
        if (err.retryAfterMs) throw new RetryLaterError(err.retryAfterMs, err.message);
        if (!err.retryable) {
          await record('failed', { provider: err.provider, error: err.message });
          return 'failed';
        }
      }
      throw err;
    }
  }

  /** Out of attempts: the story still publishes in the languages it has; the rest are skipped. */
  async onFinalFailure(job: Job<JobOf<'translate'>>, error: Error): Promise<void> {
    const { versionId } = job.data;
    this.logger.error(`translation of ${versionId} failed for good: ${error.message}`);
    const result = await this.db.transaction((m) => settleStage(m, versionId, 'translate', 'failed', { error: error.message }));
    emitSettled(this.events, versionId, 'translate', 'failed', result);
  }
}
