/**
 * Small stop-word lists per language, written for this project. Besides function words they hold
 * the reporting verbs and time words that every news story has, so keywords and the person
 * heuristic are not drowned by "said", "сообщает", "ранее". They decide what can be a name, so
 * they stay short; keyword extraction adds the much longer stopwords-iso lists (ru, uk, en; it has
 * none for kk or mn, whose lists below are the curated ones: pronouns, postpositions, particles,
 * copulas and reporting verbs, plus time words).
 */
// stopwords-iso ships no type declarations: it is a map from ISO 639-1 code to a word list.
const stopwordsIso = require('stopwords-iso') as Record<string, string[] | undefined>;

const RU = `
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
его ее её ей ему если есть еще ещё же за здесь и из или им их к как какой кто ли либо между меня мне
много может можно мой мы на над надо наш не него нее неё нет ни них но ну о об однако он она они оно
от очень по под после при про с со так также такой там те тем то того тоже той только том ты у уже
хотя чего чей чем что чтобы чье чья эта эти это этого этой этом этот эту я который которая которое
которые которого которой котором которых также своей свой своих свою свои свое своего своему своим
себя себе сам сама само сами всё ведь вне вдоль около через перед среди против ради вместо кроме
будет будут будучи был стал стала стали стало является являются являлся ранее сейчас сегодня вчера
завтра теперь когда тогда потом затем также тут году года годах лет день дня дни время раз
сообщает сообщил сообщила сообщили сообщается заявил заявила заявили отметил отметила отметили
сказал сказала сказали говорит рассказал передает пишет словам именно например кроме того об этом
ряд рамках целью путем путём том числе более менее один одна одно одни два две три также тем
принял приняла приняли принять участие участия участии провел провела провели
понедельник вторник среда среду четверг пятница пятницу суббота субботу воскресенье
`;

const UK = `
а але б без би був була були було бути в вам вас ви від він вона вони воно все всі всього де для до
його її їй їм їх з за зі і й із к як який яка яке які котрий котра котре котрі ми мене мені на над не
немає ні но ну о об однак по під після при про та так також там те тим то того тож той тому ти у уже
вже хоча чи що щоб це ця цей ці цього цієї цим цих цю я свій своя своє свої свого своєї своїм
собі себе сам сама само самі між через перед серед проти замість крім буде будуть став стала стали
стало є раніше зараз сьогодні вчора завтра тепер коли тоді потім році року роки років день дня дні
час раз повідомляє повідомив повідомила повідомили заявив заявила заявили зазначив зазначила сказав
сказала сказали каже розповів пише словами зокрема наприклад рамках метою шляхом тому числі більш
менш один одна одне одні два дві три
взяв взяла взяли взяти участь провів провела провели
понеділок вівторок середа середу четвер пʼятниця п'ятниця п'ятницю субота суботу неділя неділю
`;

const EN = `
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according also would could may might
must shall one two three new year years today yesterday tomorrow week weeks month months time
including since via per whether however meanwhile earlier later mr mrs ms
monday tuesday wednesday thursday friday saturday sunday
`;

const KK = `
және мен бен пен да де та те үшін бұл осы сол ол олар біз сіз мен сен бір екі үш еді болды болып
бар жоқ деп дейді деді айтты мәлімдеді сондай ақ қана ғана тек ең өте бірақ алайда немесе кейін
бұрын дейін соң арқылы туралы бойынша жылы жыл күні күн
оның олардың біздің осының сондықтан себебі егер әрі тағы барлық әр көп аз қазір бүгін кеше ертең
жатыр болатын болады болмақ етті етеді екенін екені деген делінген хабарлады атап өтті сөзінше
`;

const MN = `
ба бол болон болно байна байсан байгаа энэ тэр эдгээр тэдгээр нь юм юу гэж гэсэн гэв хэлэв мэдээлэв
бөгөөд буюу мөн ч л биш ямар хэн бид та тэд би нэг хоёр гурав дээр доор өмнө дараа хойш хүртэл тухай
үед оны он өдөр жил
гэвч харин эсвэл бүх олон бага одоо өнөөдөр өчигдөр маргааш гэжээ гэлээ байлаа байжээ болжээ хийв
мэдээллээ мэдэгдэв мэдэгдлээ хэлжээ онд сарын сард хамт тул учир
`;

function toSet(list: string): ReadonlySet<string> {
  return new Set(list.split(/\s+/).filter(Boolean).map((word) => word.replace(/ё/g, 'е')));
}

const LISTS: Record<string, ReadonlySet<string>> = {
  ru: toSet(RU),
  uk: toSet(UK),
  en: toSet(EN),
  kk: toSet(KK),
  mn: toSet(MN),
};

const EMPTY: ReadonlySet<string> = new Set();

export function stopWordsFor(language: string): ReadonlySet<string> {
  return LISTS[language] ?? EMPTY;
}

/** Stories in any language quote English phrases, so English function words are always stopped too. */
export function isStopWord(norm: string, language: string): boolean {
  return stopWordsFor(language).has(norm) || LISTS.en?.has(norm) === true;
}

const ISO_SETS = new Map<string, ReadonlySet<string>>();

/**
 * Stop words for keywords: the curated list plus stopwords-iso's, where it has one. Keywords can
 * afford a long list; names cannot (stopwords-iso's Russian list holds words such as "года").
 */
export function isKeywordStopWord(norm: string, language: string): boolean {
  if (isStopWord(norm, language)) return true;
  let iso = ISO_SETS.get(language);
  if (!iso) {
    iso = new Set((stopwordsIso[language] ?? []).map((word) => word.toLowerCase().replace(/ё/g, 'е')));
    ISO_SETS.set(language, iso);
  }
  return iso.has(norm);
}
