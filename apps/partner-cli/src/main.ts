/**
 * The partner CLI: what a wire partner (and our own checks) use against a running system.
 *
 *   npm run -s cli -- push <file> [--json] [--type <content-type>] [--id <story-id>] [--story-version N]
 *   npm run -s cli -- status <id> [--json]
 *   npm run -s cli -- wait <id> [--json] [--timeout <seconds>]
 *
 * Target: SYNDICATION_URL (default http://127.0.0.1:<INTAKE_PORT or 3000>). Credentials:
 * SYNDICATION_API_KEY or --key; without either, the demo partner's key that `npm start` creates.
 * With a signing key every request is signed instead (scheme v1, see sign.ts and the README):
 * --sign-key-id / SYNDICATION_SIGNING_KEY_ID plus either --sign-secret / SYNDICATION_SIGNING_SECRET
 * (HMAC) or --sign-private-key / SYNDICATION_SIGNING_PRIVATE_KEY (path to an Ed25519 PEM).
 * `wait` follows the story's live event stream (SSE) and re-reads the status on each event,
 * falling back to polling if the stream drops.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_API_KEY } from './demo';
import { signatureHeaders, type SigningKey } from './sign';

interface Args {
  command: string;
  target?: string;
  json: boolean;
  flags: Record<string, string>;
}

function parseCli(argv: string[]): Args {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      key: { type: 'string' },
      type: { type: 'string' },
      id: { type: 'string' },
      'story-version': { type: 'string' },
      timeout: { type: 'string' },
      'sign-key-id': { type: 'string' },
      'sign-secret': { type: 'string' },
      'sign-private-key': { type: 'string' },
    },
  });
  const [command = 'help', target] = positionals;
  const { json, ...rest } = values;
  const flags = Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { command, target, json: json === true, flags };
}

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/ninjs+json',
};

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

function baseUrl(): string {
  return (process.env['SYNDICATION_URL'] ?? `http://127.0.0.1:${process.env['INTAKE_PORT'] ?? 3000}`).replace(/\/$/, '');
}

/** How requests prove who sends them: a signing key when one is given, else a bearer API key. */
type Credentials = { apiKey: string } | { signing: SigningKey };

function credentials(flags: Record<string, string>): Credentials {
  const keyId = flags['sign-key-id'] ?? process.env['SYNDICATION_SIGNING_KEY_ID'];
  const secret = flags['sign-secret'] ?? process.env['SYNDICATION_SIGNING_SECRET'];
  const pemPath = flags['sign-private-key'] ?? process.env['SYNDICATION_SIGNING_PRIVATE_KEY'];
  if (!keyId) {
    if (secret || pemPath) throw new CliError('a signing secret or private key needs --sign-key-id (or SYNDICATION_SIGNING_KEY_ID)', 2);
    return { apiKey: flags['key'] ?? process.env['SYNDICATION_API_KEY'] ?? DEMO_API_KEY };
  }
  if (secret && pemPath) throw new CliError('give either a signing secret (HMAC) or a private key (Ed25519), not both', 2);
  if (secret) return { signing: { keyId, hmacSecret: secret } };
  if (!pemPath) throw new CliError('--sign-key-id needs --sign-secret (HMAC) or --sign-private-key (Ed25519 PEM file)', 2);
  try {
    return { signing: { keyId, privateKey: readFileSync(pemPath, 'utf8') } };
  } catch (err) {
    throw new CliError(`cannot read ${pemPath}: ${(err as Error).message}`, 2);
  }
}

/** Authorization or signature headers for one request (signed afresh each time: new nonce). */
function authHeaders(creds: Credentials, method: string, path: string, headers: Record<string, string>, body?: Buffer): Record<string, string> {
  if ('apiKey' in creds) return { authorization: `Bearer ${creds.apiKey}` };
  return signatureHeaders(creds.signing, { method, target: path, headers, ...(body ? { body } : {}) });
}

