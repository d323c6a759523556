/**
 * Organisations the gazetteer does not know, in English, Ukrainian, Kazakh and Mongolian, found by
 * the noun that heads their names (organisation-patterns.ts does the same for Russian):
 *  - English: a capitalised run holding a head word, with "of/for/and/the/on" between capitals
 *    ("Ministry of Energy", "Citizens Bank", "University of Oxford", "Rio Tinto Group");
 *  - Ukrainian (head first): a capitalised head, optionally after an adjective, then genitive words
 *    and one capitalised word ("Міністерство енергетики", "Служба безпеки України");
 *  - Kazakh and Mongolian (head last): up to three words before a head, the first capitalised
 *    ("Қаржы министрлігі", "Сангийн яам", "Ардчилсан нам"); the head may carry case suffixes.
 * Runs on unclaimed tokens after the other recognisers; ids are slugs of the canonical name.
 */
import type { EntityMention } from '@syndication/contracts';
import { slugify, type Token } from './text';
import { transliterateName } from './transliteration';
import type { AnalyzedStory, EntityCandidate, EntityRecognizer } from './types';

const set = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

const ENGLISH_HEADS = set(`
ministry department agency bank council commission committee university corporation company group party
court institute association union fund authority office organisation organization service services inc ltd
llc plc corp federation foundation league board bureau administration assembly parliament academy police
airlines airways railways exchange
`);
const ENGLISH_CONNECTORS = set('of for and the on');
/** Capitalised words that start a sentence or headline and say nothing about a name. */
const ENGLISH_NON_NAMES = set('the a an this that these those its their our his her new former');

const UKRAINIAN_HEADS = [
  'міністерств', 'агентств', 'банк', 'рад', 'комітет', 'служб', 'парті', 'університет', 'компані', 'суд',
  'фонд', 'управлінн', 'адміністраці', 'інститут', 'академі', 'асоціаці', 'федераці', 'корпораці', 'прокуратур',
  'департамент', 'інспекці', 'палат', 'спілк',
];
const UKRAINIAN_ADJECTIVE = /(?:ий|ій|а|я|е|є|ого|ому|ої|ій|им|их|ою)$/;
const UKRAINIAN_GENITIVE = /(?:ого|их|ої|ів|ії|ання|ення|ості|ки|ди|ти|ні|ви|си|ри|ли|ми|ці|ції|ги|хи)$/;

const KAZAKH_HEADS = set(`
министрлігі министрлік агенттігі агенттік банкі банк кеңесі кеңес комитеті комитет қызметі қызмет партиясы
партия университеті университет компаниясы компания соты сот қоры қор әкімдігі әкімдік палатасы палата
ұйымы ұйым одағы одақ институты институт академиясы академия федерациясы федерация
`);
const MONGOLIAN_HEADS = set(`
яам газар банк зөвлөл хороо нам сургууль компани шүүх сан агентлаг хурал холбоо байгууллага хүрээлэн
академи корпораци хэлтэс алба
`);

const MAX_BEFORE_HEAD = 3;

interface Found {
  tokens: Token[];
  name: string;
}

export class OrganisationHeadRecognizer implements EntityRecognizer {
  readonly source = 'pattern';

  recognise(story: AnalyzedStory, claimed: ReadonlySet<number>): EntityCandidate[] {
    const finder = this.finderFor(story.language);
    if (!finder) return [];
    const taken = new Set(claimed);
    const byId = new Map<string, EntityCandidate>();
    for (let index = 0; index < story.tokens.length; index += 1) {
      if (taken.has(index)) continue;
      const found = finder(story, taken, index);
      if (!found) continue;
      const first = found.tokens[0];
      const last = found.tokens[found.tokens.length - 1];
      if (!first || !last) continue;
      for (const token of found.tokens) taken.add(token.index);
      const mention: EntityMention = { surface: story.text.slice(first.start, last.end), offset: first.start };
      const id = `organisation:${slugify(found.name)}`;
      const existing = byId.get(id);
      if (existing) {
        existing.mentions.push(mention);
        existing.tokenSpans.push([first.index, last.index + 1]);
        existing.confidence = Math.min(0.7, existing.confidence + 0.05);
      } else {
        byId.set(id, {
          id,
          type: 'organisation',
          name: found.name,
          mentions: [mention],
          confidence: 0.5,
          source: this.source,
          tokenSpans: [[first.index, last.index + 1]],
        });
      }
      index = last.index;
    }
    return [...byId.values()];
  }

