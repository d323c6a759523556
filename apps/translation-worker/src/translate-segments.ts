/**
 * One provider's translation of a story's protected segments, through the translation memory:
 * segments found in the memory for the pair and provider are reused, the rest (each distinct text
 * once) go to the engine in one request it batches itself, or come from a multi-target call made
 * earlier for several languages at once. The bench measures the memory with this same function.
 */
import type { LanguageCode } from '@syndication/contracts';
import { TranslationProviderError, restoreSegment, stripEngineMarkup, type ProtectedSegment, type TranslationProvider } from '@syndication/language';
import type { TranslationMemory } from './translation-memory';

export interface Cost {
  segmentsSent: number;
  segmentsReused: number;
  charsSent: number;
  charsReused: number;
}

export interface ProviderResult {
  /** Cleaned engine output per segment, placeholders still in (for the quality checks). */
  texts: string[];
  /** Final text per segment: placeholders restored. */
  restored: string[];
  /** New translation memory entries. */
  fresh: Array<{ source: string; target: string; unknownWordRatio: number | null }>;
  lost: number;
  unknownWordRatio: number | undefined;
  cost: Cost;
}

/** Answers a multi-target call already gave for this target: protected source text -> engine output. */
export type Prefetched = ReadonlyMap<string, { target: string; unknownWordRatio: number | null }>;

export async function translateSegments(
  provider: TranslationProvider,
  memory: TranslationMemory,
  source: LanguageCode,
  target: LanguageCode,
  segments: readonly ProtectedSegment[],
  prefetched?: Prefetched,
): Promise<ProviderResult> {
  const distinct = [...new Set(segments.map((s) => s.text).filter((t) => t.trim()))];
  const hits = await memory.lookup(source, target, provider.name, distinct);
  const toSend = distinct.filter((t) => !hits.has(t));
  const fresh: ProviderResult['fresh'] = [];
  let unknownWordRatio: number | undefined;
  const missing = toSend.filter((t) => !prefetched?.has(t));
  for (const t of toSend) {
    const p = prefetched?.get(t);
    if (p) fresh.push({ source: t, target: stripEngineMarkup(p.target), unknownWordRatio: p.unknownWordRatio });
  }
  if (missing.length) {
    const res = await provider.translate({ source, target, segments: missing });
    if (res.segments.length !== missing.length) {
      throw new TranslationProviderError(provider.name, 'answer does not match the request segments', { retryable: true });
    }
    unknownWordRatio = res.unknownWordRatio;
    missing.forEach((text, k) => fresh.push({ source: text, target: stripEngineMarkup(res.segments[k] ?? ''), unknownWordRatio: res.unknownWordRatio ?? null }));
  }
  const translated = new Map<string, { target: string; unknownWordRatio: number | null }>([
    ...hits,
    ...fresh.map((f) => [f.source, { target: f.target, unknownWordRatio: f.unknownWordRatio }] as const),
  ]);
  let lost = 0;
  let weighted = 0;
  let weight = 0;
  const texts: string[] = [];
  const restored = segments.map((seg) => {
    const t = translated.get(seg.text);
    texts.push(t?.target ?? '');
    if (t?.unknownWordRatio != null) {
      weighted += t.unknownWordRatio * seg.text.length;
      weight += seg.text.length;
    }
    const back = restoreSegment(t?.target ?? '', seg);
    lost += back.lost;
    return back.text;
  });
  const reused = distinct.filter((t) => hits.has(t));
  return {
    texts,
    restored,
    fresh,
    lost,
    unknownWordRatio: weight > 0 ? weighted / weight : unknownWordRatio,
    cost: {
      segmentsSent: toSend.length,
      segmentsReused: reused.length,
      charsSent: toSend.reduce((n, t) => n + t.length, 0),
      charsReused: reused.reduce((n, t) => n + t.length, 0),
    },
  };
}
