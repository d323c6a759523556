/**
 * Fake channel endpoints that keep their own append-only log (JSON lines) of everything they
 * receive, so a checker can judge the product from the receiving side only:
 * - a Standard Webhooks endpoint (signatures checked by the reference library) whose answers are
 *   scripted per request: latency, 5xx, 429 + Retry-After, 410, 3xx, accept-then-hang;
 * - a feed watcher that polls a feed-server JSON Feed and logs every item the first time it shows.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { startWebhookReceiver, type WebhookRequest } from '../webhook-receiver';

/** One line of an endpoint log. */
export interface DeliveryLogEntry {
  at: number;
  endpoint: string;
  kind: 'webhook' | 'feed';
  /** webhook-id (webhooks) or the feed item id. */
  deliveryKey: string;
  storyId: string;
  versionId?: string;
  language?: string;
  /** Event type, e.g. story.published. */
  type?: string;
  verified: boolean;
  /** What the endpoint answered: an HTTP status, or 'hang' (accepted, never answered). */
  answer: number | 'hang' | 'seen';
  /** A feed document that listed the same item twice. */
  repeatedInDocument?: boolean;
}

export type EndpointAction = { status: number; headers?: Record<string, string>; delayMs?: number } | { hang: true };

export interface ArrivalInfo {
  webhookId: string;
  storyId: string;
  /** 1 for the first arrival of this webhook-id, 2 for its first resend, ... */
  attempt: number;
  /** Arrivals at this endpoint so far, this one included. */
  arrival: number;
}

export type Behaviour = (info: ArrivalInfo) => EndpointAction;

export const behaviours = {
  ok: (delayMs = 0): Behaviour => () => ({ status: 204, ...(delayMs ? { delayMs } : {}) }),
  /** 2xx after a latency drawn per request from [minMs, maxMs] with the given source of randomness. */
  latency: (minMs: number, maxMs: number, random: () => number): Behaviour => () => ({ status: 204, delayMs: minMs + Math.floor(random() * (maxMs - minMs + 1)) }),
  /** `first` for the first `n` attempts of each webhook-id, `then` afterwards. */
  firstAttempts: (n: number, first: EndpointAction, then: EndpointAction = { status: 204 }): Behaviour => (info) => (info.attempt <= n ? first : then),
  always: (action: EndpointAction): Behaviour => () => action,
};

export interface FakeWebhookEndpoint {
  readonly name: string;
  /** When it was started: stories accepted before its route existed are not expected here. */
  readonly since: number;
  readonly url: string;
  readonly secret: string;
  readonly logFile: string;
  /** In-memory copy of the log (the checker reads the file). */
  readonly entries: DeliveryLogEntry[];
  setBehaviour(b: Behaviour): void;
  /** Called on every verified arrival before answering (e.g. to SIGSTOP the sender mid-request). */
  onArrival(fn: ((info: ArrivalInfo) => void) | undefined): void;
  stop(): Promise<void>;
}

