/**
 * Russian named-entity recognition: a perceptron sequence model trained on factRuEval-2016
 * (data/ner-ru-model.json, see train.ts) decides which tokens are people, places and
 * organisations; the rule recognisers (gazetteer, person heuristic, surname coreference,
 * organisation patterns) run first and are both features of the model and the source of identity.
 * A span the model finds that overlaps a gazetteer match of the same type becomes a mention of the
 * gazetteer's entity (its Wikidata id and canonical name); any other span becomes an entity with a
 * typed slug id, grouped by lemma, later surname-only mentions joining the full name.
 */
import type { EntityMention, EntityType } from '@syndication/contracts';
// Type-only: keeps the model file in the TypeScript program so that tsc copies it into dist; the
// file itself is read on first use.
import type ModelJson from '../../../data/ner-ru-model.json';
import { GazetteerRecognizer } from '../gazetteer';
import { OrganisationPatternRecognizer } from '../organisation-patterns';
import { PersonHeuristicRecognizer } from '../person-heuristic';
import { SurnameCoreferenceRecognizer } from '../surname-coreference';
import { slugify, transliterate, type Token } from '../text';
import type { AnalyzedStory, EntityCandidate, EntityRecognizer } from '../types';
import { extractFeatures, ruleHints } from './features';
import { analyseWord, nominativeOf } from './morphology';
import { PerceptronModel, type BioTag, type ModelFile } from './perceptron';

export type NerType = 'PER' | 'LOC' | 'ORG';
const ENTITY_TYPE: Record<NerType, EntityType> = { PER: 'person', LOC: 'place', ORG: 'organisation' };

export interface TokenSpan {
  start: number;
  end: number;
  type: NerType;
}

/** The rule recognisers, in the order the tagger has always run them. */
export function ruleRecognizers(): EntityRecognizer[] {
  return [new GazetteerRecognizer(), new PersonHeuristicRecognizer(), new SurnameCoreferenceRecognizer(), new OrganisationPatternRecognizer()];
}

/** Runs recognisers as the tagger does: each sees what the earlier ones claimed and found. */
export function runRecognizers(story: AnalyzedStory, recognizers: readonly EntityRecognizer[]): EntityCandidate[] {
  const claimed = new Set<number>();
  const candidates: EntityCandidate[] = [];
  for (const recognizer of recognizers) {
    const found = recognizer.recognise(story, claimed, candidates);
    for (const candidate of found) for (const [start, end] of candidate.tokenSpans) for (let index = start; index < end; index += 1) claimed.add(index);
    candidates.push(...found);
  }
  return candidates;
}

/** Paragraphs: entities never cross a line break, so each is decoded on its own. */
export function segments(tokens: readonly Token[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let index = 1; index <= tokens.length; index += 1) {
    if (index === tokens.length || tokens[index]?.gapBefore === '\n') {
      if (index > start) out.push([start, index]);
      start = index;
    }
  }
  return out;
}

/**
 * Punctuation no name in the training data contains between its words: an entity cannot continue
 * across it ("Телеграм-канале @centralasiamedia", "Америки: Может"). Full stops (initials,
 * "Лента.ру"), dashes and opening quotes do occur inside names.
 */
