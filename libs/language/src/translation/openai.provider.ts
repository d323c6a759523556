/**
 * LLM translation through any OpenAI-compatible `POST {base}/chat/completions` endpoint (OpenAI,
 * Azure OpenAI proxies, vLLM, Ollama, llama.cpp server). The segments travel as a JSON array and
 * must come back as one of the same length; the system prompt tells the model to keep markup,
 * URLs, @handles, numbers and `⟦n⟧` placeholders exactly, and the stage checks that it did.
 */
import { LANGUAGES, type LanguageCode } from '@syndication/contracts';
import { requestJson, trimSlash } from './http';
import {
  TranslationProviderError,
  batchByLimits,
  type ProviderLimits,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationResponse,
} from './provider';

export interface OpenAiTranslateOptions {
  /** Base URL including the version prefix, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 */
  baseUrl: string;
  apiKey?: string;
  model: string;
  timeoutMs?: number;
  /** Languages the model is trusted with; default every language the platform knows. */
  languages?: readonly LanguageCode[];
}

const NAMES: Record<LanguageCode, string> = {
  ru: 'Russian',
  en: 'English',
  uk: 'Ukrainian',
  mn: 'Mongolian (Cyrillic)',
  kk: 'Kazakh',
  es: 'Spanish',
  be: 'Belarusian',
  ca: 'Catalan',
  fr: 'French',
  de: 'German',
};

export function translationPrompt(source: LanguageCode, target: LanguageCode): string {
  return [
    `You are a professional news translator. Translate from ${NAMES[source]} to ${NAMES[target]}.`,
    'The user message is a JSON array of paragraphs. Answer with a JSON object {"translations": [...]}',
    'holding exactly one translated string per input paragraph, in the same order.',
    'Keep unchanged: HTML tags and attributes, URLs, e-mail addresses, @handles, #hashtags, numbers,',
    'and placeholders written like ⟦0⟧. Do not add notes, explanations or markup of your own.',
  ].join(' ');
}

export class OpenAiTranslateProvider implements TranslationProvider {
  readonly name = 'openai';
  /** Bounded by the model's output tokens rather than by the API: keep a call to a few pages. */
  readonly limits: ProviderLimits = { maxSegments: 40, maxCharsPerCall: 8_000, multiTarget: false, html: true };
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly languages: ReadonlySet<LanguageCode>;

  constructor(private readonly opts: OpenAiTranslateOptions) {
    this.baseUrl = trimSlash(opts.baseUrl);
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.languages = new Set(opts.languages ?? LANGUAGES);
  }

  async supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    return source !== target && this.languages.has(source) && this.languages.has(target);
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const out: string[] = [];
    for (const batch of batchByLimits(req.segments, this.limits)) {
      const texts = batch.map((i) => req.segments[i] ?? '');
      const body = await requestJson<{ choices?: Array<{ message?: { content?: unknown } }> }>(
        this.name,
        `${this.baseUrl}/chat/completions`,
        {
          method: 'POST',
          headers: this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {},
          body: {
            model: this.opts.model,
            temperature: 0,
            response_format: { type: 'json_object' },
            messages: [
              { role: 'system', content: translationPrompt(req.source, req.target) },
              { role: 'user', content: JSON.stringify(texts) },
            ],
          },
          timeoutMs: this.timeoutMs,
        },
        // OpenAI answers 429 for both; `insufficient_quota` is the spent-credit one.
        (status, text) => status === 429 && /insufficient_quota/u.test(text),
      );
      out.push(...this.parse(body.choices?.[0]?.message?.content, texts.length));
    }
    return { segments: out };
  }

  private parse(content: unknown, expected: number): string[] {
    if (typeof content !== 'string') throw new TranslationProviderError(this.name, 'answer has no message content', { retryable: true });
    // Models sometimes wrap JSON in a fenced block despite json_object mode.
    const json = content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/gu, '');
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new TranslationProviderError(this.name, 'answer is not JSON', { retryable: true });
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { translations?: unknown } | null)?.translations;
    if (!Array.isArray(list) || list.length !== expected || list.some((s) => typeof s !== 'string')) {
      throw new TranslationProviderError(this.name, `answer does not hold ${expected} translated strings`, { retryable: true });
    }
    return list as string[];
  }
}
