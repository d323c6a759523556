/**
 * LibreTranslate adapter (self-hosted or libretranslate.com): `POST /translate` with JSON
 * `{q: string[], source, target, format, api_key}` answering `{translatedText: string[]}`;
 * `GET /languages` lists each source language with its `targets`.
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

export interface LibreTranslateOptions {
  baseUrl: string;
  apiKey?: string;
  timeoutMs?: number;
  limits?: Partial<ProviderLimits>;
}

export class LibreTranslateProvider implements TranslationProvider {
  readonly name = 'libretranslate';
  /** The public server caps a request at a few thousand characters (`--char-limit`); stay under it. */
  readonly limits: ProviderLimits;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly languages: CachedLookup<Map<string, Set<string>>>;

  constructor(private readonly opts: LibreTranslateOptions) {
    this.baseUrl = trimSlash(opts.baseUrl);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.limits = { maxSegments: 50, maxCharsPerCall: 5000, multiTarget: false, html: true, ...opts.limits };
    this.languages = new CachedLookup(async () => {
      const list = await requestJson<Array<{ code?: string; targets?: string[] }>>(this.name, `${this.baseUrl}/languages`, {
        method: 'GET',
        timeoutMs: this.timeoutMs,
      });
      if (!Array.isArray(list)) throw new TranslationProviderError(this.name, 'malformed /languages answer', { retryable: true });
      return new Map(list.map((l) => [String(l.code), new Set(l.targets ?? [])]));
    });
  }

  async supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    return (await this.languages.get()).get(source)?.has(target) ?? false;
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const out: string[] = [];
    for (const batch of batchByLimits(req.segments, this.limits)) {
      const q = batch.map((i) => req.segments[i] ?? '');
      const body = await requestJson<{ translatedText?: unknown }>(
        this.name,
        `${this.baseUrl}/translate`,
        {
          method: 'POST',
          body: { q, source: req.source, target: req.target, format: 'text', ...(this.opts.apiKey ? { api_key: this.opts.apiKey } : {}) },
          timeoutMs: this.timeoutMs,
        },
        // LibreTranslate answers 403 for a missing/invalid key and for a key whose quota is spent.
        (status, text) => status === 403 && /quota|limit/iu.test(text),
      );
      const translated = body.translatedText;
      if (!Array.isArray(translated) || translated.length !== q.length || translated.some((t) => typeof t !== 'string')) {
        throw new TranslationProviderError(this.name, 'answer does not match the request texts', { retryable: true });
      }
      out.push(...(translated as string[]));
    }
    return { segments: out };
  }
}
