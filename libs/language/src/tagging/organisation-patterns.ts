/**
 * Organisations the gazetteer does not know, found by the shapes their names take in Russian
 * (and other Cyrillic) news text:
 *  - a quoted name after an organisation word: компания «Ромашка», партия «Яблоко»;
 *  - an abbreviation: ФИФА, НАСА, КПРФ (minus common non-names: СМИ, ВВП, ДНК...);
 *  - a Latin-script name inside Cyrillic text: Facebook, Microsoft, World Fashion Channel;
 *  - a capitalised phrase headed by an organisation noun: Конституционного суда, Большой театр,
 *    Министерство иностранных дел.
 * Runs after the gazetteer and the person heuristic, on unclaimed tokens only; ids are slugs
 * ("organisation:fifa") since there is nothing to link them to.
 */
import type { EntityMention } from '@syndication/contracts';
import countries from 'i18n-iso-countries';
import { slugify, transliterate, type Token } from './text';
import type { AnalyzedStory, EntityCandidate, EntityRecognizer } from './types';

const words = (text: string): Set<string> => new Set(text.split(/\s+/).filter(Boolean));

/** Words whose quoted complement is an organisation's name (stems: any case matches). */
const ORG_WORDS = [
  'компани', 'банк', 'парти', 'движени', 'газет', 'агентств', 'концерн', 'холдинг', 'клуб', 'фонд',
  'организаци', 'издани', 'журнал', 'радиостанци', 'телеканал', 'канал', 'завод', 'театр', 'корпораци',
  'групп', 'объединени', 'обществ', 'ассоциаци', 'союз', 'фирм', 'оао', 'зао', 'ооо', 'пао', 'гк',
  'предприяти', 'комбинат', 'авиакомпани', 'оператор', 'сеть', 'сети', 'магазин', 'производител',
  'ресторан', 'коллектив', 'ансамбл', 'команд', 'университет', 'институт', 'центр', 'портал', 'сайт',
  'интернет-издани', 'информагентств', 'блок', 'фронт', 'альянс', 'дом', 'студи', 'лейбл', 'бренд',
];
/** Quoted names after these are titles of works, events or operations, not organisations. */
const NOT_ORG_WORDS = [
  'фильм', 'книг', 'роман', 'песн', 'альбом', 'спектакл', 'операци', 'акци', 'программ', 'проект',
  'шоу', 'преми', 'конкурс', 'фестивал', 'сериал', 'передач', 'стать', 'закон', 'корабл', 'шаттл',
  'ракет', 'самолет', 'опер', 'балет', 'игр', 'турнир', 'кубок', 'выставк', 'стратеги', 'доктрин',
  'автомобил', 'модел', 'марш', 'газопровод', 'нефтепровод', 'платформ', 'систем', 'спутник',
];

/** Abbreviations that are not names of organisations. */
const NOT_ORG_ACRONYMS = words(`
СМИ ВВП ДНК ВИЧ СПИД ДТП ЧП ТВ ИТ НДС ЕГЭ ЖКХ ОАО ЗАО ООО ПАО НКО АЭС ГЭС ТЭЦ ВПК ОМП ПРО ЗРК БПЛА
РФ США СССР СНГ КНР КНДР ОАЭ ЮАР ФРГ ГДР ЕС МКС ПК ПО ИИ ОС ДНР ЛНР НЛО ЧМ ОИ МВФ
CEO PR IT TV USB PDF SMS GPS HIV AIDS DNA OK VIP LED GSM HD CD DVD PC ID SIM API HTML URL WWW GDP AI
`);
const ROMAN_NUMERAL = /^[IVXLCM]+$/;
/** ISO 3166 alpha-3 codes ("MNG" in a dateline) name countries, not organisations. */
const COUNTRY_CODES: ReadonlySet<string> = new Set(Object.keys(countries.getAlpha3Codes()));

