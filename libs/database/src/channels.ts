/**
 * Channels and routes as operated data: the domain operations the admin API and the demo
 * provisioning share (one code path). Configs arrive already validated by the channel adapter
 * (libs/channels `parseConfig`); credentials are sealed here before they reach the row, and every
 * change is audited in the same transaction.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { ChannelKind } from '@syndication/contracts';
import { recordAudit, type AuditEntry } from './audit';
import { redactChannelConfig, sealChannelConfig, SEALED } from './channel-config';
import { requeueChannelDeliveries } from './channel-deliveries';
import { setChannelState, type ChannelState } from './channel-state';
import { queryRows } from './sql';

export type Actor = Pick<AuditEntry, 'actor' | 'actorType' | 'requestId' | 'ip'>;

export interface ChannelView {
  slug: string;
  kind: string;
  name: string;
  /** Credentials shown as "(set)". */
  config: Record<string, unknown>;
  /** Languages this channel carries; null: whatever its routes ask for. */
  languages: string[] | null;
  state: ChannelState;
  state_reason: string | null;
  state_since: string;
  state_until: string | null;
  created_at: string;
}

interface ChannelRow {
  id: string;
  slug: string;
  kind: string;
  name: string;
  config: Record<string, unknown>;
  languages: string[] | null;
  state: ChannelState;
  state_reason: string | null;
  state_since: Date;
  state_until: Date | null;
  created_at: Date;
}

const CHANNEL_COLUMNS = 'id, slug, kind, name, config, languages, state, state_reason, state_since, state_until, created_at';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function channelView(r: ChannelRow): ChannelView {
  return {
    slug: r.slug,
    kind: r.kind,
    name: r.name,
    config: redactChannelConfig(r.kind, r.config),
    languages: r.languages,
    state: r.state,
    state_reason: r.state_reason,
    state_since: iso(r.state_since)!,
    state_until: iso(r.state_until),
    created_at: iso(r.created_at)!,
  };
}

export class ChannelConflictError extends Error {}
export class ChannelNotFoundError extends Error {}

async function channelRow(m: EntityManager | DataSource, slug: string, lock = false): Promise<ChannelRow | undefined> {
  const rows = await queryRows<ChannelRow>(m, `SELECT ${CHANNEL_COLUMNS} FROM channel WHERE slug = $1${lock ? ' FOR UPDATE' : ''}`, [slug]);
  return rows[0];
}

export async function listChannels(m: EntityManager | DataSource): Promise<ChannelView[]> {
  return (await queryRows<ChannelRow>(m, `SELECT ${CHANNEL_COLUMNS} FROM channel ORDER BY slug`)).map(channelView);
}

export async function getChannel(m: EntityManager | DataSource, slug: string): Promise<ChannelView | undefined> {
  const r = await channelRow(m, slug);
  return r ? channelView(r) : undefined;
}

/** The stored config with credentials still sealed (for test-sends, which open them like the publisher). */
export async function getChannelForSend(m: EntityManager | DataSource, slug: string): Promise<{ id: string; kind: ChannelKind; config: Record<string, unknown> } | undefined> {
  const r = await channelRow(m, slug);
  return r ? { id: r.id, kind: r.kind as ChannelKind, config: r.config } : undefined;
}

export interface NewChannel {
  slug: string;
  kind: ChannelKind;
  name: string;
  /** Validated by the adapter; credentials in clear (sealed here). */
  config: Record<string, unknown>;
  languages?: string[] | null;
}

/**
 * Creates a channel, or with `upsert` replaces the one under the slug (the demo provisioning,
 * which must be re-runnable). Throws ChannelConflictError when the slug exists and not upserting.
 */
export async function createChannel(m: EntityManager, c: NewChannel, secretsKey: Buffer, actor: Actor, opts: { upsert?: boolean } = {}): Promise<ChannelView> {
  const config = JSON.stringify(sealChannelConfig(secretsKey, c.kind, c.config));
  const rows = await queryRows<ChannelRow>(
    m,
    `INSERT INTO channel (slug, kind, name, config, languages) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (slug) DO ${opts.upsert ? 'UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, config = EXCLUDED.config, languages = EXCLUDED.languages' : 'NOTHING'}
     RETURNING ${CHANNEL_COLUMNS}`,
    [c.slug, c.kind, c.name, config, c.languages ?? null],
  );
  const row = rows[0];
  if (!row) throw new ChannelConflictError(`channel ${c.slug} already exists`);
  await recordAudit(m, { ...actor, action: opts.upsert ? 'channel.upsert' : 'channel.create', targetType: 'channel', targetId: c.slug, detail: { kind: c.kind } });
  return channelView(row);
}

