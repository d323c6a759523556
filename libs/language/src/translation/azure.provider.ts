/**
 * Azure AI Translator v3 adapter: `POST {base}/translate?api-version=3.0&from=ru&to=uk&to=en`
 * with `[{Text}]`, the `Ocp-Apim-Subscription-Key` (+ `-Region` for regional resources) headers,
 * answering `[{translations: [{text, to}]}]`. One call can carry several targets (`translateMany`).
 * `GET /languages?api-version=3.0&scope=translation` lists languages (no key needed).
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

export interface AzureTranslatorOptions {
  /** Default https://api.cognitive.microsofttranslator.com */
  baseUrl?: string;
  key: string;
  region?: string;
  timeoutMs?: number;
}

export class AzureTranslatorProvider implements TranslationProvider {
  readonly name = 'azure';
  /** Azure: 1000 array elements and 50,000 characters per request, counted over every target. */
  readonly limits: ProviderLimits = { maxSegments: 1000, maxCharsPerCall: 50_000, multiTarget: true, html: true };
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly languages: CachedLookup<Set<string>>;

  constructor(private readonly opts: AzureTranslatorOptions) {
    this.baseUrl = trimSlash(opts.baseUrl ?? 'https://api.cognitive.microsofttranslator.com');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.languages = new CachedLookup(async () => {
      const body = await requestJson<{ translation?: Record<string, unknown> }>(
        this.name,
        `${this.baseUrl}/languages?api-version=3.0&scope=translation`,
        { method: 'GET', timeoutMs: this.timeoutMs },
      );
      if (!body.translation || typeof body.translation !== 'object') {
        throw new TranslationProviderError(this.name, 'malformed /languages answer', { retryable: true });
      }
      return new Set(Object.keys(body.translation));
    });
  }

  async supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    const langs = await this.languages.get();
    return langs.has(source) && langs.has(target);
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const many = await this.translateMany(req.source, [req.target], req.segments);
    return many[req.target] ?? { segments: [] };
  }

  /** Every target in as few calls as the per-request limits allow (characters count once per target). */
  async translateMany(source: LanguageCode, targets: readonly LanguageCode[], segments: readonly string[]): Promise<Record<string, TranslationResponse>> {
    const out: Record<string, string[]> = Object.fromEntries(targets.map((t) => [t, []]));
    const perCall = { maxSegments: this.limits.maxSegments, maxCharsPerCall: Math.floor(this.limits.maxCharsPerCall / Math.max(1, targets.length)) };
    for (const batch of batchByLimits(segments, perCall)) {
      const query = new URLSearchParams({ 'api-version': '3.0', from: source, textType: 'plain' });
      for (const t of targets) query.append('to', t);
      const body = await requestJson<Array<{ translations?: Array<{ text?: unknown; to?: unknown }> }>>(
        this.name,
        `${this.baseUrl}/translate?${query}`,
        {
          method: 'POST',
          headers: {
            'ocp-apim-subscription-key': this.opts.key,
            ...(this.opts.region ? { 'ocp-apim-subscription-region': this.opts.region } : {}),
          },
          body: batch.map((i) => ({ Text: segments[i] ?? '' })),
          timeoutMs: this.timeoutMs,
        },
        // 403001: the free tier's monthly characters are spent (other 403s are permission errors).
        (status, text) => status === 403 && /403001|quota/iu.test(text),
      );
      if (!Array.isArray(body) || body.length !== batch.length) {
        throw new TranslationProviderError(this.name, 'answer does not match the request texts', { retryable: true });
      }
      for (const item of body) {
        for (const t of targets) {
          const found = item.translations?.find((x) => x.to === t)?.text;
          if (typeof found !== 'string') throw new TranslationProviderError(this.name, `answer lacks target ${t}`, { retryable: true });
          out[t]!.push(found);
        }
      }
    }
    return Object.fromEntries(Object.entries(out).map(([t, s]) => [t, { segments: s }]));
  }
}
