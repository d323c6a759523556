/**
 * Bench child process: the external providers, faked and instant (plus optional latency).
 *  - a fake Apertium APy speaking APy's HTTP API (GET /listPairs, POST|GET /translate with a
 *    form-encoded `langpair` and `q`, answering `{"responseData":{"translatedText":...}}`), so the
 *    product's real ApertiumProvider runs;
 *  - fake webhook endpoints (one path per channel) answering 204, counting requests per
 *    `webhook-id` for the exactly-once check and verifying a sample of signatures with the
 *    reference `standardwebhooks` library.
 * Runs in its own process so its CPU is not charged to the product or to the load generator.
 * Env: BENCH_FAKE_LATENCY_MS, BENCH_WEBHOOK_SECRETS (JSON {path: secret}). IPC: 'stats' -> stats.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

const latencyMs = Number(process.env['BENCH_FAKE_LATENCY_MS'] ?? '0') || 0;
const secrets = JSON.parse(process.env['BENCH_WEBHOOK_SECRETS'] ?? '{}') as Record<string, string>;
const VERIFY_SAMPLE = 25;

// Every pair among the ISO 639-3 codes the product maps (fake: it "supports" them all).
const CODES = ['rus', 'ukr', 'eng', 'spa', 'bel', 'cat', 'kaz', 'mon', 'fra', 'deu'];
const PAIRS = CODES.flatMap((s) => CODES.filter((t) => t !== s).map((t) => ({ sourceLanguage: s, targetLanguage: t })));
const LIST_PAIRS = JSON.stringify({ responseData: PAIRS, responseDetails: null, responseStatus: 200 });

const apy = { listPairs: 0, translate: 0, chars: 0, badRequests: 0 };

interface PathStats {
  requests: number;
  ids: Map<string, number>;
  verified: number;
  verifyFailed: number;
  verifier?: Webhook;
}
const hooks = new Map<string, PathStats>();
for (const [path, secret] of Object.entries(secrets)) {
  hooks.set(path, { requests: 0, ids: new Map(), verified: 0, verifyFailed: 0, verifier: new Webhook(secret) });
}

/**
 * A "translation" that changes the text the way a ru->uk engine would change letters, keeping its
 * length, punctuation and `⟦n⟧` placeholders: enough for the product's fidelity checks (output
 * identical to the source is rejected as untranslated).
 */
// Latin letters change too, so an English source (en->uk routes) is not "translated" into itself.
const LETTERS: Record<string, string> = { и: 'і', ы: 'и', э: 'е', ё: 'ь', И: 'І', Ы: 'И', Э: 'Е', e: 'є', o: 'о', a: 'а', E: 'Є' };
const fakeTranslate = (q: string): string => q.replace(/[иыэёИЫЭeoaE]/gu, (c) => LETTERS[c] ?? c);

function later(fn: () => void): void {
  if (latencyMs > 0) setTimeout(fn, latencyMs);
  else fn();
}

function readBody(req: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}

function json(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const apyServer = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/listPairs') {
    apy.listPairs += 1;
    later(() => json(res, 200, LIST_PAIRS));
    return;
  }
  if (url.pathname === '/translate') {
    readBody(req, (raw) => {
      const form = req.method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
      const langpair = form.get('langpair') ?? '';
      const q = form.get('q');
      const [from, to] = langpair.split('|');
      if (q === null || !from || !to || !CODES.includes(from) || !CODES.includes(to)) {
        apy.badRequests += 1;
        json(res, 400, JSON.stringify({ status: 'error', code: 400, message: 'Bad Request', explanation: `That pair is not installed: ${langpair}` }));
        return;
      }
      apy.translate += 1;
      apy.chars += q.length;
      later(() => json(res, 200, JSON.stringify({ responseData: { translatedText: fakeTranslate(q) }, responseDetails: null, responseStatus: 200 })));
    });
    return;
  }
  json(res, 404, '{"message":"not found"}');
});

const hookServer = createServer((req, res) => {
  readBody(req, (body) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let stats = hooks.get(path);
    if (!stats) hooks.set(path, (stats = { requests: 0, ids: new Map(), verified: 0, verifyFailed: 0 }));
    stats.requests += 1;
    const id = String(req.headers['webhook-id'] ?? '');
    stats.ids.set(id, (stats.ids.get(id) ?? 0) + 1);
    if (stats.verifier && stats.verified + stats.verifyFailed < VERIFY_SAMPLE) {
      try {
        stats.verifier.verify(body, {
          'webhook-id': id,
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        });
        stats.verified += 1;
      } catch {
        stats.verifyFailed += 1;
      }
    }
    later(() => {
      res.writeHead(204);
      res.end();
    });
  });
});

function listen(server: ReturnType<typeof createServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

process.on('message', (msg: { type?: string }) => {
  if (msg.type !== 'stats') return;
  const webhooks: Record<string, { requests: number; distinct: number; redelivered: number; ids: string[]; verified: number; verifyFailed: number }> = {};
  for (const [path, s] of hooks) {
    webhooks[path] = {
      requests: s.requests,
      distinct: s.ids.size,
      redelivered: [...s.ids.values()].filter((n) => n > 1).length,
      ids: [...s.ids.keys()],
      verified: s.verified,
      verifyFailed: s.verifyFailed,
    };
  }
  process.send?.({ type: 'stats', data: { apy, webhooks } });
});
// The bench owns this process: when it goes away, so do we.
process.on('disconnect', () => process.exit(0));

void (async () => {
  const [apyPort, hookPort] = await Promise.all([listen(apyServer), listen(hookServer)]);
  process.send?.({ type: 'ready', ports: { apy: apyPort, webhooks: hookPort } });
})();