const BREAK = /[,;:!?()»"“”@•|/\\[\]{}\n]/;

export function breaks(tokens: readonly Token[]): boolean[] {
  return tokens.map((token) => BREAK.test(token.gapBefore));
}

export function bioToSpans(tags: readonly BioTag[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let open: TokenSpan | undefined;
  tags.forEach((tag, index) => {
    if (tag === 'O' || tag.startsWith('B-') || (open && tag.slice(2) !== open.type)) {
      if (open) spans.push(open);
      open = undefined;
    }
    if (tag !== 'O' && !open) open = { start: index, end: index + 1, type: tag.slice(2) as NerType };
    else if (open && tag !== 'O') open.end = index + 1;
  });
  if (open) spans.push(open);
  return spans;
}

let defaultModel: PerceptronModel | undefined;

export function loadRussianNerModel(): PerceptronModel {
  defaultModel ??= PerceptronModel.fromFile(require('../../../data/ner-ru-model.json') as typeof ModelJson as ModelFile);
  return defaultModel;
}

export interface RussianNerOptions {
  model?: PerceptronModel;
  rules?: readonly EntityRecognizer[];
  /**
   * Keep gazetteer matches the model did not confirm. The model was trained with the gazetteer as
   * a feature, so by default its decision stands.
   */
  keepUnconfirmedGazetteer?: boolean;
}

/** The model's tags for a story, with the rule candidates it was given. */
export function predictSpans(story: AnalyzedStory, model: PerceptronModel, rules: readonly EntityCandidate[]): TokenSpan[] {
  const features = extractFeatures(story, ruleHints(story.tokens.length, rules));
  const stops = breaks(story.tokens);
  const spans: TokenSpan[] = [];
  for (const [start, end] of segments(story.tokens)) {
    for (const span of bioToSpans(model.decode(features.slice(start, end), stops.slice(start, end)))) {
      const shifted = { start: span.start + start, end: span.end + start, type: span.type };
      if (!isCompoundCommonNoun(story.tokens, shifted)) spans.push(shifted);
    }
  }
  return spans;
}

/**
 * A one-word span such as "Телеграм-канале" or "Интернет-издания": a hyphenated word whose last
 * part is a lower-case common noun of the dictionary names a kind of thing, not an entity
 * (names hyphenate capitalised parts: "Улан-Батор", "Аль-Кайды"). Too rare in the training data
 * for the model to learn, so it is ruled out here.
 */
function isCompoundCommonNoun(tokens: readonly Token[], span: TokenSpan): boolean {
  const token = tokens[span.start];
  if (span.end - span.start !== 1 || !token || token.latin) return false;
  const last = token.raw.slice(token.raw.lastIndexOf('-') + 1);
  if (last === token.raw || !/^\p{Ll}{3,}$/u.test(last)) return false;
  const morph = analyseWord(last);
  return morph.known && morph.pos === 'NOUN' && morph.any.length === 0;
}

const MODEL_CONFIDENCE = 0.55;
const MODEL_CEILING = 0.75;
const NESTED_CONFIDENCE = 0.7;

interface Mention {
  start: number;
  end: number;
}

export class RussianNerRecognizer implements EntityRecognizer {
  readonly source = 'ner';
  private readonly rules: readonly EntityRecognizer[];

  constructor(private readonly options: RussianNerOptions = {}) {
    this.rules = options.rules ?? ruleRecognizers();
  }

  recognise(story: AnalyzedStory): EntityCandidate[] {
    const rules = runRecognizers(story, this.rules);
    const model = this.options.model ?? loadRussianNerModel();
    const spans = predictSpans(story, model, rules);
    return this.entities(story, spans, rules);
  }

  private entities(story: AnalyzedStory, spans: readonly TokenSpan[], rules: readonly EntityCandidate[]): EntityCandidate[] {
    // Gazetteer spans by token, to link the model's spans to known entities.
    const known = rules.filter((candidate) => candidate.source === 'gazetteer');
    const knownAt = new Map<number, Array<{ candidate: EntityCandidate; start: number; end: number }>>();
    for (const candidate of known) {
      for (const [start, end] of candidate.tokenSpans) {
        for (let index = start; index < end; index += 1) {
          const list = knownAt.get(index) ?? [];
          list.push({ candidate, start, end });
          knownAt.set(index, list);
        }
      }
    }

    const linked = new Map<string, { candidate: EntityCandidate; mentions: Map<number, Mention>; nested: boolean[] }>();
    const link = (candidate: EntityCandidate, mention: Mention, nested = false): void => {
      const entry = linked.get(candidate.id) ?? { candidate, mentions: new Map<number, Mention>(), nested: [] };
      if (!entry.mentions.has(mention.start)) {
        entry.mentions.set(mention.start, mention);
        entry.nested.push(nested);
      }
      linked.set(candidate.id, entry);
    };
    const covered = new Set<number>();
    const unlinked: TokenSpan[] = [];
    const organisations: Mention[] = [];
    for (const span of spans) {
      const type = ENTITY_TYPE[span.type];
      let best: { candidate: EntityCandidate; start: number; end: number } | undefined;
      let bestOverlap = 0;
      for (let index = span.start; index < span.end; index += 1) {
        for (const hit of knownAt.get(index) ?? []) {
          if (hit.candidate.type !== type) continue;
          const overlap = Math.min(span.end, hit.end) - Math.max(span.start, hit.start);
          if (overlap > bestOverlap) {
            best = hit;
            bestOverlap = overlap;
          }
        }
      }
      const mention = best ? { start: Math.min(span.start, best.start), end: Math.max(span.end, best.end) } : span;
      for (let index = mention.start; index < mention.end; index += 1) covered.add(index);
      if (type === 'organisation') organisations.push(mention);
      if (best) link(best.candidate, mention);
      else unlinked.push(span);
    }
    for (const candidate of known) {
      for (const [start, end] of candidate.tokenSpans) {
        // "США" in "Государственный департамент США" stays a weaker mention of the USA.
        const inside = organisations.some((org) => start >= org.start && end <= org.end && end - start < org.end - org.start);
        if (inside && candidate.type === 'place') link(candidate, { start, end }, true);
        else if (this.options.keepUnconfirmedGazetteer) {
          let free = true;
          for (let index = start; index < end && free; index += 1) free = !covered.has(index);
          if (free) link(candidate, { start, end });
        }
      }
    }

    const out: EntityCandidate[] = [];
    for (const { candidate, mentions, nested } of linked.values()) {
      const ordered = [...mentions.values()].sort((a, b) => a.start - b.start);
      const onlyNested = nested.every(Boolean);
      out.push({
        id: candidate.id,
        type: candidate.type,
        name: candidate.name,
        mentions: ordered.map((mention) => this.mention(story, mention, candidate)),
        confidence: onlyNested ? Math.min(candidate.confidence, NESTED_CONFIDENCE) : candidate.confidence,
        source: candidate.source,
        tokenSpans: ordered.map((mention) => [mention.start, mention.end]),
      });
    }
    out.push(...this.newEntities(story, unlinked, out));
    return out;
  }

  /** The text of a mention; a gazetteer form ending in a full stop ("D.C.") keeps it. */
  private mention(story: AnalyzedStory, span: Mention, candidate: EntityCandidate): EntityMention {
    const first = story.tokens[span.start]!;
    const last = story.tokens[span.end - 1]!;
    const own = candidate.mentions.find((mention) => mention.offset === first.start);
    const end = own && own.offset + own.surface.length > last.end ? own.offset + own.surface.length : last.end;
    return { surface: story.text.slice(first.start, end), offset: first.start };
  }

  /** Entities the gazetteer does not know, grouped by lemma; a lone surname joins its full name. */
  private newEntities(story: AnalyzedStory, spans: readonly TokenSpan[], linked: readonly EntityCandidate[]): EntityCandidate[] {
    const tokens = story.tokens;
    const groups = new Map<string, { type: EntityType; spans: TokenSpan[] }>();
    const surnames = new Map<string, string>();
    for (const candidate of linked) {
      if (candidate.type !== 'person') continue;
      for (const [start, end] of candidate.tokenSpans) if (end - start >= 2) surnames.set(lemmaKey(tokens[end - 1]!), `id:${candidate.id}`);
    }
    const keyOf = (span: TokenSpan): string =>
      `${span.type}:${tokens
        .slice(span.start, span.end)
        .map((token) => lemmaKey(token))
        .join(' ')}`;
    // Full names first, so that a surname mentioned alone before the full name still joins it.
    const ordered = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    for (const span of ordered) {
      let key = keyOf(span);
      if (span.type === 'PER') {
        const surnameKey = lemmaKey(tokens[span.end - 1]!);
        if (span.end - span.start >= 2 && !surnames.has(surnameKey)) surnames.set(surnameKey, key);
        else if (span.end - span.start === 1) key = surnames.get(surnameKey) ?? key;
      }
      const group = groups.get(key) ?? { type: ENTITY_TYPE[span.type], spans: [] };
      group.spans.push(span);
      groups.set(key, group);
    }
    const byId = new Map<string, EntityCandidate>();
    const add = (candidate: EntityCandidate): void => {
      const existing = byId.get(candidate.id);
      if (!existing) {
        byId.set(candidate.id, candidate);
        return;
      }
      existing.mentions.push(...candidate.mentions);
      existing.tokenSpans.push(...candidate.tokenSpans);
    };
    for (const [key, group] of groups) {
      const sorted = [...group.spans].sort((a, b) => a.start - b.start);
      const mentions = sorted.map((span) => ({ surface: story.text.slice(tokens[span.start]!.start, tokens[span.end - 1]!.end), offset: tokens[span.start]!.start }));
      const tokenSpans = sorted.map((span): [number, number] => [span.start, span.end]);
      const linkedTo = key.startsWith('id:') ? linked.find((candidate) => `id:${candidate.id}` === key) : undefined;
      if (linkedTo) {
        // A surname alone, of a person the gazetteer knows by full name.
        add({ ...linkedTo, mentions, tokenSpans, confidence: Math.min(linkedTo.confidence, 0.6), source: linkedTo.source });
        continue;
      }
      const name = canonicalName(story, group.type, group.spans);
      add({
        id: `${group.type}:${slugify(name) || slugify(key)}`,
        type: group.type,
        name,
        mentions,
        confidence: Math.min(MODEL_CEILING, MODEL_CONFIDENCE + 0.05 * (mentions.length - 1)),
        source: this.source,
        tokenSpans,
      });
    }
    return [...byId.values()].map((candidate) => ({ ...candidate, mentions: candidate.mentions.sort((a, b) => a.offset - b.offset) }));
  }
}

/** A word's grouping key: its dictionary lemma for Cyrillic words, the spelling otherwise. */
function lemmaKey(token: Token): string {
  if (token.latin || !/\p{L}/u.test(token.raw) || token.acronym) return token.norm;
  return analyseWord(token.raw).lemma.replace(/ё/g, 'е');
}

/** The nominative spelled like the original: "НОВОСИБИРСКЕ" stays capitals, "Новосибирске" -> "Новосибирск". */
function spellLike(original: string, lower: string): string {
  if (original === original.toUpperCase()) return lower.toUpperCase();
  if (!/^\p{Lu}/u.test(original)) return lower;
  return lower.replace(/(^|-)(\p{Ll})/gu, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

const PERSON_GRAMMEMES = ['Name', 'Surn', 'Patr'] as const;

/**
 * A readable Latin name from the longest mention put in the nominative: people word by word, in
 * the gender of their first name ("Ольги Кузнецовой" -> "Olga Kuznetsova"); places and
 * organisations up to their head noun, adjectives agreeing with it ("Новосибирской области" ->
 * "Novosibirskaya oblast"), genitive complements as written ("Министерства иностранных дел").
 */
function canonicalName(story: AnalyzedStory, type: EntityType, spans: readonly TokenSpan[]): string {
  const tokens = story.tokens;
  const longest = [...spans].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)[0]!;
  const words = tokens.slice(longest.start, longest.end);
  const fixed = (token: Token): boolean => token.latin || token.acronym || token.raw.length === 1 || /\d/.test(token.raw);
  let parts: string[];
  if (type === 'person') {
    const firstName = words.find((token) => !fixed(token) && analyseWord(token.raw).first.includes('Name'));
    const gender = firstName ? nominativeOf(firstName.raw, { prefer: 'Name' }).gender : undefined;
    parts = words.map((token) => {
      if (fixed(token)) return token.raw;
      const grammeme = PERSON_GRAMMEMES.find((candidate) => analyseWord(token.raw).any.includes(candidate));
      if (!grammeme) return token.raw;
      return spellLike(token.raw, nominativeOf(token.raw, { prefer: grammeme, ...(gender ? { gender } : {}) }).word);
    });
  } else {
    const headIndex = words.findIndex((token) => !fixed(token) && analyseWord(token.raw).pos === 'NOUN');
    const head = headIndex >= 0 ? nominativeOf(words[headIndex]!.raw) : undefined;
    parts = words.map((token, index) => {
      if (fixed(token) || !head || index > headIndex) return token.raw;
      if (index === headIndex) return spellLike(token.raw, head.word);
      const form = nominativeOf(token.raw, { plural: head.plural, ...(head.gender ? { gender: head.gender } : {}) });
      return form.pos === 'ADJF' ? spellLike(token.raw, form.word) : token.raw;
    });
  }
  const surface = parts.join(' ');
  return words[0]?.latin ? surface : transliterate(surface);
}
