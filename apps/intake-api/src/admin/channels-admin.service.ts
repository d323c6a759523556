/**
 * Channels and routes for operators: validation of each kind's config by the channel adapter
 * itself (one definition for the API and the publisher), credentials sealed at rest and redacted
 * in every answer, pause/resume through the channel state, a test-send through the same adapter
 * the publisher uses. The domain operations (and their audit records) live in
 * @syndication/database channels.ts, which the demo provisioning calls too.
 */
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { CHANNEL_SECRET_FIELDS, type ChannelKind, type PublishableStory } from '@syndication/contracts';
import { ChannelConfigError, ChannelDeliveryError, createChannelRegistry, type ChannelRegistry } from '@syndication/channels';
import {
  type Actor,
  ChannelConflictError,
  ChannelNotFoundError,
  type ChannelView,
  REDACTED,
  RouteNotFoundError,
  RouteReferenceError,
  type RouteInput,
  type RouteView,
  SEALED,
  createChannel,
  createRoute,
  deleteChannel,
  deleteRoute,
  getChannel,
  getChannelForSend,
  getRoute,
  listChannels,
  listRoutes,
  openChannelConfig,
  pauseChannel,
  recordAudit,
  replaceRoute,
  resumeChannel,
  updateChannel,
} from '@syndication/database';
import { ProblemError } from '../http/problem';

const channelNotFound = (slug: string) => new ProblemError(404, 'channel_not_found', 'Not found', `No channel ${slug.slice(0, 64)}`);
const routeNotFound = (id: string) => new ProblemError(404, 'route_not_found', 'Not found', `No route ${id.slice(0, 64)}`);

export interface ChannelInput {
  slug: string;
  kind: ChannelKind;
  name: string;
  config: Record<string, unknown>;
  languages?: string[] | null | undefined;
}

