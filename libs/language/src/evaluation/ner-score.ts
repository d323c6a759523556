/**
 * NER scoring under the natasha/naeval protocol, plus an entity-level ("strict") score.
 *
 * Token level (naeval `ner/score.py`): the text is split into tokens (naeval uses razdel; see
 * `scoringTokens`), each token gets the type of the span it lies in or none ("IO" tags, computed per
 * type exactly like naeval's `spans_io`), and for each type a token counts as a true positive when
 * both gold and prediction tag it with that type. Precision, recall and F1 are micro averages over
 * every token of every document; `support` is the number of gold tokens of the type.
 *
 * Strict: a predicted span counts only when a gold span has exactly the same start, stop and type;
 * micro averaged over documents; `support` is the number of gold spans of the type.
 *
 * Predictions go through the same adaptation as gold before scoring (overlaps filtered, spans not
 * aligned with token bounds dropped), as naeval does for every model it scores.
 */

export const NER_TYPES = ['PER', 'LOC', 'ORG'] as const;
export type NerType = (typeof NER_TYPES)[number];

export interface NerSpan {
  start: number;
  stop: number;
  type: NerType;
}

export interface ScoringToken {
  start: number;
  stop: number;
  text: string;
}

// The atoms razdel starts from: runs of one script, digit runs, single punctuation characters.
const ATOM = /\p{Script=Cyrillic}+|\p{Script=Latin}+|\p{N}+|[\p{L}\p{M}]+|\S/gu;
const WORDLIKE = /^[\p{L}\p{M}\p{N}]/u;
const DIGITS = /^\p{N}+$/u;
const DASHES = new Set(['-', '‐', '‑']);

/**
 * A close approximation of razdel's tokenizer, which naeval uses: word atoms joined by a hyphen
 * stay one token ("Улан-Батор", "Жан-Мари"), numbers joined by "," "." "/" stay one ("3,5"),
 * a run of the same punctuation character ("...") is one token, every other punctuation character
 * is a token of its own ("им." -> "им" "."). Mixed-script or letter+digit atoms written together
 * ("МС-21" aside) are split, as razdel does.
 */
export function scoringTokens(text: string): ScoringToken[] {
  const atoms = [...text.matchAll(ATOM)].map((match) => ({ start: match.index, stop: match.index + match[0].length, text: match[0] }));
  const tokens: ScoringToken[] = [];
  let index = 0;
  while (index < atoms.length) {
    const first = atoms[index]!;
    let token = { ...first };
    index += 1;
    for (;;) {
      const next = atoms[index];
      const after = atoms[index + 1];
      if (!next || next.start !== token.stop) break;
      const last = token.text.slice(-1);
      // word-word (hyphenated names and compounds)
      if (DASHES.has(next.text) && after && after.start === next.stop && WORDLIKE.test(after.text) && WORDLIKE.test(last)) {
        token = { start: token.start, stop: after.stop, text: token.text + next.text + after.text };
        index += 2;
        continue;
      }
      // 3,5  1.5  1/2
      if (/^[.,/]$/.test(next.text) && after && after.start === next.stop && DIGITS.test(after.text) && /\p{N}$/u.test(token.text) && DIGITS.test(first.text)) {
        token = { start: token.start, stop: after.stop, text: token.text + next.text + after.text };
        index += 2;
        continue;
      }
      // ... !!! --
      if (!WORDLIKE.test(next.text) && next.text === last && !WORDLIKE.test(token.text)) {
        token = { start: token.start, stop: next.stop, text: token.text + next.text };
        index += 1;
        continue;
      }
      break;
    }
    tokens.push(token);
  }
  return tokens;
}

/**
 * naeval's `filter_overlapping`: in (start, longest first) order, a span that starts before the
 * end of the last kept span is dropped. The survivors keep their input order.
 */
export function filterOverlapping<T extends { start: number; stop: number }>(spans: readonly T[]): T[] {
  const ordered = [...spans].sort((a, b) => a.start - b.start || b.stop - a.stop);
  const dropped = new Set<T>();
  let previous: T | undefined;
  for (const span of ordered) {
    if (previous && previous.stop > span.start) {
      dropped.add(span);
      continue;
    }
    previous = span;
  }
  return spans.filter((span) => !dropped.has(span));
}

