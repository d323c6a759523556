/**
 * What the engines must not change, and what they must not add. Before sending, a segment's
 * entities are decoded and everything that has to come back verbatim (inline tags, URLs, e-mail
 * addresses, @handles, glossary terms) is swapped for a `⟦n⟧` placeholder, which every engine
 * tried (Apertium included) passes through untouched. On the way back the engine's text is
 * stripped of any markup of its own, then the placeholders are restored: source tags come back,
 * glossary terms come back in their target form, and the engine never had a chance to inject HTML.
 */
import { decode } from 'html-entities';
import sanitizeHtml from 'sanitize-html';

export interface GlossaryEntry {
  term: string;
  translation: string;
}

export interface ProtectedSegment {
  /** What the engine sees (and what the translation memory is keyed on). */
  text: string;
  /** Replacement for each placeholder ⟦i⟧ in the output. */
  slots: string[];
  /** How many of the slots are glossary terms. */
  glossaryHits: number;
}

// Order matters: tags first (their attributes hold URLs), then URLs (they may hold @), e-mail, handles.
const VERBATIM = [
  /<\/?[a-zA-Z][^<>]*>/gu,
  /\bhttps?:\/\/[^\s<>"«»]+[^\s<>"«».,;:!?)\]]/gu,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu,
  /(?<![\p{L}\p{N}_@])@[A-Za-z0-9_]{2,}/gu,
];
const PLACEHOLDER = /⟦\s*(\d+)\s*⟧/gu;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Compiled once per story and pair: longest terms first, so "Госдепартамент США" beats "США". */
export function glossaryMatcher(entries: readonly GlossaryEntry[]): { pattern: RegExp; lookup: Map<string, string> } | undefined {
  const usable = entries.filter((e) => e.term.trim());
  if (!usable.length) return undefined;
  const lookup = new Map(usable.map((e) => [e.term.trim().toLocaleLowerCase(), e.translation]));
  const alternatives = [...lookup.keys()].sort((a, b) => b.length - a.length).map((t) => escapeRegExp(t).replace(/\s+/gu, '\\s+'));
  return { pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'giu'), lookup };
}

export function protectSegment(raw: string, glossary?: ReturnType<typeof glossaryMatcher>): ProtectedSegment {
  const slots: string[] = [];
  let glossaryHits = 0;
  // Entities are decoded first: engines mangle `&laquo;` (Apertium returns mojibake).
  let text = decode(raw).replace(PLACEHOLDER, (m) => m.replace(/[⟦⟧]/gu, ''));
  const slot = (value: string) => `⟦${slots.push(value) - 1}⟧`;
  for (const pattern of VERBATIM) text = text.replace(pattern, (m) => slot(m));
  if (glossary) {
    text = text.replace(glossary.pattern, (m) => {
      const target = glossary.lookup.get(m.replace(/\s+/gu, ' ').toLocaleLowerCase());
      if (target === undefined) return m;
      glossaryHits += 1;
      return slot(target);
    });
  }
  return { text, slots, glossaryHits };
}

/** Markup the engine produced is removed (repeatedly, so `&lt;script&gt;` cannot decode into a tag). */
export function stripEngineMarkup(text: string): string {
  let out = text;
  for (let i = 0; i < 3; i++) {
    const next = decode(sanitizeHtml(out, { allowedTags: [], allowedAttributes: {} }));
    if (next === out) break;
    out = next;
  }
  return out;
}

/** Restores placeholders in cleaned engine output; reports slots the engine lost. */
export function restoreSegment(cleaned: string, seg: ProtectedSegment): { text: string; lost: number } {
  const seen = new Set<number>();
  const text = cleaned.replace(PLACEHOLDER, (m, n: string) => {
    const value = seg.slots[Number(n)];
    if (value === undefined) return '';
    seen.add(Number(n));
    return value;
  });
  return { text: text.trim(), lost: seg.slots.length - seen.size };
}

const WORDS = /[\p{L}]{2,}/gu;

/**
 * Output that cannot be a translation: empty where the source had words, or (for most of the
 * longer segments) the source handed back unchanged, which is how engines fail silently.
 */
export function outputProblem(sources: readonly string[], outputs: readonly string[]): 'empty' | 'untranslated' | undefined {
  let long = 0;
  let same = 0;
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i] ?? '';
    const out = (outputs[i] ?? '').trim();
    const words = src.match(WORDS)?.length ?? 0;
    if (words > 0 && !out) return 'empty';
    if (words >= 4) {
      long += 1;
      if (out.replace(/\s+/gu, ' ') === src.trim().replace(/\s+/gu, ' ')) same += 1;
    }
  }
  return long > 0 && same / long > 0.5 ? 'untranslated' : undefined;
}
