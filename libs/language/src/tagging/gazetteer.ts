/**
 * Gazetteer entity recogniser: matches the vendored gazetteer (data/gazetteer.json: countries,
 * cities, organisations, people with Wikidata QIDs and ru/uk/en/mn/kk surface forms) against a
 * story. The data is read on first use and indexed once per story language.
 */
import type { EntityMention, EntityType } from '@syndication/contracts';
// Type-only import: keeps the JSON in the TypeScript program, so `tsc` copies it into dist,
// while the file itself is read lazily by loadGazetteer().
import type GazetteerJson from '../../data/gazetteer.json';
import { analyzerFor } from './analyzer';
import { PhraseIndex, selectNonOverlapping, type PhraseMatch } from './phrase-index';
import type { AnalyzedStory, EntityCandidate, EntityRecognizer } from './types';

export const GAZETTEER_LANGUAGES = ['ru', 'uk', 'en', 'kk', 'mn'] as const;

export interface GazetteerEntry {
  id: string;
  type: EntityType;
  name: string;
  forms: Partial<Record<string, string[]>>;
}

interface GazetteerData {
  entries: GazetteerEntry[];
  byId: Map<string, GazetteerEntry>;
  /** Per language, normalised single-word forms that are also common words or first names. */
  ambiguous: Map<string, Set<string>>;
}

interface FormPayload {
  entry: GazetteerEntry;
  ambiguous: boolean;
  /** The form ends with a full stop ("Washington, D.C."), which tokens leave out. */
  finalStop: boolean;
}

const ENTITY_TYPES: ReadonlySet<string> = new Set<EntityType>(['person', 'organisation', 'place']);

let data: GazetteerData | undefined;
const indexes = new Map<string, PhraseIndex<FormPayload>>();

export function loadGazetteer(): GazetteerData {
  if (data) return data;
  const raw = require('../../data/gazetteer.json') as typeof GazetteerJson;
  const entries: GazetteerEntry[] = raw.entities.map((entity) => {
    if (!ENTITY_TYPES.has(entity.type)) throw new Error(`gazetteer: ${entity.id} has unknown type ${entity.type}`);
    return { id: entity.id, type: entity.type as EntityType, name: entity.name, forms: entity.forms };
  });
  const ambiguous = new Map<string, Set<string>>();
  for (const [language, forms] of Object.entries(raw.ambiguousForms as Record<string, string[]>)) {
    ambiguous.set(language, new Set(forms.map((form) => form.toLowerCase().replace(/ё/g, 'е'))));
  }
  data = { entries, byId: new Map(entries.map((entry) => [entry.id, entry])), ambiguous };
  return data;
}

/** Languages whose forms are matched in a story: its own plus English, or all when unknown. */
function formLanguages(language: string): readonly string[] {
  if (language === 'en') return ['en'];
  return (GAZETTEER_LANGUAGES as readonly string[]).includes(language) ? [language, 'en'] : GAZETTEER_LANGUAGES;
}

export function gazetteerIndex(language: string): PhraseIndex<FormPayload> {
  let index = indexes.get(language);
  if (index) return index;
  const { entries, ambiguous } = loadGazetteer();
  const analyzer = analyzerFor(language);
  index = new PhraseIndex<FormPayload>(analyzer, { caseSensitive: true });
  for (const formLanguage of formLanguages(language)) {
    const ambiguousHere = ambiguous.get(formLanguage);
    for (const entry of entries) {
      for (const form of entry.forms[formLanguage] ?? []) {
        const norm = form.toLowerCase().replace(/ё/g, 'е');
        const singleWord = !/[\s.,-]/.test(form);
        const commonWord = singleWord && analyzer.isStopWord(norm);
        index.add(form, { entry, ambiguous: ambiguousHere?.has(norm) === true || commonWord, finalStop: form.endsWith('.') });
      }
    }
  }
  indexes.set(language, index);
  return index;
}

/** Phrase quality of a one-word match that is more than a short-stem inflection. */
const SOLID_MATCH = 2;

const CONFIDENCE = {
  multiWord: 0.95,
  exact: 0.9,
  inflected: 0.8,
  ambiguous: 0.6,
  nested: 0.7,
};

export class GazetteerRecognizer implements EntityRecognizer {
  readonly source = 'gazetteer';

  recognise(story: AnalyzedStory, claimed: ReadonlySet<number>): EntityCandidate[] {
    const index = gazetteerIndex(story.language);
    const tokens = story.tokens;
    const all = index.matchAll(tokens, (position) => !claimed.has(position)).filter((match) => {
      if (match.end - match.start > 1 || tokens[match.start]?.sentenceInitial !== true) return true;
      // At a sentence start a capital letter proves nothing: a one-word name that is also a common
      // word ("Того", "Chad") or that matched only through a short stem ("Моди" in "Мода") is dropped.
      return !match.phrase.payload.ambiguous && match.quality >= SOLID_MATCH;
    });
    const chosen = selectNonOverlapping(all);

    const found = new Map<string, EntityCandidate & { scores: number[] }>();
    const record = (match: PhraseMatch<FormPayload>, confidence: number): void => {
      const { entry } = match.phrase.payload;
      const first = tokens[match.start];
      const last = tokens[match.end - 1];
      if (!first || !last) return;
      const end = match.phrase.payload.finalStop && story.text[last.end] === '.' ? last.end + 1 : last.end;
      const mention: EntityMention = { surface: story.text.slice(first.start, end), offset: first.start };
      let candidate = found.get(entry.id);
      if (!candidate) {
        candidate = {
          id: entry.id,
          type: entry.type,
          name: entry.name,
          mentions: [],
          confidence: 0,
          source: this.source,
          tokenSpans: [],
          scores: [],
        };
        found.set(entry.id, candidate);
      }
      if (!candidate.mentions.some((existing) => existing.offset === mention.offset)) {
        candidate.mentions.push(mention);
        candidate.scores.push(confidence);
      }
      candidate.tokenSpans.push([match.start, match.end]);
    };

    for (const match of chosen) {
      record(match, mentionConfidence(match));
      if (match.phrase.payload.entry.type !== 'organisation' || match.end - match.start < 2) continue;
      // "Государственный департамент США" is one organisation, but the story is still about the
      // USA: places named inside an organisation's name count as weaker mentions of their own.
      const nested = all.filter(
        (inner) =>
          inner.phrase.payload.entry.type === 'place' &&
          inner.start >= match.start &&
          inner.end <= match.end &&
          inner.end - inner.start < match.end - match.start,
      );
      for (const inner of selectNonOverlapping(nested)) record(inner, CONFIDENCE.nested);
    }

    return [...found.values()].map(({ scores, ...candidate }) => ({
      ...candidate,
      mentions: candidate.mentions.sort((a, b) => a.offset - b.offset),
      confidence: combineConfidence(scores),
    }));
  }
}

function mentionConfidence(match: PhraseMatch<FormPayload>): number {
  if (match.phrase.payload.ambiguous) return CONFIDENCE.ambiguous;
  if (match.end - match.start > 1) return CONFIDENCE.multiWord;
  return match.quality >= 3 ? CONFIDENCE.exact : CONFIDENCE.inflected;
}

/** Independent mentions reinforce each other (noisy-or), capped below certainty. */
export function combineConfidence(scores: readonly number[]): number {
  const doubt = scores.reduce((product, score) => product * (1 - score), 1);
  return Math.round(Math.min(0.99, 1 - doubt) * 100) / 100;
}
