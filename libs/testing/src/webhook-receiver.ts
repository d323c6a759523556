/**
 * A real Standard Webhooks endpoint on loopback, for e2e tests and the `npm start` demo's partner.
 * It verifies every request with the reference `standardwebhooks` library (not our own code), so a
 * test that passes here proves interoperability rather than agreement with ourselves.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  /** `webhook-id` header; '' when absent. */
  id: string;
  /** `webhook-timestamp` header; '' when absent. */
  timestamp: string;
  verified: boolean;
  /** Parsed JSON when the body is JSON, else the raw text. */
  payload: unknown;
  receivedAt: number;
}

/** What `respond` sees: the verified request plus how many times this id arrived before. */
export interface WebhookRequest extends ReceivedWebhook {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** 1 for the first arrival of this webhook-id, 2 for the first retry, ... */
  attempt: number;
}

export interface WebhookResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiverOptions {
  secret: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Called for verified requests only; a bad signature always gets 400. Default: 204. */
  respond?: (req: WebhookRequest) => WebhookResponse | Promise<WebhookResponse>;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

export async function startWebhookReceiver(opts: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const verifier = new Webhook(opts.secret);
  const received: ReceivedWebhook[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413).end();
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = flattenHeaders(req.headers);
      const id = headers['webhook-id'] ?? '';
      let verified = true;
      try {
        verifier.verify(body, headers, { jsonParse: false });
      } catch {
        verified = false;
      }
      const record: ReceivedWebhook = {
        id,
        timestamp: headers['webhook-timestamp'] ?? '',
        verified,
        payload: parseBody(body),
        receivedAt: Date.now(),
      };
      const attempt = received.filter((r) => r.verified && r.id === id).length + 1;
      received.push(record);

      if (!verified) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid signature');
        return;
      }
      const request: WebhookRequest = {
        ...record,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        attempt,
      };
      Promise.resolve()
        .then(() => (opts.respond ? opts.respond(request) : { status: 204 }))
        .then(
          (answer) => {
            if (!res.destroyed) res.writeHead(answer.status, answer.headers).end(answer.body);
          },
          () => {
            if (!res.destroyed) res.writeHead(500).end();
          },
        );
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    received,
    // Idempotent, so a test can stop early and still leave the afterEach hook in place.
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Tests park requests (accept-then-hang); drop them instead of waiting for them.
        server.closeAllConnections();
      })),
  };
}

/** Distinct verified `webhook-id`s in order of first arrival: what a deduping receiver acts on. */
export function uniqueIds(received: readonly ReceivedWebhook[]): string[] {
  return [...new Set(received.filter((r) => r.verified).map((r) => r.id))];
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
