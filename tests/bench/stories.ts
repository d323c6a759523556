/**
 * The bench's stories: distinct, realistic articles drawn from the repo's own fixtures in several
 * languages and formats, with a controlled share of true near-duplicates.
 *
 * Sources (sentences and headlines, per language): the topic evaluation set
 * (libs/language/data/eval/topics/*.jsonl, ~170 short English and ~170 Russian news stories), the
 * seed and translation fixtures (tests/fixtures), the tagging fixtures
 * (libs/language/src/tagging/fixtures) and, because the fixtures hold a single Ukrainian story,
 * tests/bench/corpus/uk.txt (written for the bench).
 *
 * An article is a headline plus 3-6 paragraphs of 2-3 sentences drawn without replacement, every
 * number in it redrawn: two unrelated articles share few word 3-shingles (estimated Jaccard well
 * under the product's 0.5 link threshold), every paragraph is new to the translation memory, as
 * wire copy is. A near-duplicate (share `nearDupShare`) is an earlier article of the run under a
 * new id with its headline retouched and one sentence replaced: Jaccard ~0.6-0.85, linked by the
 * product. 70% go as ninjs JSON, 30% as plain text (`X-Story-Id`, `Content-Language`).
 * Deterministic for a given seed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type BenchLanguage = 'ru' | 'en' | 'uk';
export const BENCH_LANGUAGES: readonly BenchLanguage[] = ['ru', 'en', 'uk'];
/** Share of articles per source language. */
const LANGUAGE_MIX: Array<[BenchLanguage, number]> = [
  ['ru', 0.45],
  ['en', 0.4],
  ['uk', 0.15],
];
const TEXT_SHARE = 0.3;
const RECENT = 64;

export interface GeneratedStory {
  body: Buffer;
  headers: Record<string, string>;
  language: BenchLanguage;
  format: 'ninjs' | 'text';
  /** Index (generator order) of the article this one nearly duplicates. */
  nearDupOf?: number;
}

interface Pool {
  headlines: string[];
  sentences: string[];
}

interface Drawn {
  language: BenchLanguage;
  headline: string;
  paragraphs: string[][];
  index: number;
}

const SENTENCE_END = /(?<=[.!?…»"])\s+(?=[«"\p{Lu}])/u;

export function splitSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((p) => p.split(SENTENCE_END))
    .map((s) => s.trim())
    .filter((s) => s.split(/\s+/).length >= 5);
}

/** Headline and paragraphs of a plain-text fixture (first line headline, optional "date YYYY-MM-DD" prefix). */
function plainFixture(file: string): { headline: string; body: string } {
  const lines = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n').split('\n');
  const first = lines.findIndex((l) => l.trim().length > 0);
  const headline = (lines[first] ?? '').replace(/^date \d{4}-\d{2}-\d{2}\s+/, '').trim();
  return { headline, body: lines.slice(first + 1).join('\n') };
}