/** Heads of organisation names (stems). */
const ORG_HEADS = [
  'министерств', 'ведомств', 'агентств', 'служб', 'комитет', 'комисси', 'совет', 'суд', 'прокуратур',
  'дум', 'собрани', 'парламент', 'сенат', 'конгресс', 'палат', 'парти', 'фронт', 'движени', 'союз',
  'организаци', 'ассоциаци', 'федераци', 'фонд', 'банк', 'компани', 'корпораци', 'концерн',
  'университет', 'институт', 'академи', 'театр', 'церк', 'церков', 'завод', 'комбинат', 'бирж',
  'управлени', 'департамент', 'инспекци', 'трибунал', 'альянс', 'блок', 'минист', 'ассамбле', 'палат',
  'консерватори', 'музе', 'библиотек', 'холдинг', 'корпус', 'штаб', 'генштаб', 'правительств',
  'администраци', 'мэри', 'патриархи', 'синод', 'орган', 'лиг', 'клуб',
];
const ADJECTIVE = /(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ом|ем|ую|юю|ых|их|ыми|ими)$/;
/** Heads that take a genitive complement as part of the name ("Министерство иностранных дел"). */
const GENITIVE_HEADS = [
  'министерств', 'комитет', 'совет', 'палат', 'служб', 'управлени', 'академи', 'институт', 'федераци',
  'ассоциаци', 'организаци', 'союз', 'фонд', 'агентств', 'департамент', 'комисси', 'движени', 'партии',
];
/** Genitive complements that continue a name: "Министерство иностранных дел", "Комитет защиты журналистов". */
const GENITIVE = /(?:ых|их|ого|его|ой|ей|ов|ев|ства|ния|ии|ти|ды|ты|ки|ги|ны|ры|лы|ций|ств|дел|наук)$/;
const QUOTES_OPEN = new Set(['«', '"', '„', '“']);
const QUOTES_CLOSE = new Set(['»', '"', '“', '”']);
const LATIN_CONNECTORS = words('of and the de du des la le und van von & for in on');
const DOMAINS = words('ru com org net ua kz by uk de info tv рф ру');

interface Found {
  tokens: Token[];
  confidence: number;
}

export class OrganisationPatternRecognizer implements EntityRecognizer {
  readonly source = 'pattern';

  recognise(story: AnalyzedStory, claimed: ReadonlySet<number>): EntityCandidate[] {
    if (!/^(ru|uk|kk|be|und)$/.test(story.language)) return [];
    const taken = new Set(claimed);
    const found: Found[] = [];
    const tokens = story.tokens;
    for (let index = 0; index < tokens.length; index += 1) {
      if (taken.has(index)) continue;
      const match =
        this.quoted(story, taken, index) ??
        this.acronym(story, index) ??
        this.latinName(story, taken, index) ??
        this.headedPhrase(story, taken, index);
      if (!match) continue;
      found.push(match);
      for (const token of match.tokens) taken.add(token.index);
      index = (match.tokens[match.tokens.length - 1]?.index ?? index);
    }
    return this.group(story, found);
  }

  private stemOf(story: AnalyzedStory, token: Token | undefined): string {
    return token ? story.analyzer.stem(token.norm, token.latin) : '';
  }

  private quoted(story: AnalyzedStory, taken: ReadonlySet<number>, index: number): Found | null {
    const tokens = story.tokens;
    const first = tokens[index];
    if (!first || !first.capitalised) return null;
    const opening = first.gapBefore.slice(-1);
    if (!QUOTES_OPEN.has(opening)) return null;
    const run: Token[] = [];
    for (let at = index; at < tokens.length && run.length < 6; at += 1) {
      const token = tokens[at];
      if (!token || taken.has(at) || (at > index && !/^[ -]?$/.test(token.gapBefore))) return null;
      run.push(token);
      const after = tokens[at + 1];
      const closing = story.text.slice(token.end, after ? after.start : story.text.length).trim()[0];
      if (closing !== undefined && QUOTES_CLOSE.has(closing)) {
        const before = tokens[index - 1];
        const word = before?.norm ?? '';
        if (NOT_ORG_WORDS.some((stem) => word.startsWith(stem))) return null;
        const orgWord = ORG_WORDS.some((stem) => word.startsWith(stem));
        return { tokens: run, confidence: orgWord ? 0.75 : 0.5 };
      }
    }
    return null;
  }

  private acronym(story: AnalyzedStory, index: number): Found | null {
    const token = story.tokens[index];
    if (!token?.acronym || token.raw.length > 8 || ROMAN_NUMERAL.test(token.raw) || NOT_ORG_ACRONYMS.has(token.raw)) return null;
    if (/\d/.test(token.raw) || (token.latin && COUNTRY_CODES.has(token.raw))) return null;
    // "CAT 1", "Ту 154": a designation with a number, not a name.
    const next = story.tokens[index + 1];
    if (next && next.gapBefore === ' ' && /^\d/.test(next.raw)) return null;
    return { tokens: [token], confidence: 0.5 };
  }