  private finderFor(language: string): ((story: AnalyzedStory, taken: ReadonlySet<number>, index: number) => Found | null) | null {
    if (language === 'en') return (story, taken, index) => this.english(story, taken, index);
    if (language === 'uk') return (story, taken, index) => this.ukrainian(story, taken, index);
    if (language === 'kk') return (story, taken, index) => this.headFinal(story, taken, index, (t) => KAZAKH_HEADS.has(t.norm));
    if (language === 'mn') {
      return (story, taken, index) => this.headFinal(story, taken, index, (t) => MONGOLIAN_HEADS.has(t.norm) || MONGOLIAN_HEADS.has(story.analyzer.stem(t.norm, false)));
    }
    return null;
  }

  private english(story: AnalyzedStory, taken: ReadonlySet<number>, index: number): Found | null {
    const tokens = story.tokens;
    const first = tokens[index];
    if (!first?.latin || !first.capitalised || ENGLISH_NON_NAMES.has(first.norm)) return null;
    const run: Token[] = [first];
    for (let at = index + 1; at < tokens.length; at += 1) {
      const token = tokens[at];
      if (!token || taken.has(at) || !token.latin || token.gapBefore !== ' ') break;
      if (token.capitalised) run.push(token);
      else if (ENGLISH_CONNECTORS.has(token.norm) && tokens[at + 1]?.capitalised && tokens[at + 1]?.gapBefore === ' ') run.push(token);
      else break;
    }
    if (run.length < 2 || !run.some((token) => token.capitalised && ENGLISH_HEADS.has(token.norm))) return null;
    return { tokens: run, name: run.map((token) => token.raw.replace(/['’]s$/u, '')).join(' ') };
  }

  private ukrainian(story: AnalyzedStory, taken: ReadonlySet<number>, index: number): Found | null {
    const tokens = story.tokens;
    const first = tokens[index];
    if (!first || first.latin || !first.capitalised || first.acronym) return null;
    const isHead = (token: Token | undefined): boolean => !!token && UKRAINIAN_HEADS.some((head) => token.norm.startsWith(head));
    let headIndex = index;
    if (!isHead(first)) {
      const next = tokens[index + 1];
      if (!UKRAINIAN_ADJECTIVE.test(first.norm) || !isHead(next) || next?.gapBefore !== ' ' || taken.has(index + 1)) return null;
      headIndex = index + 1;
    }
    const run: Token[] = tokens.slice(index, headIndex + 1);
    for (let at = headIndex + 1; at < tokens.length && run.length < 6; at += 1) {
      const token = tokens[at];
      if (!token || taken.has(at) || token.gapBefore !== ' ' || token.latin) break;
      if (token.capitalised) {
        run.push(token);
        break;
      }
      if (!UKRAINIAN_GENITIVE.test(token.norm) || story.analyzer.isStopWord(token.norm)) break;
      run.push(token);
    }
    // A bare head ("Рада", "Суд") is too often a common noun at a sentence start.
    if (run.length < 2) return null;
    return { tokens: run, name: transliterateName(run.map((token) => token.raw).join(' '), 'uk') };
  }

  private headFinal(story: AnalyzedStory, taken: ReadonlySet<number>, index: number, isHead: (token: Token) => boolean): Found | null {
    const tokens = story.tokens;
    const first = tokens[index];
    if (!first || first.latin || !first.capitalised) return null;
    for (let length = 1; length <= MAX_BEFORE_HEAD; length += 1) {
      const head = tokens[index + length];
      if (!head || taken.has(head.index) || head.gapBefore !== ' ' || head.latin) return null;
      const between = tokens.slice(index + 1, index + length);
      if (between.some((token) => taken.has(token.index) || token.gapBefore !== ' ' || story.analyzer.isStopWord(token.norm))) return null;
      if (!isHead(head)) continue;
      const run = [...tokens.slice(index, index + length), head];
      const lemma = story.analyzer.stem(head.norm, false);
      const words = [...run.slice(0, -1).map((token) => token.raw), isHead({ ...head, norm: lemma }) ? lemma : head.raw];
      return { tokens: run, name: transliterateName(words.join(' '), story.language) };
    }
    return null;
  }
}
