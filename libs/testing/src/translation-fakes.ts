/**
 * Local fakes of the hosted translation engines, each speaking that engine's real HTTP protocol
 * (paths, auth headers, request and answer shapes, error bodies), on 127.0.0.1. Contract tests
 * point the real adapters at them; integration tests count the requests a story causes; the bench
 * can use them as zero-cost engines. They "translate" deterministically (`[uk] text`), keeping
 * placeholders and markup, unless a test scripts a failure or its own translation.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeEngineKind = 'deepl' | 'libretranslate' | 'google' | 'azure' | 'openai';

export interface FakeCall {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** Answer only after this long (an engine that hangs). */
  delayMs?: number;
}

/** One translate request as the engine understood it. */
export interface FakeTranslation {
  source: string;
  targets: string[];
  texts: string[];
}

export interface FakeEngineOptions {
  /** Credential the fake demands (DeepL auth key, API key, bearer token, subscription key). */
  key?: string;
  /** Google only: the project in the path. */
  project?: string;
  /** Languages offered (ISO 639-1 as the engine spells them). */
  languages?: string[];
  /** The "engine": default `[target] text`. */
  translate?: (text: string, source: string, target: string) => string;
  /** Delay before answering each request. */
  latencyMs?: number;
}

export interface FakeEngine {
  kind: FakeEngineKind;
  /** Base URL to configure the adapter with (for openai it includes /v1). */
  url: string;
  calls: FakeCall[];
  translations: FakeTranslation[];
  /** Characters received in translate requests (summed over texts, once per request). */
  charsReceived(): number;
  /** The next translate requests get these replies instead (in order). */
  failNext(...replies: FakeReply[]): void;
  /** The engine's own 429 with Retry-After. */
  rateLimited(retryAfterSeconds: number): FakeReply;
  /** The engine's own "quota spent" answer. */
  quotaExceeded(): FakeReply;
  /** Most translate requests the engine was working on at once (with `latencyMs`). */
  maxInFlight(): number;
  /** Changes the delay before each answer. */
  setLatency(ms: number): void;
  /** The next translate requests are answered normally, but only after `ms` (a slow or hung engine). */
  delayNext(ms: number, count?: number): void;
  /**
   * Google only: the metadata-server token endpoint (`Metadata-Flavor: Google`) issuing fresh
   * bearer tokens, and a way to expire every token issued so far (they then get 401).
   */
  tokenUrl: string;
  expireTokens(): void;
  reset(): void;
  stop(): Promise<void>;
}

const DEFAULT_LANGUAGES = ['ru', 'uk', 'en', 'es', 'de', 'fr', 'kk', 'mn', 'be', 'ca'];