@Injectable()
export class ChannelsAdminService {
  private readonly registry: ChannelRegistry;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.registry = createChannelRegistry({
      timeoutMs: config.channels.webhookTimeoutMs,
      outbound: config.outbound,
      open: (kind, raw) => openChannelConfig(config.auth.secretsKeys, kind, raw),
    });
  }

  /** The adapter's normalised config, or 422 pointing at the offending field. */
  validateConfig(kind: ChannelKind, config: Record<string, unknown>): Record<string, unknown> {
    try {
      return this.registry.get(kind).parseConfig(config) as Record<string, unknown>;
    } catch (err) {
      if (!(err instanceof ChannelConfigError)) throw err;
      const pointer = err.field === 'config' ? '/config' : `/config/${err.field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      throw new ProblemError(422, 'invalid_channel_config', 'Unprocessable content', `Invalid ${kind} channel config`, [
        { pointer, code: 'invalid_channel_config', message: err.message },
      ]);
    }
  }

  list(): Promise<ChannelView[]> {
    return listChannels(this.db);
  }

  async get(slug: string): Promise<ChannelView> {
    const c = await getChannel(this.db, slug);
    if (!c) throw channelNotFound(slug);
    return c;
  }

  async create(input: ChannelInput, actor: Actor): Promise<ChannelView> {
    const config = this.validateConfig(input.kind, input.config);
    return this.db.transaction(async (m) => {
      try {
        return await createChannel(m, { slug: input.slug, kind: input.kind, name: input.name, config, languages: input.languages ?? null }, this.config.auth.secretsKey, actor);
      } catch (err) {
        if (err instanceof ChannelConflictError) throw new ProblemError(409, 'channel_exists', 'Conflict', `Channel ${input.slug} already exists`);
        throw err;
      }
    });
  }

  /**
   * A new config replaces the old one whole, except credentials left out or sent back as "(set)":
   * those keep their stored value (opened here only to validate the merged config).
   */
  async update(slug: string, changes: { name?: string | undefined; config?: Record<string, unknown> | undefined; languages?: string[] | null | undefined }, actor: Actor): Promise<ChannelView> {
    return this.db.transaction(async (m) => {
      const stored = await getChannelForSend(m, slug);
      if (!stored) throw channelNotFound(slug);
      let config: Record<string, unknown> | undefined;
      if (changes.config) {
        const merged: Record<string, unknown> = { ...changes.config };
        const opened = openChannelConfig(this.config.auth.secretsKeys, stored.kind, stored.config) as Record<string, unknown>;
        for (const field of CHANNEL_SECRET_FIELDS[stored.kind]) {
          if ((merged[field] === undefined || merged[field] === REDACTED) && opened[field] !== undefined) merged[field] = opened[field];
          if (typeof merged[field] === 'object' && merged[field] !== null && SEALED in (merged[field] as object)) delete merged[field];
        }
        config = this.validateConfig(stored.kind, merged);
      }
      try {
        return await updateChannel(
          m,
          slug,
          {
            ...(changes.name !== undefined ? { name: changes.name } : {}),
            ...(config ? { config } : {}),
            ...(changes.languages !== undefined ? { languages: changes.languages } : {}),
          },
          this.config.auth.secretsKey,
          actor,
        );
      } catch (err) {
        if (err instanceof ChannelNotFoundError) throw channelNotFound(slug);
        throw err;
      }
    });
  }

  async remove(slug: string, actor: Actor): Promise<void> {
    await this.db.transaction(async (m) => {
      try {
        await deleteChannel(m, slug, actor);
      } catch (err) {
        if (err instanceof ChannelNotFoundError) throw channelNotFound(slug);
        if (err instanceof ChannelConflictError) throw new ProblemError(409, 'channel_in_use', 'Conflict', err.message);
        throw err;
      }
    });
  }

  async pause(slug: string, reason: string | null, actor: Actor): Promise<ChannelView> {
    return this.db.transaction(async (m) => {
      try {
        return await pauseChannel(m, slug, reason, actor);
      } catch (err) {
        if (err instanceof ChannelNotFoundError) throw channelNotFound(slug);
        throw err;
      }
    });
  }

  async resume(slug: string, actor: Actor): Promise<{ channel: ChannelView; requeued: number }> {
    return this.db.transaction(async (m) => {
      try {
        return await resumeChannel(m, slug, actor);
      } catch (err) {
        if (err instanceof ChannelNotFoundError) throw channelNotFound(slug);
        throw err;
      }
    });
  }

  /** Sends a short test message through the channel's adapter (not recorded in the ledger). */
  async testSend(slug: string, actor: Actor): Promise<{ ok: true; external_id: string | null; detail: Record<string, unknown> }> {
    const stored = await getChannelForSend(this.db, slug);
    if (!stored) throw channelNotFound(slug);
    const id = `test-${randomUUID()}`;
    const now = new Date().toISOString();
    const story: PublishableStory = {
      storyId: id,
      versionId: id,
      version: 1,
      deliveryId: id,
      partner: 'syndication',
      uri: `urn:syndication:test:${id}`,
      language: 'en',
      sourceLanguage: 'en',
      machineTranslated: false,
      headline: 'Test message from the syndication platform',
      paragraphs: [`This is a test-send for channel ${slug}, requested at ${now}. It is not a story.`],
      receivedAt: now,
      tags: { entities: [], topics: [], keywords: [] },
    };
    try {
      const out = await this.registry.publish(stored.kind, stored.config, story, { deliveryId: id, attempt: 1 });
      await this.db.transaction((m) => recordAudit(m, { ...actor, action: 'channel.test', targetType: 'channel', targetId: slug }));
      return { ok: true, external_id: out.externalId ?? null, detail: out.detail ?? {} };
    } catch (err) {
      if (err instanceof ChannelConfigError) {
        throw new ProblemError(422, 'invalid_channel_config', 'Unprocessable content', err.message, [{ pointer: `/config/${err.field}`, code: 'invalid_channel_config', message: err.message }]);
      }
      if (err instanceof ChannelDeliveryError) {
        throw new ProblemError(502, 'channel_test_failed', 'Bad gateway', `${err.code}: ${err.message}`.slice(0, 500));
      }
      throw err;
    }
  }

  // Routes ---------------------------------------------------------------------------------------

  listRoutes(filter: { channel?: string; partner?: string }): Promise<RouteView[]> {
    return listRoutes(this.db, filter);
  }

  async getRoute(id: string): Promise<RouteView> {
    const r = await getRoute(this.db, id);
    if (!r) throw routeNotFound(id);
    return r;
  }

  async createRoute(input: RouteInput, actor: Actor): Promise<RouteView> {
    return this.db.transaction((m) => createRoute(m, input, actor).catch(refProblem));
  }

  async updateRoute(id: string, changes: Partial<RouteInput>, actor: Actor): Promise<RouteView> {
    return this.db.transaction(async (m) => {
      const current = await getRoute(m, id);
      if (!current) throw routeNotFound(id);
      const { id: _id, created_at: _created, ...base } = current;
      const merged: RouteInput = { ...base, ...changes };
      if (merged.urgency_min != null && merged.urgency_max != null && merged.urgency_min > merged.urgency_max) {
        throw new ProblemError(422, 'invalid_request', 'Unprocessable content', 'urgency_min must not exceed urgency_max', [
          { pointer: '/urgency_min', code: 'invalid_range', message: 'must not exceed urgency_max' },
        ]);
      }
      return replaceRoute(m, id, merged, actor).catch(refProblem);
    });
  }

  async removeRoute(id: string, actor: Actor): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw routeNotFound(id);
    await this.db.transaction(async (m) => {
      try {
        await deleteRoute(m, id, actor);
      } catch (err) {
        if (err instanceof RouteNotFoundError) throw routeNotFound(id);
        throw err;
      }
    });
  }
}

function refProblem(err: unknown): never {
  if (err instanceof RouteReferenceError) {
    throw new ProblemError(422, `${err.field}_not_found`, 'Unprocessable content', err.message, [{ pointer: `/${err.field}`, code: `${err.field}_not_found`, message: err.message }]);
  }
  throw err;
}
