/** Test data through the product's own provisioning functions; every test gets its own partner. */
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ChannelKind } from '@syndication/contracts';
import type { StoryView } from '../../apps/intake-api/src/stories/story-status.service';
import { newApiKeySecret, upsertApiKey, upsertChannel, upsertPartner, upsertRoute } from '@syndication/database';

export interface TestPartner {
  id: string;
  slug: string;
  apiKey: string;
}

export async function createPartner(db: DataSource, label = 'p'): Promise<TestPartner> {
  const slug = `${label}-${randomBytes(4).toString('hex')}`;
  const id = await upsertPartner(db.manager, slug, `Test ${slug}`);
  const apiKey = await upsertApiKey(db.manager, id, `k${randomBytes(6).toString('hex')}`, newApiKeySecret());
  return { id, slug, apiKey };
}

/** A channel routed from one partner only, so parallel tests never see each other's deliveries. */
export async function createRoutedChannel(
  db: DataSource,
  partner: TestPartner,
  kind: ChannelKind,
  config: Record<string, unknown>,
  languages: string[],
  match: {
    topics?: string[];
    entities?: string[];
    translationProviders?: string[];
    translationPolicy?: 'wait' | 'source_first';
    translationWaitSeconds?: number;
  } = {},
): Promise<{ id: string; slug: string }> {
  const slug = `${kind}-${randomBytes(4).toString('hex')}`;
  const id = await upsertChannel(db.manager, slug, kind, `Test ${slug}`, config);
  await upsertRoute(db.manager, { name: `${slug} route`, channelId: id, languages, partnerId: partner.id, ...match });
  return { id, slug };
}

export async function pushStory(
  intakeUrl: string,
  apiKey: string,
  body: string | Buffer,
  contentType = 'text/plain; charset=utf-8',
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${intakeUrl}/v1/stories`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': contentType, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
}

export async function getStory(intakeUrl: string, apiKey: string, id: string): Promise<{ status: number; body: StoryView }> {
  const res = await fetch(`${intakeUrl}/v1/stories/${id}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return { status: res.status, body: (await res.json()) as StoryView };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls the status API (with a sleep between reads) until every delivery is final. */
export async function waitSettled(intakeUrl: string, apiKey: string, id: string, timeoutMs = 30_000): Promise<StoryView> {
  if (typeof id !== 'string') throw new Error(`no story id to wait for (was the push refused?): ${String(id)}`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await getStory(intakeUrl, apiKey, id);
    if (body.settled) return body;
    if (Date.now() > deadline) throw new Error(`story ${id} not settled after ${timeoutMs} ms: ${JSON.stringify(body.versions?.[0]?.stages)}`);
    await sleep(100);
  }
}
