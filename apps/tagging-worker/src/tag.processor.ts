/**
 * tag job -> `tag` rows (entities, IPTC Media Topics, keywords) for the cleaned source text,
 * written with the stage transition in one transaction. The offline tagger always runs; a
 * configured external tagger (TAGGER_LLM_*) adds to it, and what it dropped or why it failed is
 * recorded in the stage event's detail.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { isSettled, type JobOf, type StageStatus, type TaggingResult } from '@syndication/contracts';
import { PipelineEvents } from '@syndication/events';
import { StoryTagger, markRoutable } from '@syndication/language';
import type { StageHandler } from '@syndication/queue';
import { emitSettled, settleStage, type RoutingOptions } from '@syndication/routing';

/**
 * Flattens a tagging result into `tag` rows. A topic is routable when its relevance reaches the
 * routing threshold (TOPIC_ROUTING_THRESHOLD); entities and keywords have no threshold.
 */
export function tagRows(
  result: TaggingResult,
  topicThreshold: number,
): Array<{ kind: string; code: string; label: string; score: number; routable: boolean; source: string; detail: object }> {
  return [
    ...result.entities.map((e) => ({
      kind: e.type,
      code: e.id,
      label: e.name,
      score: e.confidence,
      routable: true,
      source: e.source,
      detail: { mentions: e.mentions },
    })),
    ...markRoutable(result.topics, topicThreshold).map((t) => ({
      kind: 'topic',
      code: t.code,
      label: t.name,
      score: t.score,
      routable: t.routable,
      source: t.source,
      detail: { ancestors: t.ancestors },
    })),
    ...result.keywords.map((k, i) => ({
      kind: 'keyword',
      code: k.toLowerCase(),
      label: k,
      score: result.keywordScores?.[i] ?? 1 / (i + 1),
      routable: true,
      source: 'keywords',
      detail: {},
    })),
  ];
}

@Injectable()
export class TagProcessor implements StageHandler<'tag'> {
  readonly name = 'tag' as const;
  readonly concurrency: number;
  private readonly logger = new Logger(TagProcessor.name);
  private readonly tagger: StoryTagger;

  private readonly routing: RoutingOptions;
  private readonly topicThreshold: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: PipelineEvents,
  ) {
    this.concurrency = config.workers.concurrency.tag;
    const llm = config.tagging.llm;
    this.tagger = new StoryTagger(llm ? { baseUrl: llm.url, model: llm.model, timeoutMs: llm.timeoutMs, ...(llm.key ? { apiKey: llm.key } : {}) } : undefined);
    this.routing = { defaultWaitSeconds: config.translation.waitSeconds };
    this.topicThreshold = config.tagging.topicRoutingThreshold;
  }

  async process(job: Job<JobOf<'tag'>>): Promise<void> {
    const { versionId } = job.data;
    const rows: Array<{ headline: string; paragraphs: string[]; language: string; tag_status: StageStatus }> = await this.db.query(
      'SELECT headline, paragraphs, language, tag_status FROM story_version WHERE id = $1',
      [versionId],
    );
    const v = rows[0];
    if (!v) throw new UnrecoverableError(`story version ${versionId} does not exist`);
    if (isSettled(v.tag_status)) return;
    const started = Date.now();
    const { result, external } = await this.tagger.tag({ headline: v.headline, body: v.paragraphs.join('\n\n'), language: v.language });
    if (external?.status === 'failed') this.logger.warn(`external tagger ${external.source} failed for ${versionId}: ${external.error}; offline tags only`);
    const tags = tagRows(result, this.topicThreshold);
    const settled = await this.db.transaction(async (m) => {
      await m.query(
        `INSERT INTO tag (story_version_id, kind, code, label, score, routable, source, detail)
         SELECT $1, x.kind, x.code, x.label, x.score, x.routable, x.source, x.detail
           FROM jsonb_to_recordset($2::jsonb) AS x(kind text, code text, label text, score real, routable boolean, source text, detail jsonb)
         ON CONFLICT (story_version_id, kind, code) DO NOTHING`,
        [versionId, JSON.stringify(tags)],
      );
      return settleStage(m, versionId, 'tag', 'done', {
        entities: result.entities.length,
        topics: result.topics.length,
        routable_topics: tags.filter((t) => t.kind === 'topic' && t.routable).length,
        keywords: result.keywords.length,
        ms: Date.now() - started,
        ...(external ? { external } : {}),
      }, this.routing);
    });
    emitSettled(this.events, versionId, 'tag', 'done', settled);
  }

  /** Out of attempts: route without tags rather than hold the story forever. */
  async onFinalFailure(job: Job<JobOf<'tag'>>, error: Error): Promise<void> {
    const { versionId } = job.data;
    this.logger.error(`tagging of ${versionId} failed for good: ${error.message}`);
    const result = await this.db.transaction((m) => settleStage(m, versionId, 'tag', 'failed', { error: error.message }, this.routing));
    emitSettled(this.events, versionId, 'tag', 'failed', result);
  }
}
