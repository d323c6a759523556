/**
 * Google Cloud Translation v3 adapter: `POST {base}/v3/projects/{project}/locations/{location}:translateText`
 * with `{contents[], sourceLanguageCode, targetLanguageCode, mimeType}` and an OAuth bearer token,
 * answering `{translations: [{translatedText}]}`; `GET .../supportedLanguages` lists languages.
 * The token is taken as configured (e.g. `gcloud auth print-access-token` or a token broker):
 * minting tokens from a service account is deployment plumbing, not translation.
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

export interface GoogleTranslateOptions {
  /** Default https://translation.googleapis.com */
  baseUrl?: string;
  project: string;
  location?: string;
  accessToken: string;
  timeoutMs?: number;
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

  constructor(private readonly opts: GoogleTranslateOptions) {
    const base = trimSlash(opts.baseUrl ?? 'https://translation.googleapis.com');
    this.parent = `${base}/v3/projects/${encodeURIComponent(opts.project)}/locations/${encodeURIComponent(opts.location ?? 'global')}`;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.languages = new CachedLookup(async () => {
      const body = await requestJson<{ languages?: GoogleLanguage[] }>(this.name, `${this.parent}/supportedLanguages`, {
        method: 'GET',
        headers: this.auth(),
        timeoutMs: this.timeoutMs,
      });
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
      const body = await requestJson<{ translations?: Array<{ translatedText?: unknown }> }>(
        this.name,
        `${this.parent}:translateText`,
        {
          method: 'POST',
          headers: this.auth(),
          body: { contents, sourceLanguageCode: req.source, targetLanguageCode: req.target, mimeType: 'text/plain' },
          timeoutMs: this.timeoutMs,
        },
        // Google reports both rate limits and spent quotas as 429 RESOURCE_EXHAUSTED; only the
        // message tells a per-day quota ("per day") from a per-minute rate.
        (status, text) => status === 429 && /per day|daily/iu.test(text),
      );
      const translations = body.translations;
      if (!Array.isArray(translations) || translations.length !== contents.length || translations.some((t) => typeof t.translatedText !== 'string')) {
        throw new TranslationProviderError(this.name, 'answer does not match the request texts', { retryable: true });
      }
      out.push(...translations.map((t) => t.translatedText as string));
    }
    return { segments: out };
  }

  private auth(): Record<string, string> {
    return { authorization: `Bearer ${this.opts.accessToken}`, 'x-goog-user-project': this.opts.project };
  }
}