export function loadCorpus(root: string): Record<BenchLanguage, Pool> {
  const pools: Record<BenchLanguage, Pool> = { ru: { headlines: [], sentences: [] }, en: { headlines: [], sentences: [] }, uk: { headlines: [], sentences: [] } };
  const add = (lang: BenchLanguage, headline: string, body: string) => {
    if (headline.trim()) pools[lang].headlines.push(headline.trim());
    pools[lang].sentences.push(...splitSentences(body));
  };
  const evalDir = join(root, 'libs', 'language', 'data', 'eval', 'topics');
  for (const f of readdirSync(evalDir).filter((x) => x.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(evalDir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { language?: string; headline?: string; body?: string };
      if (row.language === 'ru' || row.language === 'en') add(row.language, row.headline ?? '', row.body ?? '');
    }
  }
  const fixtures: Array<[string, BenchLanguage]> = [
    ['tests/fixtures/seed/centralasia-2026-02-07-ru.txt', 'ru'],
    ['tests/fixtures/translation/ru-minerals-talks.txt', 'ru'],
    ['tests/fixtures/translation/ru-winter-weather.txt', 'ru'],
    ['tests/fixtures/translation/en-trade-forum.txt', 'en'],
    ['libs/language/src/tagging/fixtures/story-en.txt', 'en'],
    ['libs/language/src/tagging/fixtures/story-en-politics.txt', 'en'],
    ['libs/language/src/tagging/fixtures/story-uk.txt', 'uk'],
  ];
  for (const [file, lang] of fixtures) {
    const { headline, body } = plainFixture(join(root, file));
    add(lang, headline, body);
  }
  for (const line of readFileSync(join(root, 'tests', 'bench', 'corpus', 'uk.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (line.startsWith('H ')) pools.uk.headlines.push(line.slice(2).trim());
    else pools.uk.sentences.push(line.trim());
  }
  for (const lang of BENCH_LANGUAGES) pools[lang].sentences = [...new Set(pools[lang].sentences)];
  return pools;
}

/** mulberry32: a small seeded PRNG, so a run's stories can be regenerated. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class StoryGenerator {
  private readonly pools: Record<BenchLanguage, Pool>;
  private readonly rand: () => number;
  private readonly recent: Drawn[] = [];
  private count = 0;
  readonly made = { total: 0, nearDuplicates: 0, byLanguage: { ru: 0, en: 0, uk: 0 } as Record<BenchLanguage, number>, byFormat: { ninjs: 0, text: 0 } };

  constructor(
    root: string,
    private readonly runId: string,
    private readonly nearDupShare: number,
    seed = parseInt(runId.slice(0, 8), 16) || 1,
  ) {
    this.pools = loadCorpus(root);
    this.rand = prng(seed);
  }

  corpusSize(): Record<BenchLanguage, { headlines: number; sentences: number }> {
    const out = {} as Record<BenchLanguage, { headlines: number; sentences: number }>;
    for (const l of BENCH_LANGUAGES) out[l] = { headlines: this.pools[l].headlines.length, sentences: this.pools[l].sentences.length };
    return out;
  }

  private pick<T>(xs: readonly T[]): T {
    const x = xs[Math.floor(this.rand() * xs.length)];
    if (x === undefined) throw new Error('empty pool');
    return x;
  }

  private language(): BenchLanguage {
    let r = this.rand();
    for (const [l, share] of LANGUAGE_MIX) {
      if (r < share) return l;
      r -= share;
    }
    return 'ru';
  }

  /** Redraws every number (same digit count, no leading zero), so figures differ between articles. */
  private renumber(s: string): string {
    return s.replace(/\d+/g, (d) => {
      if (d.length === 4 && /^(19|20)/.test(d)) return d; // years stay plausible
      const lo = d.length === 1 ? 2 : 10 ** (d.length - 1);
      return String(lo + Math.floor(this.rand() * (10 ** d.length - lo)));
    });
  }

  private fresh(): Drawn {
    const language = this.language();
    const pool = this.pools[language];
    const nParagraphs = language === 'uk' ? 3 + Math.floor(this.rand() * 2) : 3 + Math.floor(this.rand() * 4);
    const used = new Set<number>();
    const paragraphs: string[][] = [];
    for (let p = 0; p < nParagraphs; p++) {
      const nSentences = 2 + Math.floor(this.rand() * 2);
      const para: string[] = [];
      for (let s = 0; s < nSentences && used.size < pool.sentences.length; s++) {
        let k = Math.floor(this.rand() * pool.sentences.length);
        while (used.has(k)) k = (k + 1) % pool.sentences.length;
        used.add(k);
        para.push(this.renumber(pool.sentences[k] ?? ''));
      }
      paragraphs.push(para);
    }
    return { language, headline: this.renumber(this.pick(pool.headlines)), paragraphs, index: this.count };
  }

  /** An earlier article, retouched: headline suffix, its last sentence replaced. */
  private nearDuplicate(of: Drawn): Drawn {
    const pool = this.pools[of.language];
    const paragraphs = of.paragraphs.map((p) => [...p]);
    const last = paragraphs[paragraphs.length - 1];
    if (last && last.length > 0) last[last.length - 1] = this.renumber(this.pick(pool.sentences));
    const suffix = { ru: 'обновлено', en: 'updated', uk: 'оновлено' }[of.language];
    return { language: of.language, headline: `${of.headline} (${suffix})`, paragraphs, index: this.count };
  }

  next(label: string): GeneratedStory {
    const source = this.recent.length > 0 && this.rand() < this.nearDupShare ? this.pick(this.recent) : undefined;
    const d = source ? this.nearDuplicate(source) : this.fresh();
    if (!source) {
      this.recent.push(d);
      if (this.recent.length > RECENT) this.recent.shift();
    }
    const i = this.count++;
    const id = `urn:bench:${this.runId}:${label}:${i}`;
    const bodyText = d.paragraphs.map((p) => p.join(' ')).join('\n\n');
    const asText = this.rand() < TEXT_SHARE;
    this.made.total += 1;
    this.made.byLanguage[d.language] += 1;
    this.made.byFormat[asText ? 'text' : 'ninjs'] += 1;
    if (source) this.made.nearDuplicates += 1;
    const story: GeneratedStory = asText
      ? {
          body: Buffer.from(`${d.headline}\n\n${bodyText}\n`),
          headers: { 'content-type': 'text/plain; charset=utf-8', 'x-story-id': id, 'content-language': d.language },
          language: d.language,
          format: 'text',
        }
      : {
          body: Buffer.from(JSON.stringify({ uri: id, version: '1', type: 'text', language: d.language, headline: d.headline, body_text: bodyText })),
          headers: { 'content-type': 'application/json' },
          language: d.language,
          format: 'ninjs',
        };
    if (source) story.nearDupOf = source.index;
    return story;
  }
}
