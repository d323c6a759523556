/**
 * Google Cloud Translation v3 adapter: `POST {base}/v3/projects/{project}/locations/{location}:translateText`
 * with `{contents[], sourceLanguageCode, targetLanguageCode, mimeType}` and an OAuth bearer token,
 * answering `{translations: [{translatedText}]}`; `GET .../supportedLanguages` lists languages.
 * OAuth access tokens come from a token source: a fixed token (minted outside the platform), or
 * a token endpoint speaking the GCE metadata server protocol (Cloud Run, GKE and GCE serve one;
 * a token broker can too). Tokens are cached until shortly before they expire, and a 401
 * UNAUTHENTICATED (a token revoked or expired early) refreshes the token and retries once.
 * Minting tokens from a service-account key is deployment plumbing, not translation.
 */
import type { LanguageCode } from '@syndication/contracts';
import { CachedLookup, requestJson, trimSlash } from './http';
import {
  TranslationProviderError,
  batchByLimits,
  type ProviderLimits,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationResponse,
} from './provider';

/** Gives an access token; `refresh` asks for a new one (the last one was refused). */
export type AccessTokenSource = (refresh: boolean) => Promise<string>;

export interface GoogleTranslateOptions {
  /** Default https://translation.googleapis.com */
  baseUrl?: string;
  project: string;
  location?: string;
  /** A fixed token, or `tokenSource`. */
  accessToken?: string;
  tokenSource?: AccessTokenSource;
  timeoutMs?: number;
}

/**
 * Tokens from a metadata-server style endpoint: `GET <url>` with `Metadata-Flavor: Google`,
 * answering `{access_token, expires_in, token_type}`. Cached until a minute before expiry.
 */
export function metadataTokenSource(url: string, timeoutMs = 10_000): AccessTokenSource {
  let cached: { token: string; until: number } | undefined;
  let inFlight: Promise<string> | undefined;
  const fetchToken = async (): Promise<string> => {
    const body = await requestJson<{ access_token?: unknown; expires_in?: unknown }>('google', url, {
      method: 'GET',
      headers: { 'metadata-flavor': 'Google' },
      timeoutMs,
    });
    if (typeof body.access_token !== 'string' || !body.access_token) {
      throw new TranslationProviderError('google', 'token endpoint answered without access_token', { retryable: true });
    }
    const ttl = typeof body.expires_in === 'number' ? body.expires_in : 300;
    cached = { token: body.access_token, until: Date.now() + Math.max(0, ttl - 60) * 1000 };
    return body.access_token;
  };
  return async (refresh) => {
    if (!refresh && cached && Date.now() < cached.until) return cached.token;
    // Concurrent calls share one token request.
    inFlight ??= fetchToken().finally(() => (inFlight = undefined));
    return inFlight;
  };
}

interface GoogleLanguage {
  languageCode?: string;
  supportSource?: boolean;
  supportTarget?: boolean;
}

export class GoogleTranslateProvider implements TranslationProvider {
  readonly name = 'google';
  /** Google's documented ceiling: 1024 strings and 30k code points per request (recommended 5k). */
  readonly limits: ProviderLimits = { maxSegments: 1024, maxCharsPerCall: 30_000, multiTarget: false, html: true };
  private readonly parent: string;
  private readonly timeoutMs: number;
  private readonly languages: CachedLookup<{ source: Set<string>; target: Set<string> }>;
  private readonly tokens: AccessTokenSource;

  constructor(private readonly opts: GoogleTranslateOptions) {
    const fixed = opts.accessToken;
    if (!opts.tokenSource && !fixed) throw new Error('google: an access token or a token source is required');
    this.tokens = opts.tokenSource ?? (async () => fixed!);
    const base = trimSlash(opts.baseUrl ?? 'https://translation.googleapis.com');
    this.parent = `${base}/v3/projects/${encodeURIComponent(opts.project)}/locations/${encodeURIComponent(opts.location ?? 'global')}`;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.languages = new CachedLookup(async () => {
      const body = await this.authed((headers) =>
        requestJson<{ languages?: GoogleLanguage[] }>(this.name, `${this.parent}/supportedLanguages`, { method: 'GET', headers, timeoutMs: this.timeoutMs }),
      );
      if (!Array.isArray(body.languages)) throw new TranslationProviderError(this.name, 'malformed supportedLanguages answer', { retryable: true });
      const source = new Set(body.languages.filter((l) => l.supportSource).map((l) => String(l.languageCode)));
      const target = new Set(body.languages.filter((l) => l.supportTarget).map((l) => String(l.languageCode)));
      return { source, target };
    });
  }

  async supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    const langs = await this.languages.get();
    return langs.source.has(source) && langs.target.has(target);
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const out: string[] = [];
    for (const batch of batchByLimits(req.segments, this.limits)) {
      const contents = batch.map((i) => req.segments[i] ?? '');
      const body = await this.authed((headers) =>
        requestJson<{ translations?: Array<{ translatedText?: unknown }> }>(
          this.name,
          `${this.parent}:translateText`,
          {
            method: 'POST',
            headers,
            body: { contents, sourceLanguageCode: req.source, targetLanguageCode: req.target, mimeType: 'text/plain' },
            timeoutMs: this.timeoutMs,
          },
          // Google reports both rate limits and spent quotas as 429 RESOURCE_EXHAUSTED; only the
          // message tells a per-day quota ("per day") from a per-minute rate.
          (status, text) => status === 429 && /per day|daily/iu.test(text),
        ),
      );
      const translations = body.translations;
      if (!Array.isArray(translations) || translations.length !== contents.length || translations.some((t) => typeof t.translatedText !== 'string')) {
        throw new TranslationProviderError(this.name, 'answer does not match the request texts', { retryable: true });
      }
      out.push(...translations.map((t) => t.translatedText as string));
    }
    return { segments: out };
  }

  /** One request with the current token; a 401 gets one retry with a fresh token. */
  private async authed<T>(request: (headers: Record<string, string>) => Promise<T>): Promise<T> {
    const headers = (token: string) => ({ authorization: `Bearer ${token}`, 'x-goog-user-project': this.opts.project });
    const token = await this.tokens(false);
    try {
      return await request(headers(token));
    } catch (err) {
      if (!(err instanceof TranslationProviderError) || err.status !== 401) throw err;
      const fresh = await this.tokens(true);
      // A fixed token cannot get better by asking again.
      if (fresh === token) throw err;
      return request(headers(fresh));
    }
  }
}
