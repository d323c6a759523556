/**
 * A local Mastodon instance for the statuses API as documented
 * (https://docs.joinmastodon.org/methods/statuses/): create with `Idempotency-Key` (a repeated key
 * returns the status it created), edit with PUT, delete with DELETE, Bearer token checked, the
 * instance's `max_characters` enforced (URLs count 23), and `/api/v2/instance` for the limit.
 * Scripted faults: an error status, or a hang.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeStatus {
  id: string;
  text: string;
  visibility: string;
  language?: string;
  edits: number;
  deleted: boolean;
  idempotencyKey?: string;
}

export type FakeMastodonFault = { kind: 'error'; status: number; headers?: Record<string, string> } | { kind: 'hang'; ms: number };

export interface FakeMastodon {
  url: string;
  statuses: FakeStatus[];
  requests: Array<{ method: string; path: string; idempotencyKey?: string }>;
  visible(): FakeStatus[];
  failNext(...faults: FakeMastodonFault[]): void;
  stop(): Promise<void>;
}

export async function startFakeMastodon(opts: { token: string; maxCharacters?: number }): Promise<FakeMastodon> {
  const max = opts.maxCharacters ?? 500;
  const statuses: FakeStatus[] = [];
  const requests: FakeMastodon['requests'] = [];
  const faults: FakeMastodonFault[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 110_000_000_000_000_000n;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      const path = (req.url ?? '').split('?')[0] ?? '';
      const key = req.headers['idempotency-key'];
      requests.push({ method: req.method ?? '', path, ...(typeof key === 'string' ? { idempotencyKey: key } : {}) });
      if (req.method === 'GET' && path === '/api/v2/instance') return send(200, { configuration: { statuses: { max_characters: max, characters_reserved_per_url: 23 } } });
      if (req.headers.authorization !== `Bearer ${opts.token}`) return send(401, { error: 'The access token is invalid' });
      const fault = faults.shift();
      if (fault?.kind === 'error') return send(fault.status, { error: `fault ${fault.status}` }, fault.headers);
      if (fault?.kind === 'hang') {
        const t = setTimeout(() => res.destroy(), fault.ms);
        timers.add(t);
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return send(400, { error: 'invalid JSON' });
      }
      const view = (s: FakeStatus) => ({ id: s.id, url: `http://127.0.0.1/@wire/${s.id}`, content: `<p>${s.text}</p>`, visibility: s.visibility, language: s.language ?? null });
      const tooLong = (text: string) => text.replace(/https?:\/\/\S+/g, 'x'.repeat(23)).length > max;
      if (req.method === 'POST' && path === '/api/v1/statuses') {
        if (typeof key === 'string') {
          const seen = statuses.find((s) => s.idempotencyKey === key);
          if (seen) return send(200, view(seen));
        }
        const text = String(body['status'] ?? '');
        if (!text.trim()) return send(422, { error: "Validation failed: Text can't be blank" });
        if (tooLong(text)) return send(422, { error: `Validation failed: Text character limit of ${max} exceeded` });
        const s: FakeStatus = {
          id: String(nextId++),
          text,
          visibility: String(body['visibility'] ?? 'public'),
          edits: 0,
          deleted: false,
          ...(typeof body['language'] === 'string' ? { language: body['language'] } : {}),
          ...(typeof key === 'string' ? { idempotencyKey: key } : {}),
        };
        statuses.push(s);
        return send(200, view(s));
      }
      const m = /^\/api\/v1\/statuses\/(\d+)$/.exec(path);
      const s = m ? statuses.find((x) => x.id === m[1] && !x.deleted) : undefined;
      if (m && !s) return send(404, { error: 'Record not found' });
      if (s && req.method === 'PUT') {
        const text = String(body['status'] ?? '');
        if (tooLong(text)) return send(422, { error: `Validation failed: Text character limit of ${max} exceeded` });
        s.text = text;
        s.edits++;
        return send(200, view(s));
      }
      if (s && req.method === 'DELETE') {
        s.deleted = true;
        return send(200, { ...view(s), text: s.text });
      }
      return send(404, { error: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    statuses,
    requests,
    visible: () => statuses.filter((s) => !s.deleted),
    failNext: (...f) => void faults.push(...f),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