interface SyndicationBody {
  type?: string;
  data?: { language?: string };
  'x-syndication'?: { storyId?: string; versionId?: string };
  story_id?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startFakeWebhookEndpoint(opts: { name: string; secret: string; logFile: string; behaviour?: Behaviour }): Promise<FakeWebhookEndpoint> {
  writeFileSync(opts.logFile, '');
  const since = Date.now();
  let behaviour = opts.behaviour ?? behaviours.ok();
  let arrivalHook: ((info: ArrivalInfo) => void) | undefined;
  const entries: DeliveryLogEntry[] = [];
  const attempts = new Map<string, number>();
  let arrivals = 0;

  const receiver = await startWebhookReceiver({
    secret: opts.secret,
    respond: async (req: WebhookRequest) => {
      const body = (typeof req.payload === 'object' && req.payload !== null ? req.payload : {}) as SyndicationBody;
      const meta = body['x-syndication'] ?? {};
      const attempt = (attempts.get(req.id) ?? 0) + 1;
      attempts.set(req.id, attempt);
      arrivals += 1;
      const info: ArrivalInfo = { webhookId: req.id, storyId: meta.storyId ?? body.story_id ?? '', attempt, arrival: arrivals };
      const action = behaviour(info);
      const entry: DeliveryLogEntry = {
        at: Date.now(),
        endpoint: opts.name,
        kind: 'webhook',
        deliveryKey: req.id,
        storyId: info.storyId,
        ...(meta.versionId ? { versionId: meta.versionId } : {}),
        ...(body.data?.language ? { language: body.data.language } : {}),
        ...(body.type ? { type: body.type } : {}),
        verified: req.verified,
        answer: 'hang' in action ? 'hang' : action.status,
      };
      // Logged on arrival, before answering: an accepted-then-hung request was still received.
      entries.push(entry);
      appendFileSync(opts.logFile, `${JSON.stringify(entry)}\n`);
      arrivalHook?.(info);
      if ('hang' in action) return new Promise<never>(() => undefined);
      if (action.delayMs) await sleep(action.delayMs);
      return { status: action.status, headers: action.headers ?? {}, body: '' };
    },
  });
  return {
    name: opts.name,
    since,
    url: receiver.url,
    secret: opts.secret,
    logFile: opts.logFile,
    entries,
    setBehaviour: (b) => {
      behaviour = b;
    },
    onArrival: (fn) => {
      arrivalHook = fn;
    },
    stop: () => receiver.stop(),
  };
}

export interface FeedWatcher {
  readonly name: string;
  readonly since: number;
  readonly logFile: string;
  readonly entries: DeliveryLogEntry[];
  /** Polls once more now (e.g. before the final check). */
  pollNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads `<feedUrl>` (a JSON Feed) every `intervalMs` and logs each item id the first time it is
 * listed. Item ids are `urn:syndication:<storyId>:<language>`. Fetch failures (the feed server
 * being killed) are skipped; the next poll catches up as long as the feed's window (50 items)
 * is not overrun between two polls.
 */
export function startFeedWatcher(opts: { name: string; feedUrl: string; logFile: string; intervalMs?: number }): FeedWatcher {
  writeFileSync(opts.logFile, '');
  const since = Date.now();
  const entries: DeliveryLogEntry[] = [];
  const seen = new Set<string>();
  let stopped = false;
  let running: Promise<void> | undefined;

  const poll = async (): Promise<void> => {
    let items: Array<{ id?: unknown }> = [];
    try {
      const res = await fetch(opts.feedUrl, { signal: AbortSignal.timeout(3_000) });
      if (!res.ok) return;
      items = ((await res.json()) as { items?: Array<{ id?: unknown }> }).items ?? [];
    } catch {
      return;
    }
    const inDocument = new Set<string>();
    for (const item of items) {
      if (typeof item.id !== 'string') continue;
      const m = /^urn:syndication:([^:]+):(.+)$/.exec(item.id);
      const repeated = inDocument.has(item.id);
      inDocument.add(item.id);
      if (seen.has(item.id) && !repeated) continue;
      seen.add(item.id);
      const entry: DeliveryLogEntry = {
        at: Date.now(),
        endpoint: opts.name,
        kind: 'feed',
        deliveryKey: item.id,
        storyId: m?.[1] ?? '',
        ...(m?.[2] ? { language: m[2] } : {}),
        verified: true,
        answer: 'seen',
        ...(repeated ? { repeatedInDocument: true } : {}),
      };
      entries.push(entry);
      appendFileSync(opts.logFile, `${JSON.stringify(entry)}\n`);
    }
  };
  const pollOnce = (): Promise<void> => (running ??= poll().finally(() => (running = undefined)));
  const loop = async (): Promise<void> => {
    while (!stopped) {
      await pollOnce();
      await sleep(opts.intervalMs ?? 250);
    }
  };
  const looping = loop();
  return {
    name: opts.name,
    since,
    logFile: opts.logFile,
    entries,
    pollNow: pollOnce,
    stop: async () => {
      stopped = true;
      await looping;
    },
  };
}
