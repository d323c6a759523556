/**
 * Feature extraction for the Russian NER model: for each token, the strings the perceptron
 * weighs. Spelling (word, stem, affixes, shape), position (sentence start, quotes, paragraph),
 * context (the words around it), morphology from `az` for capitalised words, hits of the rule
 * recognisers (gazetteer, person heuristic, organisation patterns), and two document-level facts
 * (is this word capitalised elsewhere mid-sentence; written in lower case elsewhere).
 *
 * Training and tagging must call this with the same rule hints, or the model sees features at
 * run time it never learnt.
 */
import type { Token } from '../text';
import type { AnalyzedStory, EntityCandidate } from '../types';
import { analyseWord } from './morphology';

const QUOTE_OPEN = /[«"„“]$/;
const QUOTE_CLOSE = /^[»"“”]/;

const shapes = new Map<string, string>();
const MAX_SHAPES = 50_000;

export function shape(raw: string): string {
  let cached = shapes.get(raw);
  if (cached === undefined) {
    cached = computeShape(raw);
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(raw, cached);
  }
  return cached;
}

function computeShape(raw: string): string {
  const mapped = raw
    .replace(/\p{Lu}/gu, 'X')
    .replace(/\p{Ll}/gu, 'x')
    .replace(/\p{N}/gu, 'd')
    .replace(/(.)\1+/g, '$1$1');
  return mapped.length > 6 ? mapped.slice(0, 6) : mapped;
}

/** A short word class for context positions. */
function coarse(token: Token | undefined): string {
  if (!token) return '_';
  if (token.acronym) return 'A';
  if (/\d/.test(token.raw)) return 'D';
  if (token.capitalised) return token.latin ? 'L' : 'C';
  return token.latin ? 'l' : 'c';
}

/**
 * Per-token rule hints: "<source>:<type>:<B|I>" for every rule span covering the token, where the
 * source of an entity with a gazetteer id is "gaz" and any other recogniser keeps its name.
 */
export function ruleHints(tokenCount: number, candidates: readonly EntityCandidate[]): string[][] {
  const hints: string[][] = Array.from({ length: tokenCount }, () => []);
  for (const candidate of candidates) {
    const source = candidate.source.split('+')[0] ?? candidate.source;
    for (const [start, end] of candidate.tokenSpans) {
      for (let index = start; index < end && index < tokenCount; index += 1) {
        hints[index]?.push(`${source}:${candidate.type}:${index === start ? 'B' : 'I'}${end - start > 1 ? 'm' : '1'}`);
      }
    }
  }
  return hints;
}

/**
 * For each token between quotation marks, the index of the word before the opening quote (-1 at
 * the start of the text); undefined outside quotes. Guillemets nest; a straight or English double
 * quote opens when a word follows it directly and closes otherwise.
 */
function insideQuotes(tokens: readonly Token[]): Array<number | undefined> {
  let depth = 0;
  let opener: number | undefined;
  return tokens.map((token) => {
    const before = depth;
    const gap = token.gapBefore;
    for (let at = 0; at < gap.length; at += 1) {
      const char = gap[at];
      if (char === '«' || char === '„') depth += 1;
      else if (char === '»') depth = Math.max(0, depth - 1);
      else if (char === '"' || char === '“' || char === '”') {
        if (at === gap.length - 1 && char !== '”') depth += 1;
        else depth = Math.max(0, depth - 1);
      }
    }
    if (depth === 0) opener = undefined;
    else if (before === 0 || opener === undefined) opener = token.index - 1;
    return depth > 0 ? opener : undefined;
  });
}

function wordClass(token: Token): boolean {
  return token.capitalised && !token.latin;
}

export function extractFeatures(story: AnalyzedStory, hints: readonly string[][]): string[][] {
  const tokens = story.tokens;
  const text = story.text;
  const stems = tokens.map((token) => story.analyzer.stem(token.norm, token.latin));
  const capitalisedMid = new Set<string>();
  const lower = new Set<string>();
  for (const token of tokens) {
    if (token.capitalised && !token.sentenceInitial) capitalisedMid.add(token.norm);
    if (!token.capitalised) lower.add(token.norm);
  }
  const morph = tokens.map((token) => (wordClass(token) ? analyseWord(token.raw) : undefined));
  const quoted = insideQuotes(tokens);
  const documentTypes = new Map<string, Set<string>>();
  hints.forEach((list, index) => {
    const stem = stems[index]!;
    for (const hint of list) {
      const type = hint.split(':')[1] ?? '';
      const set = documentTypes.get(stem) ?? new Set<string>();
      set.add(type);
      documentTypes.set(stem, set);
    }
  });
  return tokens.map((token, index) => {
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    const gapAfter = next ? text.slice(token.end, next.start) : text.slice(token.end);
    const out: string[] = ['b'];
    const norm = token.norm;
    const sh = shape(token.raw);
    const cls = coarse(token);
    out.push(`w=${norm}`, `st=${stems[index]}`, `sh=${sh}`, `c=${cls}`);
    if (norm.length > 3) out.push(`s2=${norm.slice(-2)}`, `s3=${norm.slice(-3)}`, `p3=${norm.slice(0, 3)}`);
    if (norm.length > 4) out.push(`s4=${norm.slice(-4)}`);
    if (token.sentenceInitial) out.push('si', `si|${cls}`);
    if (token.gapBefore === '\n') out.push('para');
    const gap = token.gapBefore.trim();
    if (gap) out.push(`g=${gap.slice(-2)}`);
    const after = gapAfter.trim();
    if (after) out.push(`ga=${after.slice(0, 2)}`);
    if (QUOTE_OPEN.test(token.gapBefore)) out.push('qo');
    if (QUOTE_CLOSE.test(after)) out.push('qc');
    const opener = quoted[index];
    if (opener !== undefined) {
      // The word that introduces a quoted name says what it is: партия «...», фильм «...».
      out.push(`inq|${cls}`, `qw=${opener >= 0 ? stems[opener] : '<s>'}`, `qw|c=${opener >= 0 ? stems[opener] : '<s>'}|${cls}`);
    }
    if (token.raw.includes('-')) out.push('hyph');
    if (token.raw.length === 1 && token.capitalised) out.push(`init|${/^\./.test(after) ? 'dot' : 'nodot'}`);

    // Context.
    const p1 = previous ? stems[index - 1] : '<s>';
    const p2 = tokens[index - 2] ? stems[index - 2] : '<s>';
    const n1 = next ? stems[index + 1] : '</s>';
    const n2 = tokens[index + 2] ? stems[index + 2] : '</s>';
    out.push(`p1=${p1}`, `n1=${n1}`, `p2=${p2}`, `n2=${n2}`, `p1|c=${p1}|${cls}`, `n1|c=${n1}|${cls}`);
    out.push(`pc=${coarse(previous)}`, `nc=${coarse(next)}`, `pc|c|nc=${coarse(previous)}|${cls}|${coarse(next)}`);
    out.push(`p2c=${coarse(tokens[index - 2])}|${coarse(previous)}|${cls}`);
    // A lower-case word continuing a capitalised name: "Национального фронта", "Свердловской области".
    if (!token.capitalised) out.push(`pc|st=${coarse(previous)}|${stems[index]}`);

    // Morphology of capitalised words and their capitalised neighbours.
    const m = morph[index];
    if (m) {
      out.push(`pos=${m.pos}`, `case=${m.case}`, `lem=${m.lemma}`, m.known ? 'known' : 'unknown');
      for (const grammeme of m.first) out.push(`m1=${grammeme}`);
      for (const grammeme of m.any) out.push(`ma=${grammeme}`);
      if (m.first.length === 0) out.push('m1=none');
    }
    const pm = morph[index - 1];
    if (pm) for (const grammeme of pm.first) out.push(`pm=${grammeme}`);
    const nm = morph[index + 1];
    if (nm) for (const grammeme of nm.first) out.push(`nm=${grammeme}`);

    // Document-level spelling evidence.
    if (token.capitalised) {
      if (capitalisedMid.has(norm)) out.push('doc:capmid');
      if (lower.has(norm)) out.push('doc:lower');
    }

    // What the rules found elsewhere in the story for the same word.
    for (const type of documentTypes.get(stems[index]!) ?? []) if (token.capitalised || token.acronym) out.push(`docr=${type}`);

    // Rule recognisers.
    for (const hint of hints[index] ?? []) out.push(`r=${hint}`);
    for (const hint of hints[index - 1] ?? []) out.push(`pr=${hint}`);
    for (const hint of hints[index + 1] ?? []) out.push(`nr=${hint}`);
    return out;
  });
}