/**
 * The stored config merged for an update: credential fields the caller left out (or sent back as
 * "(set)") keep their sealed value, so an operator can change a chat id without re-typing a token.
 */
export async function storedCredentials(m: EntityManager, slug: string): Promise<Record<string, unknown>> {
  const r = await channelRow(m, slug);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r?.config ?? {})) if (typeof v === 'object' && v !== null && SEALED in v) out[k] = v;
  return out;
}

export async function updateChannel(
  m: EntityManager,
  slug: string,
  changes: { name?: string; config?: Record<string, unknown>; languages?: string[] | null },
  secretsKey: Buffer,
  actor: Actor,
): Promise<ChannelView> {
  const r = await channelRow(m, slug, true);
  if (!r) throw new ChannelNotFoundError(slug);
  const config = changes.config === undefined ? r.config : sealChannelConfig(secretsKey, r.kind, changes.config);
  const rows = await queryRows<ChannelRow>(
    m,
    `UPDATE channel SET name = $2, config = $3, languages = $4 WHERE id = $1 RETURNING ${CHANNEL_COLUMNS}`,
    [r.id, changes.name ?? r.name, JSON.stringify(config), changes.languages === undefined ? r.languages : changes.languages],
  );
  await recordAudit(m, {
    ...actor,
    action: 'channel.update',
    targetType: 'channel',
    targetId: slug,
    detail: { fields: Object.keys(changes), ...(changes.config ? { config_fields: Object.keys(changes.config) } : {}) },
  });
  return channelView(rows[0]!);
}

/** Deletes a channel and its routes; one that has deliveries is kept (pause it instead). */
export async function deleteChannel(m: EntityManager, slug: string, actor: Actor): Promise<void> {
  const r = await channelRow(m, slug, true);
  if (!r) throw new ChannelNotFoundError(slug);
  const used = await queryRows<{ n: number }>(m, 'SELECT count(*)::int AS n FROM delivery WHERE channel_id = $1', [r.id]);
  if ((used[0]?.n ?? 0) > 0) throw new ChannelConflictError(`channel ${slug} has ${used[0]!.n} deliveries in the ledger; pause it instead`);
  await m.query('DELETE FROM route WHERE channel_id = $1', [r.id]);
  await m.query('DELETE FROM channel WHERE id = $1', [r.id]);
  await recordAudit(m, { ...actor, action: 'channel.delete', targetType: 'channel', targetId: slug, detail: { kind: r.kind } });
}

/** Operator pause: nothing is routed to or claimed for the channel until resumed. */
export async function pauseChannel(m: EntityManager, slug: string, reason: string | null, actor: Actor): Promise<ChannelView> {
  const r = await channelRow(m, slug, true);
  if (!r) throw new ChannelNotFoundError(slug);
  await setChannelState(m, r.id, 'paused', { reason: reason ?? 'paused by an operator' });
  await recordAudit(m, { ...actor, action: 'channel.pause', targetType: 'channel', targetId: slug, ...(reason ? { reason } : {}), detail: { from: r.state } });
  return (await getChannel(m, slug))!;
}

/**
 * Back to active from any state, and the channel's open deliveries are queued again at once (their
 * jobs may be sleeping out a long hold). Returns the channel and how many deliveries were queued.
 */
export async function resumeChannel(m: EntityManager, slug: string, actor: Actor): Promise<{ channel: ChannelView; requeued: number }> {
  const r = await channelRow(m, slug, true);
  if (!r) throw new ChannelNotFoundError(slug);
  await setChannelState(m, r.id, 'active');
  const requeued = await requeueChannelDeliveries(m, r.id);
  await recordAudit(m, { ...actor, action: 'channel.resume', targetType: 'channel', targetId: slug, detail: { from: r.state, requeued } });
  return { channel: (await getChannel(m, slug))!, requeued };
}

// ---------------------------------------------------------------------------------------------
// Routes

export interface RouteInput {
  name: string;
  channel: string;
  /** Partner slug; null: every partner. */
  partner: string | null;
  languages: string[];
  source_languages?: string[] | null;
  topics?: string[] | null;
  entities?: string[] | null;
  /** IPTC urgency bounds, 1 (most urgent) to 9; a story without urgency matches no bounded rule. */
  urgency_min?: number | null;
  urgency_max?: number | null;
  translation_providers?: string[] | null;
  translation_policy?: 'wait' | 'source_first';
  translation_wait_seconds?: number | null;
  active?: boolean;
}

export interface RouteView extends Required<Omit<RouteInput, 'active'>> {
  id: string;
  active: boolean;
  created_at: string;
}

export class RouteReferenceError extends Error {
  constructor(
    readonly field: 'channel' | 'partner',
    message: string,
  ) {
    super(message);
  }
}
export class RouteNotFoundError extends Error {}

