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
 *
 * The chain for a target: a matching route's `translation_providers`, else the pair's
 * TRANSLATION_CHAIN_xx_yy, else TRANSLATION_PROVIDERS. A rate limit (an engine's 429 or our own
 * limiter) that asks for a wait up to the provider's `wait` (TRANSLATION_MAX_WAIT_SECONDS) is
 * waited out (the job is delayed without spending an attempt); a longer one falls through to the
 * next provider when there is one. Targets whose chain starts with a multi-target engine (Azure)
 * are asked in one call. As each language lands the version is routed again, so routes that do
 * not wait for every language ('source_first', or a wait that ran out) get it at once.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, type TranslationConfig, type TranslationProviderName } from '@syndication/config';
import { isLanguageCode, isSettled, type JobOf, type LanguageCode, type StageStatus } from '@syndication/contracts';
import { PipelineEvents } from '@syndication/events';
import {
  TranslationProviderError,
  TranslationRegistry,
  TranslationUnsupportedError,
  glossaryMatcher,
  isMultiTarget,
  outputProblem,
  protectSegment,
  type ProtectedSegment,
  type TranslationProvider,
} from '@syndication/language';
import { RetryLaterError, type StageHandler } from '@syndication/queue';
import { emitSettled, loadRules, routeTranslationChains, routeVersion, settleStage, translationTargets, type RoutingOptions } from '@syndication/routing';
import { TranslationMemory } from './translation-memory';
import { translateSegments, type Cost, type Prefetched, type ProviderResult } from './translate-segments';
import { translationCharacters } from '@syndication/observability';

interface Attempt {
  provider: string;
  outcome: string;
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

interface VersionRow {
  story_id: string;
  partner_id: string;
  language: string;
  headline: string;
  paragraphs: string[];
  translate_status: StageStatus;
}

/** One target language, ready to translate: its chain and its protected segments. */
interface Plan {
  source: LanguageCode;
  target: LanguageCode;
  chain: TranslationProvider[];
  segments: ProtectedSegment[];
  /** Providers whose quota pause has run out: a success sets their status back to active. */
  expired: ReadonlySet<string>;
}

/** What a multi-target call gave one target: the answers, or the error every target shares. */
interface Prefetch {
  provider: string;
  answers?: Prefetched;
  error?: unknown;
}

type Outcome = 'done' | 'unsupported' | 'failed';

@Injectable()
export class TranslateProcessor implements StageHandler<'translate'> {
  readonly name = 'translate' as const;
  readonly concurrency: number;
  private readonly logger = new Logger(TranslateProcessor.name);
  private readonly memory: TranslationMemory;
  private readonly translation: TranslationConfig;
  private readonly routing: RoutingOptions;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: TranslationRegistry,
    private readonly events: PipelineEvents,
  ) {
    this.concurrency = config.workers.concurrency.translate;
    this.memory = new TranslationMemory(db);
    this.translation = config.translation;
    this.routing = { defaultWaitSeconds: config.translation.waitSeconds };
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
    // the tag criteria of the routes are applied when the version is routed (routeVersion).
    const rules = await loadRules(this.db.manager);
    const facts = { partnerId: v.partner_id, language: v.language };
    const targets = translationTargets(rules, facts);
    const routeChains = routeTranslationChains(rules, facts);
    const existing: Array<{ language: string }> = await this.db.query(
      'SELECT language FROM translation WHERE story_version_id = $1',
      [versionId],
    );
    const have = new Set(existing.map((e) => e.language));
    const outcomes: Record<string, string> = {};
    const plans: Plan[] = [];
    for (const target of targets) {
      if (have.has(target)) outcomes[target] = 'done-earlier';
      else {
        const plan = await this.plan(versionId, v, target, routeChains[target]);
        if (typeof plan === 'string') outcomes[target] = plan;
        else plans.push(plan);
      }
    }
    const prefetched = await this.prefetch(plans);
    for (const [i, plan] of plans.entries()) {
      outcomes[plan.target] = await this.translateOne(versionId, v, plan, prefetched.get(plan.target));
      // Routes that do not wait for every language get this one now; the last one is routed by the settle.
      if (i < plans.length - 1) {
        const routed = await this.db.transaction((m) => routeVersion(m, versionId, this.routing));
        if (routed.routed) this.events.emit({ storyId: routed.storyId, versionId, stage: 'route', status: 'done', detail: { deliveries: routed.deliveries, skipped: routed.skipped } });
      }
    }
    const result = await this.db.transaction((m) =>
      settleStage(m, versionId, 'translate', targets.length ? 'done' : 'skipped', { targets: outcomes, ms: Date.now() - started }, this.routing),
    );
    emitSettled(this.events, versionId, 'translate', targets.length ? 'done' : 'skipped', result);
  }

