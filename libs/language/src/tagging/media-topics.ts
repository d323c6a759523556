/**
 * The IPTC Media Topics vocabulary (data/mediatopics.json, a trimmed copy of IPTC's 2023-10
 * export: every live concept with its code, English name, definition and broader link, plus the
 * retired codes). Loaded on first use.
 */
// Type-only import: keeps the JSON in the TypeScript program so `tsc` copies it into dist.
import type MediaTopicsJson from '../../data/mediatopics.json';

export interface MediaTopic {
  code: string;
  name: string;
  broader: string | null;
  wikidata: string | null;
  /** IPTC's English definition; the topic classifier derives English trigger words from it. */
  definition: string;
}

export class MediaTopicVocabulary {
  private readonly concepts: ReadonlyMap<string, MediaTopic>;
  private readonly retired: ReadonlyMap<string, string>;
  private readonly ancestorCache = new Map<string, readonly string[]>();

  constructor(concepts: readonly MediaTopic[], retired: ReadonlyArray<{ code: string; retired: string }>) {
    this.concepts = new Map(concepts.map((concept) => [concept.code, concept]));
    this.retired = new Map(retired.map((concept) => [concept.code, concept.retired]));
  }

  get size(): number {
    return this.concepts.size;
  }

  get(code: string): MediaTopic | undefined {
    return this.concepts.get(code);
  }

  /** Every live concept, in the export's order. */
  all(): IterableIterator<MediaTopic> {
    return this.concepts.values();
  }

  /** The top-level concept a code rolls up to (itself when it is top-level). */
  topLevel(code: string): string {
    const chain = this.ancestors(code);
    return chain[chain.length - 1] ?? code;
  }

  isRetired(code: string): boolean {
    return this.retired.has(code);
  }

  /** Broader concepts, nearest first, up to the top level. */
  ancestors(code: string): readonly string[] {
    const cached = this.ancestorCache.get(code);
    if (cached) return cached;
    const chain: string[] = [];
    let current = this.concepts.get(code)?.broader ?? null;
    while (current && !chain.includes(current)) {
      chain.push(current);
      current = this.concepts.get(current)?.broader ?? null;
    }
    this.ancestorCache.set(code, chain);
    return chain;
  }

  isAncestor(ancestor: string, code: string): boolean {
    return this.ancestors(code).includes(ancestor);
  }
}

let vocabulary: MediaTopicVocabulary | undefined;

export function mediaTopics(): MediaTopicVocabulary {
  if (!vocabulary) {
    const raw = require('../../data/mediatopics.json') as typeof MediaTopicsJson;
    vocabulary = new MediaTopicVocabulary(raw.concepts, raw.retired);
  }
  return vocabulary;
}
