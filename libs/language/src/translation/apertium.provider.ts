/**
 * Apertium APy adapter: the offline rule-based engine (gist quality) behind the same provider
 * contract as the hosted engines. Speaks APy's HTTP API: GET /listPairs, POST /translate.
 *
 * A story goes to APy as few requests as possible (paragraphs joined by a blank line, which APy's
 * txt format preserves), because per-paragraph requests cost more than they parallelise.
 */
import { decode } from 'html-entities';
import { isLanguageCode, type LanguageCode } from '@syndication/contracts';
import {
  TranslationProviderError,
  TranslationUnsupportedError,
  parseRetryAfter,
  type ProviderLimits,
  type TranslationProvider,
  type TranslationRequest,
  type TranslationResponse,
} from './provider';

/** APy names languages in ISO 639-3; Mongolian pairs may use the macrolanguage or Halh. */
const APERTIUM_CODES: Readonly<Record<LanguageCode, readonly string[]>> = {
  ru: ['rus'],
  uk: ['ukr'],
  en: ['eng'],
  es: ['spa'],
  be: ['bel'],
  ca: ['cat'],
  kk: ['kaz'],
  mn: ['mon', 'khk'],
  fr: ['fra'],
  de: ['deu'],
};

export function toApertiumCodes(language: LanguageCode): readonly string[] {
  return APERTIUM_CODES[language];
}

export function fromApertiumCode(code: string): LanguageCode | undefined {
  for (const [language, codes] of Object.entries(APERTIUM_CODES)) {
    if (codes.includes(code) && isLanguageCode(language)) return language;
  }
  return undefined;
}

export interface ApertiumProviderOptions {
  /** Per HTTP request. */
  timeoutMs?: number;
  /**
   * Upper bound on one request's text. APy cuts a request into at most ten ~PIPE_BUF pieces and
   * silently drops the rest (a 26 kB story came back 20% short), and under load a piece shrinks to
   * 1000 chars, so ~5000 chars is the most that is always translated whole.
   */
  maxRequestChars?: number;
  /** How long the /listPairs answer is trusted; new pairs appear only when APy restarts. */
  pairsTtlMs?: number;
}

const DEFAULTS: Required<ApertiumProviderOptions> = {
  timeoutMs: 30_000,
  maxRequestChars: 4000,
  pairsTtlMs: 5 * 60_000,
};

const PARAGRAPH_SEPARATOR = '\n\n';
const PARAGRAPH_SPLIT = /\n[ \t]*\n/u;

/** A piece of one segment, sent as one paragraph; `before` restores what separated it. */
interface Piece {
  segment: number;
  before: string;
  text: string;
}

interface PieceResult {
  text: string;
  unknown: number;
  words: number;
}

export class ApertiumProvider implements TranslationProvider {
  readonly name = 'apertium';
  /** APy takes one text per call; the provider joins paragraphs itself, so segments are unbounded. */
  readonly limits: ProviderLimits;
  private readonly baseUrl: string;
  private readonly opts: Required<ApertiumProviderOptions>;
  private pairs?: { at: number; value: Promise<Set<string>> };

