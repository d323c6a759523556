/**
 * Heuristic recogniser for people the gazetteer does not know: two or three capitalised words
 * that look like a first name and a surname, away from the start of a sentence. It runs after
 * the gazetteer, only on unclaimed tokens, and reports lower confidence with a slug id
 * ("person:ivan-petrov") since there is no identity to link to.
 */
import type { EntityMention } from '@syndication/contracts';
import { russianNameForms } from './russian-inflection';
import { slugify, type Token } from './text';
import { transliterateName } from './transliteration';
import type { AnalyzedStory, EntityCandidate, EntityRecognizer } from './types';

const FIRST_NAMES = new Set(
  `
александр алексей анатолий андрей антон аркадий артем борис вадим валентин валерий василий виктор
виталий владимир владислав вячеслав геннадий георгий григорий даниил денис дмитрий евгений егор иван
игорь илья кирилл константин леонид максим марат михаил никита николай олег павел петр роман руслан
сергей станислав степан тимур федор юрий ярослав анна алена алина анастасия валентина валерия вера
виктория галина дарья екатерина елена жанна зоя ирина карина кристина ксения лариса людмила марина
мария надежда наталья ольга полина светлана софия татьяна юлия яна олександр олексій андрій василь
віктор віталій володимир дмитро євген ігор микола михайло олег павло петро сергій юрій ярослав
олена ірина наталія оксана тетяна юлія нурсултан касым-жомарт асан айдар ерлан нурлан марат бакыт
john james robert michael william david richard joseph thomas charles christopher daniel matthew
anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason
jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon benjamin samuel
frank gregory alexander patrick jack dennis peter mary patricia jennifer linda elizabeth barbara
susan jessica sarah karen nancy lisa betty margaret sandra ashley kimberly emily donna michelle
carol amanda melissa deborah stephanie rebecca laura sharon cynthia kathleen amy angela helen anna
emma olivia sophie marie pierre jean francois emmanuel olaf angela hans klaus wolfgang sergei sergey
vladimir dmitry alexei igor yuri oleksandr volodymyr andrii
аркадий эдуард арсений артур афанасий богдан всеволод гавриил глеб давид ефим захар лев макар мирон
назар остап платон родион савелий семен тарас тимофей филипп эльдар эмиль яков алла ангелина белла
варвара василиса виолетта диана ева евгения елизавета зинаида инна капитолина клавдия лидия любовь
майя маргарита милена нина нонна оксана раиса римма снежана таисия ульяна эвелина эльвира
рамзан ахмат муса руслан шамиль магомед гейдар ильхам нурсултан ислам эмомали курбангулы сапармурат
серж роберт левон никол вазген эдуард михаил зураб гиорги саломе нино ираклий давит вахтанг
барак хиллари джон джордж билл дональд майкл дэвид джеймс уильям ричард томас питер пол марк нэнси
мишель николя франсуа жан жак пьер ален ангела герхард гельмут вольфганг франк сильвио романо
джузеппе марио маттео реджеп ахмет абдулла мухаммед мохаммед махмуд хасан хосни башар муаммар
андрій богдан валентин вадим василь володимир геннадій григорій денис дмитро євгеній іван костянтин
леонід максим микита назар олексій остап петро роман руслан святослав станіслав тарас юрій
анастасія богдана валентина вікторія галина ганна дарія євгенія катерина людмила мар'яна марія
ольга світлана софія тетяна уляна христина юлія
асқар айбек бауыржан бақытжан болат дәурен ерболат ержан ерлан жандос қайрат мұхтар
нұрлан олжас рахат самат серік талғат төлеген асхат ғалым бекжан
айгүл айжан әсел ботагөз гүлнар динара жанар жансая мадина меруерт ұлжан әйгерім
аскар айбек бауржан бахытжан даурен ержан жандос кайрат мухтар нурлан серик талгат
айгуль асель гульнара жанна мадина меруерт
бат-эрдэнэ батболд батбаяр ганбаатар ганзориг дорж мөнх-очир мөнхбаяр нямдорж энхбаяр
эрдэнэбат цогт батцэцэг оюунчимэг сарантуяа энхтуяа мөнхцэцэг оюун-эрдэнэ хүрэлсүх
беньямин биньямин шимон эхуд ариэль фернандо хуан карлос хосе луис педро мигель антонио франческо
михаэль ханс юрген оливер кристиан штефан петер эмманюэль тереза дэниел кевин стив стивен тим ларри
беназир наваз первез асиф анджей лех ярослав мирча траян вацлав милош йозеф ян андрус тоомас валдис
даля альгирдас кими себастьян льюис дженсон рубенс фелипе марин сеголен мартин энтони эндрю кэтрин
элизабет маргарет тереза джордан джереми гордон тони дэвид борис нил шарль виктор жозе жозеп марта
`
    .split(/\s+/)
    .filter(Boolean),
);

