/**
 * DeepL adapter through the official `deepl-node` client (`serverUrl` points it at any DeepL
 * API endpoint: api.deepl.com, api-free.deepl.com, a proxy or a test fake). DeepL takes many
 * texts per call but one target; 429 is a rate limit and 456 a spent character quota.
 *
 * The client's own retry loop is turned off (`maxRetries: 0`): the queue's retry policy owns
 * retries, and a rate-limited job must wait without spending attempts (RetryLaterError).
 *
 * deepl-node drops response headers, so a 429's Retry-After is read on the way through: each
 * request of this client gets an axios `transformResponse` that notes the header into the
 * AsyncLocalStorage slot of the call that made it (so concurrent calls cannot swap waits). It
 * reaches into deepl-node's `httpClient.prepareRequest`, checked at construction; the version is
 * pinned, and without that hook the adapter waits its configured default instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as deepl from 'deepl-node';
import type { LanguageCode } from '@syndication/contracts';
import { CachedLookup, trimSlash } from './http';
import {
  TranslationProviderError,
  batchByLimits,
  parseRetryAfter,
  type ProviderLimits,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationResponse,
} from './provider';

export interface DeepLOptions {
  authKey: string;
  /** Default: deepl-node's choice (api-free.deepl.com for `:fx` keys, else api.deepl.com). */
  serverUrl?: string;
  timeoutMs?: number;
  /** A 429 without a (readable) Retry-After waits this long before the job is tried again. */
  rateLimitWaitMs?: number;
}

interface CallSlot {
  retryAfter?: string;
}

interface AxiosLikeConfig {
  transformResponse?: Array<(data: unknown, headers?: Record<string, unknown>, status?: number) => unknown>;
}

interface DeepLHttpClient {
  prepareRequest: (...args: unknown[]) => AxiosLikeConfig;
}

/** DeepL wants a regional variant for a few targets. */
const TARGET_VARIANTS: Partial<Record<LanguageCode, deepl.TargetLanguageCode>> = { en: 'en-GB' };

export class DeepLProvider implements TranslationProvider {
  readonly name = 'deepl';
  /** DeepL: at most 50 texts and a 128 KiB request body per call. */
  readonly limits: ProviderLimits = { maxSegments: 50, maxCharsPerCall: 60_000, multiTarget: false, html: true };
  private readonly client: deepl.Translator;
  private readonly rateLimitWaitMs: number;
  private readonly languages: CachedLookup<{ source: Set<string>; target: Set<string> }>;
  private readonly slots = new AsyncLocalStorage<CallSlot>();
  /** Whether Retry-After can be read (deepl-node's internals are as expected). */
  readonly readsRetryAfter: boolean;

  constructor(opts: DeepLOptions) {
    this.client = new deepl.Translator(opts.authKey, {
      ...(opts.serverUrl ? { serverUrl: trimSlash(opts.serverUrl) } : {}),
      maxRetries: 0,
      minTimeout: opts.timeoutMs ?? 30_000,
      sendPlatformInfo: false,
    });
    this.rateLimitWaitMs = opts.rateLimitWaitMs ?? 5_000;
    this.readsRetryAfter = this.hookRetryAfter();
    this.languages = new CachedLookup(async () => {
      const [source, target] = await Promise.all([this.call(() => this.client.getSourceLanguages()), this.call(() => this.client.getTargetLanguages())]);
      return { source: new Set(source.map((l) => l.code.toLowerCase())), target: new Set(target.map((l) => l.code.toLowerCase())) };
    });
  }

  async supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    const langs = await this.languages.get();
    return langs.source.has(source) && langs.target.has(targetCode(target).toLowerCase());
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const out: string[] = [];
    for (const batch of batchByLimits(req.segments, this.limits)) {
      const texts = batch.map((i) => req.segments[i] ?? '');
      // deepl-node rejects empty strings; an empty segment translates to itself.
      const nonEmpty = texts.map((t, i) => ({ t, i })).filter((x) => x.t.trim() !== '');
      const answer = nonEmpty.length
        ? await this.call(() =>
            this.client.translateText(
              nonEmpty.map((x) => x.t),
              req.source as deepl.SourceLanguageCode,
              targetCode(req.target),
              { preserveFormatting: true },
            ),
          )
        : [];
      if (answer.length !== nonEmpty.length) throw new TranslationProviderError(this.name, 'answer does not match the request texts', { retryable: true });
      const translated = [...texts];
      nonEmpty.forEach((x, k) => (translated[x.i] = answer[k]?.text ?? ''));
      out.push(...translated);
    }
    return { segments: out };
  }

  private hookRetryAfter(): boolean {
    const http = (this.client as unknown as { httpClient?: Partial<DeepLHttpClient> }).httpClient;
    const prepare = http?.prepareRequest;
    if (!http || typeof prepare !== 'function') return false;
    const slots = this.slots;
    http.prepareRequest = (...args: unknown[]) => {
      const config = prepare.apply(http, args);
      // Replaces axios's default transform, which would parse JSON that deepl-node (responseType
      // text) parses itself; the data passes through untouched.
      config.transformResponse = [
        (data, headers, status) => {
          const slot = slots.getStore();
          const get = (headers as { get?: (name: string) => unknown } | undefined)?.get;
          const value = typeof get === 'function' ? get.call(headers, 'retry-after') : headers?.['retry-after'];
          if (slot && status === 429 && typeof value === 'string') slot.retryAfter = value;
          return data;
        },
      ];
      return config;
    };
    return true;
  }

  /** deepl-node's error classes -> the provider contract's retryable / quota outcomes. */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const slot: CallSlot = {};
    try {
      return await this.slots.run(slot, fn);
    } catch (err) {
      if (err instanceof TranslationProviderError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof deepl.QuotaExceededError) throw new TranslationProviderError(this.name, message, { retryable: false, quotaExceeded: true, cause: err });
      if (err instanceof deepl.TooManyRequestsError) {
        const retryAfterMs = parseRetryAfter(slot.retryAfter) ?? this.rateLimitWaitMs;
        throw new TranslationProviderError(this.name, message, { retryable: true, retryAfterMs, cause: err });
      }
      if (err instanceof deepl.AuthorizationError) throw new TranslationProviderError(this.name, message, { retryable: false, cause: err });
      if (err instanceof deepl.ConnectionError) throw new TranslationProviderError(this.name, message, { retryable: true, cause: err });
      // Other DeepLErrors carry the HTTP status only in the text: 5xx ("Unexpected status code") retry.
      const retryable = /status code: 5\d\d|internal|unavailable/iu.test(message);
      throw new TranslationProviderError(this.name, message, { retryable, cause: err });
    }
  }
}

function targetCode(target: LanguageCode): deepl.TargetLanguageCode {
  return TARGET_VARIANTS[target] ?? (target as deepl.TargetLanguageCode);
}