  constructor(baseUrl: string, opts: ApertiumProviderOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/u, '');
    this.opts = { ...DEFAULTS, ...opts };
    this.limits = { maxSegments: Number.MAX_SAFE_INTEGER, maxCharsPerCall: Number.MAX_SAFE_INTEGER, multiTarget: false, html: false };
  }

  async supports(source: LanguageCode, target: LanguageCode): Promise<boolean> {
    return (await this.pairCode(source, target)) !== undefined;
  }

  /** Pairs APy serves that map onto our language codes. */
  async supportedPairs(): Promise<Array<{ source: LanguageCode; target: LanguageCode }>> {
    const out: Array<{ source: LanguageCode; target: LanguageCode }> = [];
    for (const pair of await this.listPairs()) {
      const [from, to] = pair.split('|');
      const source = from === undefined ? undefined : fromApertiumCode(from);
      const target = to === undefined ? undefined : fromApertiumCode(to);
      if (source && target) out.push({ source, target });
    }
    return out;
  }

  async translate(req: TranslationRequest): Promise<TranslationResponse> {
    const langpair = await this.pairCode(req.source, req.target);
    if (!langpair) throw new TranslationUnsupportedError(req.source, req.target, 'pair not installed in APy');

    const pieces = req.segments.flatMap((segment, index) => this.piecesOf(segment, index));
    const results: PieceResult[] = [];
    for (const batch of this.batches(pieces)) {
      results.push(...(await this.translateBatch(req, langpair, batch)));
    }

    const segments = req.segments.map(() => '');
    let unknown = 0;
    let words = 0;
    pieces.forEach((piece, i) => {
      const result = results[i];
      if (!result) return;
      segments[piece.segment] = (segments[piece.segment] ?? '') + piece.before + result.text;
      unknown += result.unknown;
      words += result.words;
    });
    return words > 0 ? { segments, unknownWordRatio: unknown / words } : { segments };
  }

  private async pairCode(source: LanguageCode, target: LanguageCode): Promise<string | undefined> {
    const pairs = await this.listPairs();
    for (const from of APERTIUM_CODES[source]) {
      for (const to of APERTIUM_CODES[target]) {
        if (pairs.has(`${from}|${to}`)) return `${from}|${to}`;
      }
    }
    return undefined;
  }

  private listPairs(): Promise<Set<string>> {
    const cached = this.pairs;
    if (cached && Date.now() - cached.at < this.opts.pairsTtlMs) return cached.value;
    const value = this.fetchPairs();
    this.pairs = { at: Date.now(), value };
    // A failed lookup must not be cached, or one APy restart would poison supports() for minutes.
    value.catch(() => {
      if (this.pairs?.value === value) this.pairs = undefined;
    });
    return value;
  }

  private async fetchPairs(): Promise<Set<string>> {
    const res = await this.request('/listPairs', { method: 'GET' });
    if (!res.ok) throw this.httpError(res, await res.text().catch(() => ''));
    const body = (await res.json().catch(() => undefined)) as
      | { responseData?: Array<{ sourceLanguage?: string; targetLanguage?: string }> }
      | undefined;
    if (!Array.isArray(body?.responseData)) {
      throw new TranslationProviderError(this.name, 'malformed /listPairs answer', { retryable: true });
    }
    return new Set(body.responseData.map((p) => `${p.sourceLanguage}|${p.targetLanguage}`));
  }

  /**
   * APy mangles HTML entities (its html deformatter turns `&laquo;` into mojibake), so text is
   * decoded first and sent as txt. A blank line inside a segment or an over-long segment would
   * break the one-paragraph-per-piece bookkeeping, so both are cut into pieces here.
   */
  private piecesOf(segment: string, index: number): Piece[] {
    const text = decode(segment).trim();
    if (!text) return [];
    const pieces: Piece[] = [];
    const paragraphs = text.split(/\n[ \t]*\n\s*/u).filter((p) => p.trim());
    paragraphs.forEach((paragraph, i) => {
      chunkText(paragraph.trim(), this.opts.maxRequestChars).forEach((chunk, j) => {
        const before = j > 0 ? chunk.before : i > 0 ? PARAGRAPH_SEPARATOR : '';
        pieces.push({ segment: index, before, text: chunk.text });
      });
    });
    return pieces;
  }

  private *batches(pieces: Piece[]): Generator<Piece[]> {
    let batch: Piece[] = [];
    let size = 0;
    for (const piece of pieces) {
      if (batch.length && size + PARAGRAPH_SEPARATOR.length + piece.text.length > this.opts.maxRequestChars) {
        yield batch;
        batch = [];
        size = 0;
      }
      size += (batch.length ? PARAGRAPH_SEPARATOR.length : 0) + piece.text.length;
      batch.push(piece);
    }
    if (batch.length) yield batch;
  }

  private async translateBatch(req: TranslationRequest, langpair: string, batch: Piece[]): Promise<PieceResult[]> {
    if (batch.length > 1) {
      const raw = await this.translateText(req, langpair, batch.map((p) => p.text).join(PARAGRAPH_SEPARATOR));
      const parts = raw.split(PARAGRAPH_SPLIT);
      if (parts.length === batch.length) return parts.map((part, i) => finish(part, batch[i]?.text ?? ''));
      // The engine merged or split a paragraph: correctness over speed, one request per piece.
    }
    const out: PieceResult[] = [];
    for (const piece of batch) out.push(finish(await this.translateText(req, langpair, piece.text), piece.text));
    return out;
  }

  private async translateText(req: TranslationRequest, langpair: string, q: string): Promise<string> {
    const res = await this.request('/translate', {
      method: 'POST',
      body: new URLSearchParams({ langpair, q, markUnknown: 'yes', format: 'txt' }),
    });
    const body = await res.text().catch(() => '');
    if (res.status === 400 && /pair/iu.test(body)) {
      this.pairs = undefined;
      throw new TranslationUnsupportedError(req.source, req.target, explanation(body));
    }
    if (!res.ok) throw this.httpError(res, body);
    let translated: unknown;
    try {
      translated = (JSON.parse(body) as { responseData?: { translatedText?: unknown } }).responseData?.translatedText;
    } catch {
      translated = undefined;
    }
    if (typeof translated !== 'string') {
      throw new TranslationProviderError(this.name, 'malformed /translate answer', { retryable: true });
    }
    return translated;
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${path}`, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs) });
    } catch (err) {
      // Duck-typed: the abort reason is a DOMException, not always an Error of this realm.
      const reason = (err as { name?: unknown } | null)?.name === 'TimeoutError' ? 'timed out' : 'unreachable';
      throw new TranslationProviderError(this.name, `${path} ${reason} (${this.baseUrl})`, {
        retryable: true,
        cause: err,
      });
    }
  }

  private httpError(res: Response, body: string): TranslationProviderError {
    const retryable = res.status >= 500 || res.status === 429 || res.status === 408;
    const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
    return new TranslationProviderError(this.name, `HTTP ${res.status} ${explanation(body)}`.trim(), {
      retryable,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
}

/** Cuts an over-long paragraph at sentence ends (else spaces), remembering each cut's whitespace. */
function chunkText(text: string, max: number): Array<{ before: string; text: string }> {
  if (text.length <= max) return [{ before: '', text }];
  const chunks: Array<{ before: string; text: string }> = [];
  let rest = text;
  let before = '';
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      lastMatchEnd(window, /(?<=[.!?…]["'»”)\]]*)\s+/gu) ?? lastMatchEnd(window, /\s+/gu) ?? { start: max, end: max };
    chunks.push({ before, text: rest.slice(0, cut.start) });
    before = rest.slice(cut.start, cut.end) || ' ';
    rest = rest.slice(cut.end);
  }
  if (rest) chunks.push({ before, text: rest });
  return chunks;
}

function lastMatchEnd(text: string, pattern: RegExp): { start: number; end: number } | undefined {
  let found: { start: number; end: number } | undefined;
  for (const m of text.matchAll(pattern)) {
    if (m.index > 0) found = { start: m.index, end: m.index + m[0].length };
  }
  return found;
}

// APy's marks: `*` not in the source dictionary, `@` not in the bilingual one, `#` not generated.
// A mark sits right before a token; the same characters in the source text are left alone.
const UNKNOWN_MARKS = /[*@](?=[^\s.,;:*@#])/gu;
const ANY_MARK = /[*@#](?=[^\s.,;:*@#])/gu;

function finish(raw: string, source: string): PieceResult {
  const text = raw.trim();
  const words = text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  const literal = new Set(source.match(/[*@#]/gu) ?? []);
  const unknown = (text.match(UNKNOWN_MARKS) ?? []).filter((m) => !literal.has(m)).length;
  const stripped = text.replace(ANY_MARK, (mark) => (literal.has(mark) ? mark : ''));
  return { text: stripped, unknown: Math.min(unknown, words), words };
}

function explanation(body: string): string {
  try {
    const parsed = JSON.parse(body) as { explanation?: unknown; message?: unknown };
    if (typeof parsed.explanation === 'string') return parsed.explanation;
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // Not JSON (a proxy's error page): fall through to the raw text.
  }
  return body.slice(0, 200);
}