/** naeval's `filter_misaligned_spans`: a span must start where a token starts and stop where one stops. */
export function filterMisaligned<T extends { start: number; stop: number }>(spans: readonly T[], tokens: readonly ScoringToken[]): T[] {
  const starts = new Set(tokens.map((token) => token.start));
  const stops = new Set(tokens.map((token) => token.stop));
  return spans.filter((span) => starts.has(span.start) && stops.has(span.stop));
}

/** Adapts predicted spans the way gold spans are adapted: overlaps removed, aligned, sorted. */
export function adaptSpans(spans: readonly NerSpan[], tokens: readonly ScoringToken[]): NerSpan[] {
  return filterMisaligned(filterOverlapping(spans), tokens).sort((a, b) => a.start - b.start);
}

/**
 * naeval's `spans_io` for the spans of one type (sorted, non-overlapping, token-aligned): whether
 * each token lies inside one of them.
 */
export function spansIo(tokens: readonly ScoringToken[], spans: readonly NerSpan[]): boolean[] {
  const tags: boolean[] = [];
  let position = 0;
  for (const token of tokens) {
    const span = spans[position];
    let inside = false;
    if (span) {
      if (token.start >= span.start) inside = true;
      if (token.stop >= span.stop) position += 1;
    }
    tags.push(inside);
  }
  return tags;
}

export interface Counts {
  /** Predictions that were right, all predictions, gold items that were found, all gold items. */
  tp: number;
  predicted: number;
  gold: number;
}

export interface TypeScore {
  p: number;
  r: number;
  f1: number;
  support: number;
}

export type NerScores = Record<NerType, TypeScore> & { strict: Record<NerType, TypeScore> };

export class NerScorer {
  private readonly tokenCounts = emptyCounts();
  private readonly strictCounts = emptyCounts();

  /** Adds one document; both span lists are adapted here, so callers pass them raw. */
  add(text: string, gold: readonly NerSpan[], predicted: readonly NerSpan[]): void {
    const tokens = scoringTokens(text);
    const goldSpans = adaptSpans(gold, tokens);
    const predSpans = adaptSpans(predicted, tokens);
    for (const type of NER_TYPES) {
      const goldOfType = goldSpans.filter((span) => span.type === type);
      const predOfType = predSpans.filter((span) => span.type === type);
      const goldTags = spansIo(tokens, goldOfType);
      const predTags = spansIo(tokens, predOfType);
      const counts = this.tokenCounts[type];
      goldTags.forEach((inGold, index) => {
        const inPred = predTags[index] === true;
        if (inPred) counts.predicted += 1;
        if (inGold) counts.gold += 1;
        if (inGold && inPred) counts.tp += 1;
      });
      const exact = new Set(goldOfType.map((span) => `${span.start}:${span.stop}`));
      const strict = this.strictCounts[type];
      strict.gold += goldOfType.length;
      strict.predicted += predOfType.length;
      strict.tp += predOfType.filter((span) => exact.has(`${span.start}:${span.stop}`)).length;
    }
  }

  result(): NerScores {
    const scores = (counts: Record<NerType, Counts>): Record<NerType, TypeScore> => ({
      PER: toScore(counts.PER),
      LOC: toScore(counts.LOC),
      ORG: toScore(counts.ORG),
    });
    return { ...scores(this.tokenCounts), strict: scores(this.strictCounts) };
  }
}

function emptyCounts(): Record<NerType, Counts> {
  return { PER: { tp: 0, predicted: 0, gold: 0 }, LOC: { tp: 0, predicted: 0, gold: 0 }, ORG: { tp: 0, predicted: 0, gold: 0 } };
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function toScore({ tp, predicted, gold }: Counts): TypeScore {
  const p = predicted ? tp / predicted : 0;
  const r = gold ? tp / gold : 0;
  const f1 = p + r ? (2 * p * r) / (p + r) : 0;
  return { p: round(p), r: round(r), f1: round(f1), support: gold };
}