  private record(versionId: string, target: string, status: Outcome, fields: RecordFields): Promise<unknown> {
    if (fields.provider && fields.cost) {
      translationCharacters.inc({ provider: fields.provider, kind: 'sent' }, fields.cost.charsSent);
      translationCharacters.inc({ provider: fields.provider, kind: 'reused' }, fields.cost.charsReused);
    }
    return this.db.query(
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
  }

  /** The chain (route's, else the pair's, else the configured order) and the protected segments; or 'unsupported', recorded. */
  private async plan(versionId: string, v: VersionRow, target: string, routeChain: string[] | undefined): Promise<Plan | 'unsupported'> {
    if (!isLanguageCode(v.language) || !isLanguageCode(target)) {
      await this.record(versionId, target, 'unsupported', { error: `language ${isLanguageCode(v.language) ? target : v.language} is not supported` });
      return 'unsupported';
    }
    const source = v.language;
    const order: readonly string[] | undefined = routeChain ?? this.translation.pairChains[`${source}-${target}`];
    let chain: TranslationProvider[];
    let expired = new Set<string>();
    try {
      const pauses = await this.memory.providerPauses();
      expired = pauses.expired;
      chain = await this.registry.chain(source, target, pauses.paused, order);
    } catch (err) {
      if (err instanceof TranslationUnsupportedError) {
        await this.record(versionId, target, 'unsupported', { error: err.message });
        return 'unsupported';
      }
      throw this.forQueue(err);
    }
    const glossary = glossaryMatcher(await this.memory.glossary(v.partner_id, source, target));
    const segments = [v.headline, ...v.paragraphs].map((text) => protectSegment(text, glossary));
    return { source, target, chain, segments, expired };
  }

  /**
   * Targets whose chain starts with the same multi-target engine, and that need the same texts
   * from it (same glossary, same memory misses), are asked in one call (Azure's `to=uk&to=en`).
   * The answers still go through each target's quality checks; a failure is shared by all of them.
   */
  private async prefetch(plans: readonly Plan[]): Promise<Map<string, Prefetch>> {
    const out = new Map<string, Prefetch>();
    const groups = new Map<string, { provider: TranslationProvider; plans: Plan[]; texts: string[] }>();
    for (const plan of plans) {
      const provider = plan.chain[0];
      if (!provider || !isMultiTarget(provider)) continue;
      const distinct = [...new Set(plan.segments.map((s) => s.text).filter((t) => t.trim()))];
      const hits = await this.memory.lookupKeys(plan.source, plan.target, provider.name, distinct);
      const texts = distinct.filter((t) => !hits.has(t));
      if (!texts.length) continue;
      const key = `${provider.name}\u0000${JSON.stringify(texts)}`;
      const group = groups.get(key) ?? { provider, plans: [], texts };
      group.plans.push(plan);
      groups.set(key, group);
    }
    for (const { provider, plans: members, texts } of groups.values()) {
      if (members.length < 2 || !isMultiTarget(provider)) continue;
      const targets = members.map((p) => p.target);
      try {
        const answers = await provider.translateMany(members[0]!.source, targets, texts);
        for (const target of targets) {
          const segs = answers[target]?.segments ?? [];
          out.set(target, { provider: provider.name, answers: new Map(texts.map((t, k) => [t, { target: segs[k] ?? '', unknownWordRatio: null }])) });
        }
      } catch (err) {
        for (const target of targets) out.set(target, { provider: provider.name, error: err });
      }
    }
    return out;
  }