export async function startFakeEngine(kind: FakeEngineKind, opts: FakeEngineOptions = {}): Promise<FakeEngine> {
  const key = opts.key ?? 'test-key';
  const project = opts.project ?? 'test-project';
  const languages = opts.languages ?? DEFAULT_LANGUAGES;
  const translateText = opts.translate ?? ((text: string, _s: string, target: string) => `[${target}] ${text}`);
  const calls: FakeCall[] = [];
  const translations: FakeTranslation[] = [];
  let scripted: FakeReply[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let latencyMs = opts.latencyMs ?? 0;
  let delays: number[] = [];
  const tokens = { valid: new Set<string>(), issued: 0 };

  const engine = PROTOCOLS[kind]({ key, project, languages, translateText, translations, tokens });
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const call: FakeCall = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
      calls.push(call);
      const translate = engine.isTranslate(call);
      const reply = translate && scripted.length ? scripted.shift()! : engine.handle(call);
      const delay = reply.delayMs ?? (translate && delays.length ? delays.shift()! : latencyMs);
      if (translate) maxInFlight = Math.max(maxInFlight, ++inFlight);
      const send = () => {
        if (translate) inFlight -= 1;
        const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
        res.end(payload);
      };
      if (delay) setTimeout(send, delay);
      else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    kind,
    url: kind === 'openai' ? `${base}/v1` : base,
    calls,
    translations,
    charsReceived: () => translations.reduce((n, t) => n + t.texts.reduce((m, x) => m + x.length, 0), 0),
    failNext: (...replies) => scripted.push(...replies),
    rateLimited: (s) => ({ ...engine.rateLimited, headers: { 'retry-after': String(s) } }),
    quotaExceeded: () => engine.quotaExceeded,
    maxInFlight: () => maxInFlight,
    setLatency: (ms) => (latencyMs = ms),
    delayNext: (ms, count = 1) => delays.push(...Array.from({ length: count }, () => ms)),
    tokenUrl: `${base}${GOOGLE_TOKEN_PATH}`,
    expireTokens: () => tokens.valid.clear(),
    reset: () => {
      calls.length = 0;
      translations.length = 0;
      scripted = [];
      delays = [];
      maxInFlight = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The GCE metadata server's token path (what Cloud Run, GKE and GCE serve). */
const GOOGLE_TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';

interface Ctx {
  /** Google: bearer tokens issued by the fake token endpoint and still valid. */
  tokens: { valid: Set<string>; issued: number };
  key: string;
  project: string;
  languages: string[];
  translateText: (text: string, source: string, target: string) => string;
  translations: FakeTranslation[];
}

interface Protocol {
  isTranslate(call: FakeCall): boolean;
  handle(call: FakeCall): FakeReply;
  rateLimited: FakeReply;
  quotaExceeded: FakeReply;
}

const json = (status: number, body: unknown): FakeReply => ({ status, body });

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const PROTOCOLS: Record<FakeEngineKind, (ctx: Ctx) => Protocol> = {
  /** DeepL API v2: form-encoded, `Authorization: DeepL-Auth-Key <key>`, 429 / 456. */
  deepl: (ctx) => ({
    isTranslate: (c) => c.path === '/v2/translate',
    rateLimited: json(429, { message: 'Too many requests' }),
    quotaExceeded: json(456, { message: 'Quota Exceeded' }),
    handle(c) {
      if (c.headers.authorization !== `DeepL-Auth-Key ${ctx.key}`) return json(403, { message: 'Wrong endpoint. Use https://api.deepl.com' });
      if (c.path === '/v2/languages') {
        const target = (c.query.get('type') ?? new URLSearchParams(c.body).get('type')) === 'target';
        return json(
          200,
          ctx.languages.flatMap((l) =>
            target && l === 'en' ? [{ language: 'EN-GB', name: 'English (British)' }, { language: 'EN-US', name: 'English (American)' }] : [{ language: l.toUpperCase(), name: l }],
          ),
        );
      }
      if (c.path === '/v2/translate' && c.method === 'POST') {
        const form = new URLSearchParams(c.body);
        const texts = form.getAll('text');
        const target = form.get('target_lang') ?? '';
        const source = form.get('source_lang') ?? '';
        if (!texts.length || !target) return json(400, { message: "Value for 'text' not supplied." });
        if (target.toLowerCase() === 'en') return json(400, { message: "Value for 'target_lang' not supported." });
        ctx.translations.push({ source, targets: [target], texts });
        return json(200, {
          translations: texts.map((t) => ({ detected_source_language: source.toUpperCase(), text: ctx.translateText(t, source.toLowerCase(), target.toLowerCase()), billed_characters: t.length })),
        });
      }
      return json(404, { message: 'Not found' });
    },
  }),

  /** LibreTranslate: JSON `{q, source, target, format, api_key}`; 403 bad key; 429 slow down. */
  libretranslate: (ctx) => ({
    isTranslate: (c) => c.path === '/translate',
    rateLimited: json(429, { error: 'Too many request limits violations' }),
    quotaExceeded: json(403, { error: 'Monthly character quota exceeded for this API key' }),
    handle(c) {
      if (c.path === '/languages' && c.method === 'GET') {
        return json(200, ctx.languages.map((l) => ({ code: l, name: l, targets: ctx.languages.filter((t) => t !== l) })));
      }
      if (c.path === '/translate' && c.method === 'POST') {
        const body = (parseJson(c.body) ?? Object.fromEntries(new URLSearchParams(c.body))) as { q?: unknown; source?: string; target?: string; api_key?: string };
        if (body.api_key !== ctx.key) return json(403, { error: 'Invalid API key' });
        if (!body.source || !body.target || body.q === undefined) return json(400, { error: 'Invalid request: missing q, source or target' });
        if (!ctx.languages.includes(body.target)) return json(400, { error: `${body.target} is not supported` });
        const texts = Array.isArray(body.q) ? body.q.map(String) : [String(body.q)];
        ctx.translations.push({ source: body.source, targets: [body.target], texts });
        const out = texts.map((t) => ctx.translateText(t, body.source!, body.target!));
        return json(200, { translatedText: Array.isArray(body.q) ? out : out[0] });
      }
      return json(404, { error: 'Not Found' });
    },
  }),

  /** Google Cloud Translation v3: bearer token, `projects/{p}/locations/{l}:translateText`. */
  google: (ctx) => {
    const prefix = `/v3/projects/${ctx.project}/locations/global`;
    const gError = (code: number, status: string, message: string) => json(code, { error: { code, message, status } });
    return {
      isTranslate: (c) => c.path === `${prefix}:translateText`,
      rateLimited: gError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'v3 general requests' and limit 'requests per minute'"),
      quotaExceeded: gError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'v3 general characters' and limit 'Number of characters per day'"),
      handle(c) {
        if (c.path === GOOGLE_TOKEN_PATH && c.method === 'GET') {
          // The metadata server refuses requests without the header (SSRF protection), in plain text.
          if (c.headers['metadata-flavor'] !== 'Google') return { status: 403, headers: { 'content-type': 'text/html' }, body: 'Missing Metadata-Flavor:Google header.' };
          const token = `ya29.fake-${++ctx.tokens.issued}`;
          ctx.tokens.valid.add(token);
          return json(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
        }
        const bearer = /^Bearer (.+)$/u.exec(c.headers.authorization ?? '')?.[1];
        if (bearer !== ctx.key && !(bearer && ctx.tokens.valid.has(bearer))) {
          return {
            status: 401,
            headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
            body: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', status: 'UNAUTHENTICATED' } },
          };
        }
        if (c.path === `${prefix}/supportedLanguages` && c.method === 'GET') {
          return json(200, { languages: ctx.languages.map((l) => ({ languageCode: l, supportSource: true, supportTarget: true })) });
        }
        if (c.path === `${prefix}:translateText` && c.method === 'POST') {
          const body = parseJson(c.body) as { contents?: string[]; sourceLanguageCode?: string; targetLanguageCode?: string; mimeType?: string } | undefined;
          if (!body?.contents?.length || !body.targetLanguageCode) return gError(400, 'INVALID_ARGUMENT', 'Empty contents or target language.');
          if (body.contents.length > 1024) return gError(400, 'INVALID_ARGUMENT', 'Too many contents.');
          const source = body.sourceLanguageCode ?? '';
          ctx.translations.push({ source, targets: [body.targetLanguageCode], texts: body.contents });
          return json(200, { translations: body.contents.map((t) => ({ translatedText: ctx.translateText(t, source, body.targetLanguageCode!) })) });
        }
        return gError(404, 'NOT_FOUND', 'Method not found.');
      },
    };
  },

  /** Azure Translator v3: `Ocp-Apim-Subscription-Key`, several `to=` per call, `[{Text}]`. */
  azure: (ctx) => {
    const aError = (status: number, code: number, message: string) => json(status, { error: { code, message } });
    return {
      isTranslate: (c) => c.path === '/translate',
      rateLimited: aError(429, 429001, 'The server rejected the request because the client has exceeded request limits.'),
      quotaExceeded: aError(403, 403001, "The operation isn't allowed because the subscription has exceeded its free quota."),
      handle(c) {
        if (c.query.get('api-version') !== '3.0') return aError(400, 400021, 'The API version parameter is missing or invalid.');
        if (c.path === '/languages' && c.method === 'GET') {
          return json(200, { translation: Object.fromEntries(ctx.languages.map((l) => [l, { name: l, nativeName: l, dir: 'ltr' }])) });
        }
        if (c.headers['ocp-apim-subscription-key'] !== ctx.key) return aError(401, 401000, 'The request is not authorized because credentials are missing or invalid.');
        if (c.path === '/translate' && c.method === 'POST') {
          const targets = c.query.getAll('to');
          const source = c.query.get('from') ?? '';
          const items = parseJson(c.body) as Array<{ Text?: string }> | undefined;
          if (!targets.length) return aError(400, 400036, 'The target language is not valid.');
          if (!Array.isArray(items) || items.length > 1000) return aError(400, 400074, 'The body of the request is not valid JSON.');
          const texts = items.map((i) => String(i.Text ?? ''));
          ctx.translations.push({ source, targets, texts });
          return json(200, texts.map((t) => ({ translations: targets.map((to) => ({ text: ctx.translateText(t, source, to), to })) })));
        }
        return aError(404, 404001, 'The requested resource was not found.');
      },
    };
  },

  /** OpenAI-compatible chat completions: bearer key; the user message is the JSON array. */
  openai: (ctx) => {
    const oError = (status: number, code: string, message: string) => json(status, { error: { message, type: code, code } });
    return {
      isTranslate: (c) => c.path === '/v1/chat/completions',
      rateLimited: oError(429, 'rate_limit_exceeded', 'Rate limit reached for requests'),
      quotaExceeded: oError(429, 'insufficient_quota', 'You exceeded your current quota, please check your plan and billing details.'),
      handle(c) {
        if (c.headers.authorization !== `Bearer ${ctx.key}`) return oError(401, 'invalid_api_key', 'Incorrect API key provided.');
        if (c.path === '/v1/chat/completions' && c.method === 'POST') {
          const body = parseJson(c.body) as { model?: string; messages?: Array<{ role: string; content: string }> } | undefined;
          const system = body?.messages?.find((m) => m.role === 'system')?.content ?? '';
          const user = body?.messages?.find((m) => m.role === 'user')?.content ?? '';
          const texts = parseJson(user);
          if (!body?.model || !Array.isArray(texts)) return oError(400, 'invalid_request_error', 'messages must hold a system and a user message');
          const names: Record<string, string> = { Russian: 'ru', English: 'en', Ukrainian: 'uk', Spanish: 'es', German: 'de', French: 'fr', Kazakh: 'kk' };
          const m = /from (\w+) to (\w+)/u.exec(system);
          const source = names[m?.[1] ?? ''] ?? '?';
          const target = names[m?.[2] ?? ''] ?? '?';
          ctx.translations.push({ source, targets: [target], texts: texts.map(String) });
          const content = JSON.stringify({ translations: texts.map((t) => ctx.translateText(String(t), source, target)) });
          return json(200, {
            id: 'chatcmpl-fake',
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
          });
        }
        return oError(404, 'not_found', 'Unknown path');
      },
    };
  },
};
