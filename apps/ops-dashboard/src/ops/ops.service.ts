/**
 * What the ops API and the pages both call: reads from @syndication/database (all SQL lives
 * there), BullMQ queue depths, and the audited actions with their input checks. The JSON API and
 * the HTML pages are two renderings of these results, so they cannot disagree.
 */
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { FEED_POLL_QUEUE, JOB_NAMES, QUEUES } from '@syndication/contracts';
import {
  cancelStory,
  deliveryCountsByChannel,
  failureGroups,
  findChannelBySlugOrId,
  getStoryDetail,
  listAudit,
  listChannelsOps,
  listDeliveriesOps,
  listFeedsOps,
  listInDoubt,
  listPartnersOps,
  listProvidersOps,
  listRoutesOps,
  OPS_STORY_STATUSES,
  pipelineSummary,
  recentStories,
  recordAudit,
  replayFailureGroup,
  replayStories,
  resolveInDoubt,
  retryDelivery,
  searchStories,
  setChannelState,
  translationCost,
  type OpsActor,
  type OpsStoryStatus,
} from '@syndication/database';
import { createRedis } from '@syndication/queue';
import { withdrawStory } from '@syndication/routing';
import { badRequest, notFound, OpsProblem } from '../http/problem';
import type { OpsPrincipal } from '../auth/ops-auth';

export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  paused: number;
}

const MAX_REASON = 500;

export function readReason(body: unknown): string {
  const r = body && typeof body === 'object' ? (body as Record<string, unknown>)['reason'] : undefined;
  if (typeof r !== 'string' || r.trim().length < 3 || r.length > MAX_REASON) {
    throw badRequest('invalid_reason', `Every action needs a reason: 3-${MAX_REASON} characters`);
  }
  return r.trim();
}