  private async translateOne(versionId: string, v: VersionRow, plan: Plan, prefetch: Prefetch | undefined): Promise<Outcome> {
    const { source, target, chain, segments, expired } = plan;
    const attempts: Attempt[] = [];
    let retryLater: unknown;
    for (const [i, provider] of chain.entries()) {
      const last = i === chain.length - 1;
      const mine = prefetch?.provider === provider.name ? prefetch : undefined;
      let result: ProviderResult;
      try {
        if (mine?.error !== undefined) throw mine.error;
        result = await translateSegments(provider, this.memory, source, target, segments, mine?.answers);
      } catch (err) {
        const attempt = { provider: provider.name, outcome: err instanceof Error ? err.message : String(err) };
        attempts.push(attempt);
        if (err instanceof TranslationUnsupportedError) continue;
        if (err instanceof TranslationProviderError) {
          if (err.quotaExceeded) await this.memory.pause(provider.name, this.translation.quotaPauseMs, err.message);
          if (err.retryable && err.retryAfterMs !== undefined && !last) {
            // Another provider serves the pair: a short wait is worth it (the preferred engine),
            // a long one is not (the story would sit); the provider's `wait` decides.
            const maxWaitMs = this.maxWaitMs(provider.name);
            if (err.retryAfterMs <= maxWaitMs) throw this.forQueue(err);
            attempt.outcome += ` (wait ${Math.ceil(err.retryAfterMs / 1000)} s > ${maxWaitMs / 1000} s: next provider)`;
          }
          if (err.retryable) retryLater ??= err;
          continue;
        }
        throw err;
      }
      const problem =
        outputProblem(
          segments.map((s) => s.text),
          result.texts,
        ) ??
        (result.lost > 0 ? 'lost-placeholders' : undefined) ??
        (!last && (result.unknownWordRatio ?? 0) > this.translation.maxUnknownRatio ? 'too-many-unknown-words' : undefined);
      if (problem && (problem !== 'lost-placeholders' || !last)) {
        // Unusable output is never published; the next provider of the chain gets its chance.
        attempts.push({ provider: provider.name, outcome: problem });
        if (problem === 'empty') retryLater ??= new TranslationProviderError(provider.name, 'empty output', { retryable: true });
        continue;
      }
      await this.memory.store(source, target, provider.name, result.fresh);
      if (expired.has(provider.name)) await this.memory.resume(provider.name);
      attempts.push({ provider: provider.name, outcome: problem ?? 'done' });
      const [headline, ...paragraphs] = result.restored;
      await this.record(versionId, target, 'done', { provider: provider.name, headline, paragraphs, unknown: result.unknownWordRatio, cost: result.cost, attempts });
      return 'done';
    }
    if (retryLater !== undefined) throw this.forQueue(retryLater);
    const summary = attempts.map((a) => `${a.provider}: ${a.outcome}`).join('; ');
    if (attempts.every((a) => /No translation available/u.test(a.outcome))) {
      await this.record(versionId, target, 'unsupported', { error: summary, attempts });
      return 'unsupported';
    }
    await this.record(versionId, target, 'failed', { error: summary || 'no provider', attempts });
    return 'failed';
  }

  private maxWaitMs(provider: string): number {
    return (this.translation.limits[provider as TranslationProviderName]?.maxWaitSeconds ?? this.translation.maxWaitSeconds) * 1000;
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
    const result = await this.db.transaction((m) => settleStage(m, versionId, 'translate', 'failed', { error: error.message }, this.routing));
    emitSettled(this.events, versionId, 'translate', 'failed', result);
  }
}