const ROUTE_SELECT = `SELECT r.id, r.name, c.slug AS channel, p.slug AS partner, r.languages, r.source_languages, r.topics, r.entities,
        r.urgency_min, r.urgency_max, r.translation_providers, r.translation_policy, r.translation_wait_seconds, r.active, r.created_at
   FROM route r JOIN channel c ON c.id = r.channel_id LEFT JOIN partner p ON p.id = r.partner_id`;

type RouteRow = Omit<RouteView, 'created_at'> & { created_at: Date };
const routeView = (r: RouteRow): RouteView => ({ ...r, created_at: iso(r.created_at)! });

export async function listRoutes(m: EntityManager | DataSource, filter: { channel?: string; partner?: string } = {}): Promise<RouteView[]> {
  const rows = await queryRows<RouteRow>(
    m,
    `${ROUTE_SELECT} WHERE ($1::text IS NULL OR c.slug = $1) AND ($2::text IS NULL OR p.slug = $2) ORDER BY r.created_at, r.id`,
    [filter.channel ?? null, filter.partner ?? null],
  );
  return rows.map(routeView);
}

export async function getRoute(m: EntityManager | DataSource, id: string): Promise<RouteView | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const rows = await queryRows<RouteRow>(m, `${ROUTE_SELECT} WHERE r.id = $1`, [id]);
  return rows[0] ? routeView(rows[0]) : undefined;
}

async function resolveRefs(m: EntityManager, channel: string, partner: string | null): Promise<{ channelId: string; partnerId: string | null }> {
  const c = await queryRows<{ id: string }>(m, 'SELECT id FROM channel WHERE slug = $1', [channel]);
  if (!c[0]) throw new RouteReferenceError('channel', `no channel ${channel}`);
  if (partner === null) return { channelId: c[0].id, partnerId: null };
  const p = await queryRows<{ id: string }>(m, 'SELECT id FROM partner WHERE slug = $1', [partner]);
  if (!p[0]) throw new RouteReferenceError('partner', `no partner ${partner}`);
  return { channelId: c[0].id, partnerId: p[0].id };
}

const routeParams = (r: RouteInput, refs: { channelId: string; partnerId: string | null }) => [
  r.name,
  refs.channelId,
  refs.partnerId,
  r.languages,
  r.source_languages ?? null,
  r.topics ?? null,
  r.entities ?? null,
  r.urgency_min ?? null,
  r.urgency_max ?? null,
  r.translation_providers ?? null,
  r.translation_policy ?? 'wait',
  r.translation_wait_seconds ?? null,
  r.active ?? true,
];

export async function createRoute(m: EntityManager, r: RouteInput, actor: Actor): Promise<RouteView> {
  const refs = await resolveRefs(m, r.channel, r.partner);
  const rows = await queryRows<{ id: string }>(
    m,
    `INSERT INTO route (name, channel_id, partner_id, languages, source_languages, topics, entities, urgency_min, urgency_max,
                        translation_providers, translation_policy, translation_wait_seconds, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
    routeParams(r, refs),
  );
  const id = rows[0]!.id;
  await recordAudit(m, { ...actor, action: 'route.create', targetType: 'route', targetId: id, detail: { name: r.name, channel: r.channel, partner: r.partner } });
  return (await getRoute(m, id))!;
}

/** Replaces a route's definition with the merged one (PATCH semantics are applied by the caller). */
export async function replaceRoute(m: EntityManager, id: string, r: RouteInput, actor: Actor): Promise<RouteView> {
  const refs = await resolveRefs(m, r.channel, r.partner);
  const rows = await queryRows<{ id: string }>(
    m,
    `UPDATE route SET name = $2, channel_id = $3, partner_id = $4, languages = $5, source_languages = $6, topics = $7, entities = $8,
            urgency_min = $9, urgency_max = $10, translation_providers = $11, translation_policy = $12, translation_wait_seconds = $13, active = $14
      WHERE id = $1 RETURNING id`,
    [id, ...routeParams(r, refs)],
  );
  if (!rows[0]) throw new RouteNotFoundError(id);
  await recordAudit(m, { ...actor, action: 'route.update', targetType: 'route', targetId: id, detail: { name: r.name, channel: r.channel, partner: r.partner } });
  return (await getRoute(m, id))!;
}

export async function deleteRoute(m: EntityManager, id: string, actor: Actor): Promise<void> {
  const rows = await queryRows<{ id: string }>(m, 'DELETE FROM route WHERE id = $1 RETURNING id', [id]);
  if (!rows[0]) throw new RouteNotFoundError(id);
  await recordAudit(m, { ...actor, action: 'route.delete', targetType: 'route', targetId: id });
}