export function actorOf(p: OpsPrincipal, reason: string, req: { ip?: string | undefined; headers: Record<string, unknown> }): OpsActor {
  const requestId = req.headers['x-request-id'];
  return {
    actor: p.actor,
    actorType: p.actorType,
    reason,
    ...(req.ip ? { ip: req.ip } : {}),
    ...(typeof requestId === 'string' && requestId ? { requestId: requestId.slice(0, 100) } : {}),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class OpsService implements OnModuleDestroy {
  private readonly redis: Redis;
  readonly queues: Queue[];

  constructor(
    @InjectDataSource() readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.redis = createRedis(config.redis.url, 'queue');
    this.redis.on('error', () => undefined);
    this.queues = [...JOB_NAMES.map((n) => QUEUES[n]), FEED_POLL_QUEUE].map((name) => new Queue(name, { connection: this.redis, prefix: config.redis.prefix }));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
    this.redis.disconnect();
  }

  async queueCounts(): Promise<QueueCounts[]> {
    return Promise.all(
      this.queues.map(async (q) => {
        const c = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized').catch(() => ({}) as Record<string, number>);
        return {
          queue: q.name,
          waiting: (c['waiting'] ?? 0) + (c['prioritized'] ?? 0),
          active: c['active'] ?? 0,
          delayed: c['delayed'] ?? 0,
          failed: c['failed'] ?? 0,
          completed: c['completed'] ?? 0,
          paused: c['paused'] ?? 0,
        };
      }),
    );
  }

  async overview() {
    const [stages, queues, failures, recent, inDoubt] = await Promise.all([
      pipelineSummary(this.db),
      this.queueCounts(),
      failureGroups(this.db),
      recentStories(this.db, 8),
      listInDoubt(this.db, { limit: 500 }),
    ]);
    return { stages, queues, top_failures: failures.slice(0, 5), recent_stories: recent, in_doubt: inDoubt.length, at: new Date().toISOString() };
  }

  stories(q: Record<string, unknown>) {
    const str = (k: string) => (typeof q[k] === 'string' && (q[k] as string).trim() ? (q[k] as string).trim() : undefined);
    const status = str('status');
    if (status && !(OPS_STORY_STATUSES as readonly string[]).includes(status)) throw badRequest('invalid_status', `status is one of ${OPS_STORY_STATUSES.join(', ')}`);
    const limit = str('limit') ? Number(str('limit')) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badRequest('invalid_limit', 'limit is an integer from 1 to 100');
    for (const k of ['from', 'to']) if (str(k) && Number.isNaN(Date.parse(str(k)!))) throw badRequest('invalid_time', `${k} must be an ISO 8601 instant`);
    const opt = <K extends string>(k: K, v: string | undefined) => (v !== undefined ? { [k]: v } : {});
    return searchStories(this.db, {
      ...opt('q', str('q')),
      ...opt('partner', str('partner')),
      ...(status ? { status: status as OpsStoryStatus } : {}),
      ...opt('from', str('from') ? new Date(str('from')!).toISOString() : undefined),
      ...opt('to', str('to') ? new Date(str('to')!).toISOString() : undefined),
      ...opt('cursor', str('cursor')),
      limit,
    });
  }

  async story(id: string) {
    const s = await getStoryDetail(this.db, id);
    if (!s) throw notFound('No such story');
    return s;
  }

  failures = () => failureGroups(this.db);
  inDoubt = (channel?: string) => listInDoubt(this.db, { limit: 200, ...(channel ? { channel } : {}) });
  partners = () => listPartnersOps(this.db);
  channels = () => listChannelsOps(this.db);
  routes = () => listRoutesOps(this.db);
  providers = async () => ({ providers: await listProvidersOps(this.db), cost: await translationCost(this.db) });
  feeds = () => listFeedsOps(this.db);
  deliveries = (f: { channel?: string; status?: string; before?: string; limit?: number }) => listDeliveriesOps(this.db, f);
  deliveryCounts = () => deliveryCountsByChannel(this.db);
  audit = (before?: string) => listAudit(this.db, { limit: 100, ...(before && /^\d+$/.test(before) ? { before } : {}) });

  // ---- actions (each audited in its own transaction by the functions it calls) ----

  async retryDelivery(id: string, who: OpsActor) {
    const r = await retryDelivery(this.db, id, who);
    if (!r) throw new OpsProblem(409, 'not_retryable', 'Conflict', 'Only a failed delivery, or one waiting for its next retry, can be retried');
    return { id, ...r };
  }

  async replay(body: Record<string, unknown>, who: OpsActor) {
    const ids = Array.isArray(body['story_ids']) ? body['story_ids'] : typeof body['story_id'] === 'string' ? [body['story_id']] : [];
    if (!ids.length || ids.length > 500 || !ids.every((x) => typeof x === 'string' && UUID.test(x))) throw badRequest('invalid_story_ids', 'story_ids: 1-500 story ids');
    const fromStage = body['from_stage'] ?? 'publish';
    if (fromStage !== 'publish') throw badRequest('unsupported_stage', 'Replays start at the publish stage (failed deliveries are sent again)');
    const list = (k: string) => (Array.isArray(body[k]) ? (body[k] as unknown[]).filter((x): x is string => typeof x === 'string') : undefined);
    const channels = list('channels');
    const languages = list('languages');
    return replayStories(this.db, ids as string[], { fromStage, ...(channels ? { channels } : {}), ...(languages ? { languages } : {}) }, isDryRun(body), who);
  }

  async replayFailures(body: Record<string, unknown>, who: OpsActor) {
    const stage = body['stage'] ?? 'publish';
    if (stage !== 'publish') throw badRequest('unsupported_stage', 'Group replays act on failed deliveries (stage publish)');
    const channel = typeof body['channel'] === 'string' && body['channel'] ? await findChannelBySlugOrId(this.db, body['channel']) : null;
    if (body['channel'] && !channel) throw notFound('No such channel');
    const code = typeof body['error_code'] === 'string' && body['error_code'] ? body['error_code'] : undefined;
    return replayFailureGroup(this.db, { stage: 'publish', ...(channel ? { channelId: channel.id } : {}), ...(code ? { errorCode: code } : {}) }, isDryRun(body), who);
  }

  async cancel(storyId: string, who: OpsActor) {
    const r = await cancelStory(this.db, storyId, who);
    if (!r) throw notFound('No such story');
    return r;
  }

  async withdraw(storyId: string, who: OpsActor) {
    const r = await this.db.transaction(async (m) => {
      const w = await withdrawStory(m, { storyId, reason: who.reason });
      if (w?.created) {
        await recordAudit(m, { actor: who.actor, actorType: who.actorType, action: 'story.withdraw', targetType: 'story', targetId: storyId, reason: who.reason, detail: { version: w.version },
          ...(who.ip ? { ip: who.ip } : {}), ...(who.requestId ? { requestId: who.requestId } : {}) });
      }
      return w;
    });
    if (!r) throw notFound('No such story');
    return { id: r.storyId, version: r.version, version_id: r.versionId, status: r.created ? 'withdrawn' : 'already_withdrawn' };
  }

  async setChannel(ref: string, action: 'pause' | 'resume', who: OpsActor) {
    const r = await this.db.transaction(async (m) => {
      const c = await findChannelBySlugOrId(m, ref);
      if (!c) return undefined;
      const row =
        action === 'pause'
          ? await setChannelState(m, c.id, 'paused', { reason: who.reason })
          : await setChannelState(m, c.id, 'active', { reason: null, expect: ['paused', 'credentials_broken', 'endpoint_gone', 'circuit_open', 'rate_limited'] });
      if (row) {
        await recordAudit(m, { actor: who.actor, actorType: who.actorType, action: `channel.${action}`, targetType: 'channel', targetId: c.id, reason: who.reason, detail: { slug: c.slug, state: row.state },
          ...(who.ip ? { ip: who.ip } : {}), ...(who.requestId ? { requestId: who.requestId } : {}) });
      }
      return row;
    });
    if (r === undefined) throw notFound('No such channel');
    if (r === null) throw new OpsProblem(409, 'channel_state_conflict', 'Conflict', 'The channel is active already');
    return r;
  }

  async resolveInDoubt(id: string, body: Record<string, unknown>, who: OpsActor) {
    const action = body['action'];
    if (action !== 'mark_delivered' && action !== 'resend') throw badRequest('invalid_action', 'action is mark_delivered or resend');
    const externalId = typeof body['external_id'] === 'string' && body['external_id'].trim() ? body['external_id'].trim().slice(0, 500) : undefined;
    const r = await resolveInDoubt(this.db, id, action, { ...who, ...(externalId ? { externalId } : {}) });
    if (!r) throw new OpsProblem(409, 'not_in_doubt', 'Conflict', 'The delivery is not in doubt (resolved already?)');
    return { id, ...r };
  }
}

function isDryRun(body: Record<string, unknown>): boolean {
  const d = body['dry_run'];
  return d === true || d === 'true' || d === '1' || d === 'on';
}