  private latinName(story: AnalyzedStory, taken: ReadonlySet<number>, index: number): Found | null {
    const tokens = story.tokens;
    const first = tokens[index];
    if (!first?.latin || !/^\p{Lu}|^\p{Ll}+\p{Lu}/u.test(first.raw) || taken.has(index)) return null;
    const run: Token[] = [first];
    for (let at = index + 1; at < tokens.length && run.length < 6; at += 1) {
      const token = tokens[at];
      if (!token || taken.has(at) || !token.latin) break;
      if (token.gapBefore === '.' && DOMAINS.has(token.norm)) {
        run.push(token);
        break;
      }
      if (token.gapBefore !== ' ' && token.gapBefore !== '-') break;
      if (token.capitalised || /\d/.test(token.raw)) run.push(token);
      else if (LATIN_CONNECTORS.has(token.norm) && tokens[at + 1]?.capitalised && tokens[at + 1]?.latin) run.push(token);
      else break;
    }
    // A lone abbreviation was acronym()'s to take or refuse.
    if (run.length === 1 && first.acronym) return null;
    return { tokens: run, confidence: 0.5 };
  }

  private headedPhrase(story: AnalyzedStory, taken: ReadonlySet<number>, index: number): Found | null {
    const tokens = story.tokens;
    const first = tokens[index];
    if (!first || first.latin || !first.capitalised || first.sentenceInitial || first.acronym) return null;
    const isHead = (token: Token): boolean => ORG_HEADS.some((stem) => token.norm.startsWith(stem));
    const run: Token[] = [first];
    if (!isHead(first)) {
      if (!ADJECTIVE.test(first.norm)) return null;
      let at = index + 1;
      for (; at < tokens.length && run.length < 5; at += 1) {
        const token = tokens[at];
        if (!token || taken.has(at) || token.gapBefore !== ' ') return null;
        run.push(token);
        if (isHead(token)) break;
        if (!ADJECTIVE.test(token.norm) || token.capitalised) return null;
      }
      const head = run[run.length - 1];
      if (!head || !isHead(head)) return null;
      // A capitalised adjective + head noun names one body ("Конституционного суда"); a capitalised
      // head after it is a different name ("Российской Федерации" is not ours to guess).
      if (head.capitalised && run.length === 2) return null;
    }
    const head = run[run.length - 1]!;
    // A bare capitalised head right after another capitalised word belongs to that word's name.
    if (run.length === 1 && tokens[index - 1]?.capitalised && tokens[index - 1]?.gapBefore !== undefined && first.gapBefore === ' ') return null;
    if (!GENITIVE_HEADS.some((stem) => head.norm.startsWith(stem))) return { tokens: run, confidence: 0.45 };
    for (let at = index + run.length; at < tokens.length && run.length < 6; at += 1) {
      const token = tokens[at];
      if (!token || taken.has(at) || token.gapBefore !== ' ' || token.capitalised || !GENITIVE.test(token.norm)) break;
      if (story.analyzer.isStopWord(token.norm)) break;
      run.push(token);
    }
    return { tokens: run, confidence: 0.45 };
  }

  private group(story: AnalyzedStory, found: readonly Found[]): EntityCandidate[] {
    const byKey = new Map<string, EntityCandidate>();
    for (const match of found) {
      const first = match.tokens[0];
      const last = match.tokens[match.tokens.length - 1];
      if (!first || !last) continue;
      const surface = story.text.slice(first.start, last.end);
      const key = match.tokens.map((token) => this.stemOf(story, token)).join(' ');
      const mention: EntityMention = { surface, offset: first.start };
      const existing = byKey.get(key);
      if (existing) {
        existing.mentions.push(mention);
        existing.tokenSpans.push([first.index, last.index + 1]);
        existing.confidence = Math.min(0.7, existing.confidence + 0.05);
        continue;
      }
      const name = first.latin ? surface : transliterate(surface);
      byKey.set(key, {
        id: `organisation:${slugify(name) || slugify(key)}`,
        type: 'organisation',
        name,
        mentions: [mention],
        confidence: match.confidence,
        source: this.source,
        tokenSpans: [[first.index, last.index + 1]],
      });
    }
    return [...byKey.values()];
  }
}