/** Every case form of the known first names: "Виктора Бута" starts with a first name too. */
const FIRST_NAME_FORMS: ReadonlySet<string> = new Set(
  [...FIRST_NAMES].flatMap((name) => (/\p{Script=Cyrillic}/u.test(name) ? [...russianNameForms(name)] : [name])),
);

/**
 * Words that introduce a person by role: a single capitalised surname right after them is a name
 * ("президент Обама", "тренер Клинсман").
 */
const PERSON_TITLES = new Set(
  `
президент президента президенту президентом премьер премьер-министр премьер-министра премьер-министру
министр министра министру министром глава главы главе главой лидер лидера лидеру лидером председатель
председателя председателю губернатор губернатора губернатору мэр мэра мэру депутат депутата посол
посла директор директора гендиректор тренер тренера тренеру спикер спикера сенатор сенатора канцлер
канцлера госсекретарь госсекретаря генсек король короля королева королевы принц принца папа патриарх
патриарха журналист журналиста адвокат адвоката певец певица писатель писателя режиссер режиссера
актер актриса актера художник художника политик политика футболист футболиста защитник нападающий
вратарь гроссмейстер шахматист шахматистка чемпион чемпиона астронавт астронавта космонавт космонавта
пилот пилота гонщик гонщика основатель основателя сооснователь глава руководитель руководителя
генерал генерала полковник полковника судья судьи прокурор прокурора следователь эксперт аналитик
сын сына дочь жена жены муж мужа вдова вице-президент вице-премьер замминистра заместитель
господин госпожа мистер миссис
president minister senator governor mayor chancellor secretary coach mr mrs ms dr
spokesman spokeswoman spokesperson ambassador envoy chairman chairwoman chair ceo director analyst
economist professor judge prosecutor general commissioner lawmaker congressman congresswoman
representative sen rep gov lt col capt sgt manager striker goalkeeper
`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Role words of the other Cyrillic languages, used only in stories of that language (Ukrainian
 * "мер" or "голова" are ordinary Russian words).
 */
const ROLE_WORDS: Record<string, ReadonlySet<string>> = {
  uk: new Set(
    `президент президента президентом прем'єр-міністр прем'єр-міністра міністр міністра міністром голова голови
    посол посла речник речниця депутат депутатка мер мера губернатор директор директорка тренер генерал суддя
    прокурор пан пані аналітик аналітика експерт експертка керівник очільник очільниця заступник заступниця
    журналіст журналістка речника речниці`.split(/\s+/).filter(Boolean),
  ),
  kk: new Set(
    `президент президенті премьер-министр премьер-министрі министр министрі төрағасы әкімі әкім депутат
    депутаты елшісі хатшысы басшысы директоры бапкері спикері сарапшы сарапшысы`.split(/\s+/).filter(Boolean),
  ),
  mn: new Set(
    `ерөнхийлөгч сайд дарга гишүүн элчин захирал дасгалжуулагч төлөөлөгч мэргэжилтэн зөвлөх ноён хатагтай
    шинжээч сэтгүүлч тамирчин`.split(/\s+/).filter(Boolean),
  ),
};

/** Multi-word English titles: the words before a name ("Secretary of State Jane Doe"). */
const ENGLISH_TITLE_PHRASES = [
  'secretary of state', 'prime minister', 'foreign minister', 'finance minister', 'defence minister',
  'defense minister', 'interior minister', 'attorney general', 'chief executive', 'foreign secretary',
  'home secretary', 'press secretary', 'vice president', 'deputy prime minister', 'central bank governor',
].map((phrase) => phrase.split(' '));

/** Mongolian full names put the father's name first, in the genitive: "Батмөнхийн Батцэцэг". */
const MONGOLIAN_PATRONYMIC = /^(\p{Lu}[\p{L}-]+?)(?:гийн|ийн|ын|ний|ны|ий)$/u;

// Cyrillic surname shapes in any case form: Петров/Петрова/Петровым, Зеленский/Зеленского,
// Шевченко, Ковальчук, Пашинян, Гахария...
const CYRILLIC_SURNAME =
  /(?:[оеё]в|[иы]н)(?:а|у|ым|ой|ом|е|ых|ы|и)?$|(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ої|ою|ій|ого|ому)$|(?:енко|чук|ук|юк|ович|евич|ян|янц|швили|дзе|ия)(?:а|у|ем|ом|е|і)?$/;
const PATRONYMIC = /(?:ович|евич|овна|евна|ич|ична)(?:а|у|ем|ом|е|ой|ы|і)?$/;

interface Run {
  tokens: Token[];
  evidence: number;
}

export class PersonHeuristicRecognizer implements EntityRecognizer {
  readonly source = 'heuristic';

  recognise(story: AnalyzedStory, claimed: ReadonlySet<number>): EntityCandidate[] {
    // Mentions are grouped by stems, so "Егора Свиридова" and "Егору Свиридову" are one person.
    const groups = new Map<string, { runs: Run[]; mentions: EntityMention[]; spans: Array<[number, number]> }>();
    const tokens = story.tokens;
    let index = 0;
    while (index < tokens.length) {
      const run = this.runAt(story, claimed, index);
      const first = run?.tokens[0];
      const last = run?.tokens[run.tokens.length - 1];
      if (!run || !first || !last) {
        index += 1;
        continue;
      }
      const key = run.tokens.map((token) => story.analyzer.stem(token.norm, token.latin)).join(' ');
      const group = groups.get(key) ?? { runs: [], mentions: [], spans: [] };
      group.runs.push(run);
      group.mentions.push({ surface: story.text.slice(first.start, last.end), offset: first.start });
      group.spans.push([first.index, last.index + 1]);
      groups.set(key, group);
      index += run.tokens.length;
    }

    const found = new Map<string, EntityCandidate>();
    for (const group of groups.values()) {
      const best = nominativeRun(group.runs, story);
      const name = best.tokens[0]?.latin ? best.tokens.map((token) => token.raw).join(' ') : canonicalName(best.tokens, story);
      const id = `person:${slugify(name)}`;
      const evidence = Math.max(...group.runs.map((run) => run.evidence));
      const existing = found.get(id);
      if (existing) {
        existing.mentions.push(...group.mentions);
        existing.tokenSpans.push(...group.spans);
        continue;
      }
      found.set(id, {
        id,
        type: 'person',
        name,
        mentions: group.mentions,
        // Repetition makes a name likelier, up to a ceiling below the gazetteer's.
        confidence: Math.min(0.7, evidence + 0.05 * (group.mentions.length - 1)),
        source: this.source,
        tokenSpans: group.spans,
      });
    }
    return [...found.values()];
  }

  private runAt(story: AnalyzedStory, claimed: ReadonlySet<number>, start: number): Run | null {
    const tokens = story.tokens;
    const first = tokens[start];
    if (!first) return null;
    const initials = this.initialsAt(story, claimed, start);
    if (initials) return initials;
    if (!this.nameLike(story, claimed, first)) return null;
    const knownFirstName = FIRST_NAME_FORMS.has(first.norm);
    // A capital at a sentence start proves nothing, unless the word is a known first name.
    if (first.sentenceInitial && !knownFirstName) return null;
    const run: Token[] = [first];
    for (let index = start + 1; index < tokens.length && run.length < 3; index += 1) {
      const token = tokens[index];
      if (!token || token.gapBefore !== ' ' || token.latin !== first.latin || !this.nameLike(story, claimed, token)) break;
      run.push(token);
    }
    if (run.length < 2) return this.titledSurname(story, first);
    const middle = run.length === 3 ? run[1] : undefined;
    const patronymic = middle !== undefined && !middle.latin && PATRONYMIC.test(middle.norm);
    // Without a patronymic, a third capitalised word is more often the next word of a Title Case
    // headline ("Mark Carney Says") than part of the name.
    const name = run.length === 3 && !patronymic ? run.slice(0, 2) : run;
    const last = name[name.length - 1];
    if (!last) return null;
    // Kazakh and Mongolian attach case suffixes after the Russian-style surname ending ("Тоқаевтың").
    const lastNorm = story.analyzer.cyrillicMode === 'prefix' ? story.analyzer.stem(last.norm, false) : last.norm;
    const surnameShape = !first.latin && CYRILLIC_SURNAME.test(lastNorm);
    // Title Case headlines and organisation names ("Critical Minerals Ministerial") are
    // capitalised word runs too; a known first name, a surname shape or a role word is required.
    if (knownFirstName) return { tokens: name, evidence: 0.6 };
    if (surnameShape || patronymic) return { tokens: name, evidence: 0.45 };
    if (story.language === 'mn' && name.length === 2 && MONGOLIAN_PATRONYMIC.test(first.raw)) return { tokens: name, evidence: 0.5 };
    if (this.afterTitle(story, first)) return { tokens: name, evidence: 0.5 };
    return this.titledSurname(story, first);
  }

  /** "президент Обама": one capitalised word right after a role word. */
  private titledSurname(story: AnalyzedStory, token: Token): Run | null {
    if (token.sentenceInitial || !this.afterTitle(story, token)) return null;
    return { tokens: [token], evidence: 0.45 };
  }

  /** The token follows a role word ("речниця", "сайд") or an English title ("Secretary of State"). */
  private afterTitle(story: AnalyzedStory, token: Token): boolean {
    const previous = story.tokens[token.index - 1];
    if (!previous || token.gapBefore !== ' ') return false;
    if (PERSON_TITLES.has(previous.norm) || ROLE_WORDS[story.language]?.has(previous.norm)) return true;
    if (!token.latin) return false;
    return ENGLISH_TITLE_PHRASES.some((phrase) =>
      phrase.every((word, offset) => story.tokens[token.index - phrase.length + offset]?.norm === word),
    );
  }

  /** "В. Путин", "В.В. Путин", "J. K. Rowling": initials then a capitalised surname. */
  private initialsAt(story: AnalyzedStory, claimed: ReadonlySet<number>, start: number): Run | null {
    const tokens = story.tokens;
    const run: Token[] = [];
    let index = start;
    while (index < tokens.length && run.length < 2) {
      const token = tokens[index];
      const next = tokens[index + 1];
      if (!token || !next || claimed.has(token.index) || !/^\p{Lu}$/u.test(token.raw) || !/^\.\s?$/.test(next.gapBefore)) break;
      if (run.length > 0 && token.gapBefore.trim() !== '.') break;
      run.push(token);
      index += 1;
    }
    const surname = tokens[index];
    if (run.length === 0 || !surname || !this.nameLike(story, claimed, surname) || surname.raw.length < 3) return null;
    return { tokens: [...run, surname], evidence: 0.55 };
  }

  private nameLike(story: AnalyzedStory, claimed: ReadonlySet<number>, token: Token): boolean {
    return (
      !claimed.has(token.index) &&
      token.capitalised &&
      !token.acronym &&
      token.raw.length >= 2 &&
      !/\d/.test(token.raw) &&
      !story.analyzer.isStopWord(token.norm)
    );
  }
}

/** Endings of oblique cases of Russian/Ukrainian names ("Свиридову", "Януковичем"). */
const OBLIQUE_NAME_ENDING = /(?:а|у|ом|ем|ым|им|ой|ого|ому|ую|ы|е|і|ові)$/;

/** The mention most likely in the nominative, for the canonical name: a known first name, no case ending. */
function nominativeRun(runs: readonly Run[], story: AnalyzedStory): Run {
  // Kazakh and Mongolian mark case with suffixes: the form the stemmer leaves whole is nominative.
  const agglutinative = story.analyzer.cyrillicMode === 'prefix';
  const oblique = (token: Token): boolean =>
    !token.latin && (agglutinative ? story.analyzer.stem(token.norm, false) !== token.norm : OBLIQUE_NAME_ENDING.test(token.norm));
  const cost = (run: Run): number =>
    (FIRST_NAMES.has(run.tokens[0]?.norm ?? '') ? 0 : 2) + run.tokens.filter(oblique).length;
  return runs.reduce((best, run) => (cost(run) < cost(best) ? run : best));
}

/**
 * The canonical Latin name: given name first, as in the gazetteer. A Mongolian "patronymic-ийн
 * Given" becomes "Given Patronymic" ("Батмөнхийн Батцэцэг" -> "Battsetseg Batmunkh").
 */
function canonicalName(tokens: readonly Token[], story: AnalyzedStory): string {
  const raws = tokens.map((token) => token.raw);
  const patronymic = story.language === 'mn' && raws.length === 2 ? MONGOLIAN_PATRONYMIC.exec(raws[0] ?? '') : null;
  const ordered = patronymic?.[1] ? [raws[1] ?? '', patronymic[1]] : raws;
  return transliterateName(ordered.join(' '), story.language);
}
