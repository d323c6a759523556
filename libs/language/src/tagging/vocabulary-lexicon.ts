/**
 * English topic rules derived from the IPTC vocabulary itself, so every one of its 1,099 live
 * concepts can be found, not only the hundred-odd the curated rules name:
 *  - a concept's name is a strong term ("central bank", "baseball"), and so is each part of a
 *    composite name ("arts, culture, entertainment and media" gives "arts", "culture", ...);
 *  - words of its definition that are specific to it (used by at most MAX_DEFINITION_DF concepts'
 *    names and definitions, stemmed) are weak terms: together they add up, alone they do not fire.
 * Names that are common words in news ("party", "series", "fire") are left to the curated rules.
 */
import { analyzerFor } from './analyzer';
import { mediaTopics } from './media-topics';
import { tokenize } from './text';
import type { TopicRule } from './topic-rules';

/** Evidence of one occurrence of a name (part) relative to a curated term. */
export const NAME_WEIGHT = 1;
export const DEFINITION_WEIGHT = 0.35;
/** A definition word shared by more concepts than this says too little about any of them. */
const MAX_DEFINITION_DF = 3;
/** A one-word name part shared by more concepts than this is not specific enough to stand alone. */
const MAX_NAME_PART_DF = 6;
const MIN_WORD = 4;

/**
 * One-word names (or name parts) that are ordinary news words in another sense: a political
 * "party", a TV "series", "fire" (dismiss, shoot), the Japanese "Diet", "forging" ties. Curated
 * rules cover the topics where a context-free word would mislead.
 */
const AMBIGUOUS_NAME_PARTS = new Set(
  `
series party game games fire bar pool polo skeleton squash bandy kiting rowing drawing forging restoration
diet musical trend values men women adults children family communities nature water language culture history
mankind leisure collecting cult hobby metal plastic transport retail utilities regulations law court judge
surveillance arrest government society economy health environment sport lifestyle politics religion weather
labour education employment employee employer consumers prices investments exports imports loans bonds
currency inflation police prison school students teachers hospital therapy injury ceremony anniversary birthday
marathon hunting fishing diving sailing boxing curling fencing hurling boules pentecost influencers
radio television newspaper periodical podcast mountains rivers oceans forests parks animal pests conservation
disaster war crime demonstration election voting treaty diplomacy defence taxation church minister secretary
national international local public private official club association
`
    .split(/\s+/)
    .filter(Boolean),
);

/** Vocabulary boilerplate: words of names and definitions that describe the scheme, not the news. */
const BOILERPLATE = new Set(
  `
all matters matter concerning related relating issues issue news including include includes other others
various type types form forms activity activities aspect aspects general specific use used using people
person persons involving involved also such way ways which whose within where thing things area areas event
events subject subjects topic topics stories story coverage part parts number practice practices kind kinds
one two three well made make makes making take takes individual individuals group groups body bodies
`
    .split(/\s+/)
    .filter(Boolean),
);

function contentWords(text: string): string[] {
  const analyzer = analyzerFor('en');
  return tokenize(text)
    .filter((token) => token.latin && token.norm.length >= MIN_WORD && !/\d/.test(token.norm))
    .filter((token) => !analyzer.isStopWord(token.norm) && !BOILERPLATE.has(token.norm))
    .map((token) => token.norm);
}

/** "arts, culture, entertainment and media" -> ["arts", "culture", "entertainment", "media"]. */
export function nameParts(name: string): string[] {
  const parts = name
    .split(/,|\band\b|\bor\b|\//u)
    .map((part) => part.replace(/\([^)]*\)/gu, '').trim())
    .filter(Boolean);
  return parts.length > 1 ? parts : [];
}

let derived: readonly TopicRule[] | undefined;

export function vocabularyRules(): readonly TopicRule[] {
  if (derived) return derived;
  const analyzer = analyzerFor('en');
  const stem = (word: string): string => analyzer.stem(word, true);
  const concepts = [...mediaTopics().all()];

  // Document frequency of stems over every concept's name + definition.
  const df = new Map<string, number>();
  const nameDf = new Map<string, number>();
  for (const concept of concepts) {
    for (const key of new Set(contentWords(`${concept.name} ${concept.definition}`).map(stem))) df.set(key, (df.get(key) ?? 0) + 1);
    for (const key of new Set(contentWords(concept.name).map(stem))) nameDf.set(key, (nameDf.get(key) ?? 0) + 1);
  }

  const rules: TopicRule[] = [];
  for (const concept of concepts) {
    const names = new Set<string>();
    const usable = (phrase: string): boolean => {
      const words = contentWords(phrase);
      if (words.length === 0) return false;
      const tokens = tokenize(phrase);
      if (tokens.length === 1) {
        const only = tokens[0]?.norm ?? '';
        return !AMBIGUOUS_NAME_PARTS.has(only) && (nameDf.get(stem(only)) ?? 0) <= MAX_NAME_PART_DF;
      }
      return true;
    };
    const cleanName = concept.name.replace(/\([^)]*\)/gu, '').trim();
    if (usable(cleanName)) names.add(cleanName);
    // A one-word part stands alone only where the name is a plain list of words ("arts, culture,
    // entertainment and media"); in "national or ethnic minority" the "national" qualifies.
    const parts = nameParts(cleanName);
    const list = parts.every((part) => tokenize(part).length === 1);
    for (const part of parts) if ((list || tokenize(part).length > 1) && usable(part)) names.add(part);

    const nameStems = new Set(contentWords(cleanName).map(stem));
    const definitionWords = new Set<string>();
    const seenStems = new Set<string>();
    for (const word of contentWords(concept.definition)) {
      const key = stem(word);
      if (nameStems.has(key) || seenStems.has(key) || AMBIGUOUS_NAME_PARTS.has(word)) continue;
      seenStems.add(key);
      if ((df.get(key) ?? 0) <= MAX_DEFINITION_DF) definitionWords.add(word);
    }
    if (names.size > 0) rules.push({ code: concept.code, terms: { en: [...names] }, weight: NAME_WEIGHT });
    if (definitionWords.size > 0) rules.push({ code: concept.code, terms: { en: [...definitionWords] }, weight: DEFINITION_WEIGHT, specificOnly: true });
  }
  derived = rules;
  return rules;
}