async function request(path: string, init: { method: string; body?: Buffer; headers?: Record<string, string>; creds: Credentials }): Promise<{ status: number; body: unknown }> {
  let res: Response;
  const headers = init.headers ?? {};
  try {
    res = await fetch(`${baseUrl()}${path}`, {
      method: init.method,
      ...(init.body ? { body: init.body } : {}),
      headers: { ...headers, ...authHeaders(init.creds, init.method, path, headers, init.body) },
    });
  } catch (err) {
    throw new CliError(`cannot reach ${baseUrl()} (${(err as Error).cause ?? (err as Error).message}); is the system running? (npm start)`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  if (res.status >= 400) {
    const p = body as { title?: string; detail?: string; code?: string; errors?: Array<{ pointer: string; message: string }> };
    const where = p.errors?.map((e) => ` at ${e.pointer}: ${e.message}`).join(';') ?? '';
    throw new CliError(`${res.status} ${p.code ?? ''} ${p.detail ?? p.title ?? text}${where}`.trim());
  }
  return { status: res.status, body };
}

interface StoryView {
  id: string;
  status: string;
  settled: boolean;
  versions: Array<{
    version: number;
    headline: string;
    language: string;
    stages: Record<string, string>;
    translations: Array<{ language: string; status: string; headline: string | null }>;
    tags: Array<{ kind: string; label: string; code: string }>;
    deliveries: Array<{ channel: string; language: string; status: string; last_error: string | null }>;
  }>;
}

function printStory(view: StoryView): void {
  const v = view.versions[0];
  process.stdout.write(`story ${view.id}: ${view.status}\n`);
  if (!v) return;
  process.stdout.write(`  v${v.version} [${v.language}] ${v.headline}\n`);
  process.stdout.write(`  stages: ${Object.entries(v.stages).map(([k, s]) => `${k}=${s}`).join(' ')}\n`);
  for (const t of v.translations) process.stdout.write(`  translation ${t.language}: ${t.status}${t.headline ? ` — ${t.headline}` : ''}\n`);
  const tags = v.tags.filter((t) => t.kind !== 'keyword').map((t) => `${t.label} (${t.kind})`);
  if (tags.length) process.stdout.write(`  tags: ${tags.join(', ')}\n`);
  for (const d of v.deliveries) {
    process.stdout.write(`  delivery ${d.channel} [${d.language}]: ${d.status}${d.last_error ? ` (${d.last_error})` : ''}\n`);
  }
}

async function status(id: string, creds: Credentials): Promise<StoryView> {
  return (await request(`/v1/stories/${encodeURIComponent(id)}`, { method: 'GET', creds })).body as StoryView;
}

/** Resolves on the next pipeline event for the story (or after `ms`), whichever is first. */
async function nextEvent(id: string, creds: Credentials, ms: number): Promise<void> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), ms);
  try {
    const path = `/v1/stories/${encodeURIComponent(id)}/events`;
    const res = await fetch(`${baseUrl()}${path}`, {
      headers: { ...authHeaders(creds, 'GET', path, {}), accept: 'text/event-stream' },
      signal: ctrl.signal,
    });
    const reader = res.body?.getReader();
    if (!reader) return;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (new TextDecoder().decode(value).includes('event: stage')) return;
    }
  } catch {
    /* timeout or dropped stream: the caller re-reads the status anyway */
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseCli(process.argv.slice(2));
  } catch (err) {
    throw new CliError((err as Error).message, 2);
  }
  const creds = credentials(args.flags);
  switch (args.command) {
    case 'push': {
      if (!args.target) throw new CliError('usage: push <file> [--json] [--type <content-type>]', 2);
      let body: Buffer;
      try {
        body = readFileSync(args.target);
      } catch (err) {
        throw new CliError(`cannot read ${args.target}: ${(err as Error).message}`, 2);
      }
      const type = args.flags['type'] ?? CONTENT_TYPES[extname(args.target).toLowerCase()] ?? 'text/plain; charset=utf-8';
      const headers: Record<string, string> = { 'content-type': type };
      if (args.flags['id']) headers['x-story-id'] = args.flags['id'];
      if (args.flags['story-version']) headers['x-story-version'] = args.flags['story-version'];
      const res = await request('/v1/stories', { method: 'POST', body, headers, creds });
      const out = res.body as { id: string; status_url: string; status: string };
      if (args.json) process.stdout.write(`${JSON.stringify({ id: out.id, status_url: out.status_url, status: out.status })}\n`);
      else process.stdout.write(`${out.status}: ${out.id}\n${out.status_url}\n`);
      return;
    }
    case 'status': {
      if (!args.target) throw new CliError('usage: status <id> [--json]', 2);
      const view = await status(args.target, creds);
      if (args.json) process.stdout.write(`${JSON.stringify(view)}\n`);
      else printStory(view);
      return;
    }
    case 'wait': {
      if (!args.target) throw new CliError('usage: wait <id> [--json] [--timeout <seconds>]', 2);
      const deadline = Date.now() + Number(args.flags['timeout'] ?? 120) * 1000;
      let view = await status(args.target, creds);
      while (!view.settled && Date.now() < deadline) {
        await nextEvent(args.target, creds, Math.min(2_000, Math.max(0, deadline - Date.now())));
        view = await status(args.target, creds);
      }
      if (args.json) process.stdout.write(`${JSON.stringify(view)}\n`);
      else printStory(view);
      if (!view.settled) throw new CliError(`timed out: story ${view.id} is still ${view.status}`, 3);
      return;
    }
    default:
      process.stdout.write(
        'usage: cli push <file> | status <id> | wait <id>   [--json] [--key <key_id.secret>]\n' +
          '       signed: --sign-key-id <id> (--sign-secret <hmac secret> | --sign-private-key <ed25519.pem>)\n',
      );
      if (args.command !== 'help') process.exitCode = 2;
  }
}

main().catch((err: unknown) => {
  const e = err instanceof CliError ? err : new CliError((err as Error).message);
  process.stderr.write(`error: ${e.message}\n`);
  process.exitCode = e.exitCode;
});
