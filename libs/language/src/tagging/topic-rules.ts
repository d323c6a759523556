/**
 * Curated keyword rules for IPTC Media Topics. Each rule names the most specific code that its
 * terms are evidence for; ancestors come from the vocabulary, so rules never list them. Terms
 * are written as ordinary words or phrases ("полезные ископаемые") and matched on stems, so one
 * inflected form per term is enough; words whose stems collide with common words are left out.
 * Entity ids (or id prefixes ending in "*") count as evidence too.
 */

export type RuleLanguage = 'ru' | 'en' | 'uk' | 'kk' | 'mn';

export interface TopicRule {
  code: string;
  terms: Partial<Record<RuleLanguage, readonly string[]>>;
  entities?: readonly string[];
  /** Evidence one match adds; curated terms count 1, words derived from the vocabulary less. */
  weight?: number;
  /**
   * Evidence for picking a specific code only, not for deciding which field (top-level code) the
   * story runs in: the vocabulary's definition words are spread over every field.
   */
  specificOnly?: boolean;
}

function rule(
  code: string,
  terms: Partial<Record<RuleLanguage, string>>,
  entities?: readonly string[],
): TopicRule {
  const split = (list: string | undefined): string[] =>
    (list ?? '')
      .split('|')
      .map((term) => term.trim())
      .filter(Boolean);
  return {
    code: `medtop:${code}`,
    terms: { ru: split(terms.ru), en: split(terms.en), uk: split(terms.uk), kk: split(terms.kk), mn: split(terms.mn) },
    ...(entities ? { entities } : {}),
  };
}

export const TOPIC_RULES: readonly TopicRule[] = [
  // politics
  rule('20000574', {
    ru: 'выборы|избиратель|избирательный|голосование|бюллетень|явка избирателей|избирательный участок|ЦИК',
    en: 'election|elections|voter|voters|ballot|polling station|turnout|electoral',
    uk: 'вибори|виборець|виборчий|голосування|бюлетень|явка виборців|виборча дільниця|ЦВК', kk: 'сайлау|сайлаушылар|дауыс беру|сайлау учаскесі|ОСК', mn: 'сонгууль|сонгогч|санал хураалт|сонгуулийн хэсэг|СЕХ',
  }),
  rule('20000579', {
    ru: 'президентские выборы|парламентские выборы',
    en: 'presidential election|parliamentary election|general election',
    uk: 'президентські вибори|парламентські вибори',
  }),
  rule('20000584', { ru: 'референдум', en: 'referendum', uk: 'референдум' }),
  rule(
    '20000615',
    {
      ru: 'парламент|депутат|законопроект|нижняя палата|верхняя палата',
      en: 'parliament|lawmaker|lawmakers|legislature|congressman|senator',
      uk: 'парламент|депутат|законопроєкт|нардеп', kk: 'парламент|депутат|заң жобасы|Мәжіліс|Сенат', mn: 'парламент|Улсын Их Хурал|УИХ|хуулийн төсөл|гишүүн',
    },
    ['organisation:state-duma', 'organisation:verkhovna-rada', 'organisation:state-great-khural', 'Q8889'],
  ),
  rule(
    '20000639',
    {
      ru: 'дипломат|дипломатический|дипломатия|посол|посольство|консульство|министр иностранных дел|госсекретарь|делегация|министерская встреча|министерская конференция|двусторонние отношения|двустороннее сотрудничество|межгосударственный|верительные грамоты|официальный визит|внешняя политика',
      en: 'diplomat|diplomatic|diplomacy|ambassador|embassy|consulate|foreign minister|secretary of state|delegation|delegations|ministerial meeting|ministerial conference|bilateral relations|bilateral cooperation|state visit|foreign policy',
      uk: 'дипломат|дипломатичний|дипломатія|посол|посольство|консульство|міністр закордонних справ|держсекретар|делегація|міністерська зустріч|міністерська конференція|двосторонні відносини|двостороння співпраця|офіційний візит|зовнішня політика', kk: 'дипломат|дипломатиялық|елші|елшілік|консулдық|Сыртқы істер министрі|делегация|екіжақты қарым-қатынас|ресми сапар|сыртқы саясат', mn: 'дипломат|элчин сайд|элчин сайдын яам|консулын газар|Гадаад харилцааны сайд|төлөөлөгчид|хоёр талын харилцаа|айлчлал|гадаад бодлого',
    },
    ['Q789915', 'organisation:mfa-*'],
  ),
  rule('20000640', { ru: 'саммит', en: 'summit', uk: 'саміт', kk: 'саммит', mn: 'дээд хэмжээний уулзалт|саммит' }),
  rule('20000641', {
    ru: 'международный договор|мирный договор|ратификация|ратифицировать',
    en: 'treaty|ratification|ratify',
    uk: 'міжнародний договір|мирний договір|ратифікація',
  }),
  rule('20000642', {
    ru: 'санкции|санкционный|антироссийские санкции',
    en: 'sanctions|sanctioned|embargo',
    uk: 'санкції|санкційний', kk: 'санкциялар', mn: 'хориг арга хэмжээ|хориг',
  }),
  rule('20000643', {
    ru: 'гуманитарная помощь|иностранная помощь|гуманитарный груз',
    en: 'humanitarian aid|foreign aid|aid package',
    uk: 'гуманітарна допомога|іноземна допомога|гуманітарний вантаж',
  }),
  rule(
    '20000644',
    { ru: 'международная организация', en: 'international organization|international organisation', uk: 'міжнародна організація' },
    ['Q1065', 'Q37470', 'Q458', 'Q7184', 'Q485207', 'organisation:osce', 'organisation:cis', 'organisation:csto', 'organisation:eaeu', 'Q7159', 'Q7172', 'organisation:asean', 'organisation:brics', 'Q19771', 'organisation:g7', 'Q8908'],
  ),
  rule('20000645', {
    ru: 'беженцы|беженец|вынужденные переселенцы|переселенцы',
    en: 'refugee|refugees|asylum seeker|asylum seekers|displaced people',
    uk: 'біженці|біженець|переселенці|внутрішньо переміщені особи',
  }),
  rule('20001316', {
    ru: 'пограничный конфликт|спорная территория|демаркация границы',
    en: 'border dispute|disputed territory|border demarcation',
    uk: 'прикордонний конфлікт|спірна територія|демаркація кордону',
  }),
  rule('20000605', {
    ru: 'шпионаж|шпион|разведка|спецслужба|спецслужбы',
    en: 'espionage|spy|spies|intelligence agency|intelligence service',
    uk: 'шпигунство|шпигун|розвідка|спецслужба',
  }),
  rule('20000604', {
    ru: 'национальная безопасность|совет безопасности',
    en: 'national security',
    uk: 'національна безпека|рада національної безпеки',
  }),
  rule('20000599', {
    ru: 'армия|вооруженные силы|военнослужащий|военнослужащие|минобороны|министерство обороны|военные учения',
    en: 'army|armed forces|troops|soldier|soldiers|military exercise|defence ministry|defense ministry',
    uk: 'армія|збройні сили|військовослужбовець|військовослужбовці|міноборони|міністерство оборони|військові навчання',
  }),
  rule('20000647', {
    ru: 'политический кризис|отставка правительства|вотум недоверия',
    en: 'political crisis|no-confidence vote|government collapse',
    uk: 'політична криза|відставка уряду|вотум недовіри',
  }),
  rule('20000651', {
    ru: 'политическая партия|оппозиция|оппозиционный|правящая партия',
    en: 'political party|opposition party|ruling party|opposition leader',
    uk: 'політична партія|опозиція|опозиційний|правляча партія',
  }),
  rule('20000592', {
    ru: 'права человека|правозащитник|правозащитный',
    en: 'human rights|rights group|rights activist',
    uk: 'права людини|правозахисник|правозахисний',
  }),
  rule('20000634', {
    ru: 'мигрант|мигранты|миграционный|миграционная политика',
    en: 'migrant|migrants|migration policy|immigration policy',
    uk: 'мігрант|мігранти|міграційний|міграційна політика',
  }),
  rule('20000620', {
    ru: 'налог|налоги|налоговый|НДС|налогообложение',
    en: 'tax|taxes|taxation|VAT|tax cut',
    uk: 'податок|податки|податковий|ПДВ|оподаткування',
  }),

  // conflict, crime, justice
  rule('20000062', {
    ru: 'война|военный конфликт|боевые действия|обстрел|обстрелы|линия фронта|авиаудар|ракетный удар|беспилотник',
    en: 'war|warfare|fighting|shelling|offensive|front line|frontline|airstrike|air strike|missile strike|drone attack',
    uk: 'війна|воєнний конфлікт|бойові дії|обстріл|обстріли|лінія фронту|авіаудар|ракетний удар|безпілотник', kk: 'соғыс|әскери қақтығыс|ұрыс қимылдары|атқылау|майдан шебі|әуе соққысы|зымыран соққысы|дрон', mn: 'дайн|зэвсэгт мөргөлдөөн|байлдааны ажиллагаа|буудлага|фронтын шугам|агаарын цохилт|пуужингийн цохилт|нисгэгчгүй онгоц',
  }),
  rule('20000053', {
    ru: 'теракт|террорист|террористический|террористическая атака',
    en: 'terrorist attack|terror attack|terrorist|terrorism',
    uk: 'теракт|терорист|терористичний',
  }),
  rule('20000066', {
    ru: 'митинг|протест|протесты|протестующие|демонстрация|акция протеста|демонстранты',
    en: 'protest|protests|protesters|demonstration|demonstrators',
    uk: 'мітинг|протест|протести|протестувальники|демонстрація|акція протесту',
  }),
  rule('20000070', { ru: 'государственный переворот|военный переворот', en: 'coup|military coup', uk: 'державний переворот|військовий переворот' }),
  rule('20000076', {
    ru: 'мирные переговоры|перемирие|прекращение огня|мирное соглашение',
    en: 'peace talks|ceasefire|cease-fire|truce|peace deal',
    uk: 'мирні переговори|перемир\'я|припинення вогню|мирна угода',
  }),
  rule('20000086', {
    ru: 'кибератака|хакер|хакеры|хакерская атака|утечка данных',
    en: 'cyberattack|cyber attack|hacker|hackers|ransomware|data breach',
    uk: 'кібератака|хакер|хакери|хакерська атака|витік даних',
  }),
  rule('20000093', {
    ru: 'коррупция|коррупционный|взятка|взяточничество',
    en: 'corruption|bribery|bribe|bribes',
    uk: 'корупція|корупційний|хабар|хабарництво',
  }),
  rule('20000099', { ru: 'убийство|убийца', en: 'murder|homicide|murdered', uk: 'вбивство|вбивця' }),
  rule('20000097', { ru: 'мошенничество|мошенник|мошенники', en: 'fraud|scam|fraudster', uk: 'шахрайство|шахрай|шахраї' }),
  rule('20000096', { ru: 'наркотики|наркотрафик|наркоторговля', en: 'drug trafficking|narcotics|drug smuggling', uk: 'наркотики|наркотрафік|наркоторгівля' }),
  rule('20000107', {
    ru: 'суд|судья|приговор|судебный|иск|обвиняемый|подсудимый',
    en: 'court|judge|verdict|lawsuit|trial|convicted',
    uk: 'суд|суддя|вирок|судовий|позов|обвинувачений',
  }),
  rule('20000130', { ru: 'арест|арестован|задержание|задержан', en: 'arrest|arrested|detained', uk: 'арешт|заарештований|затримання|затриманий' }),
  rule('20000133', { ru: 'полиция|полицейский|полицейские', en: 'police|policeman|police officers', uk: 'поліція|поліцейський|поліцейські' }),
  rule('20000137', { ru: 'тюрьма|колония|заключенный|заключенные', en: 'prison|jail|inmate|inmates', uk: "в'язниця|ув'язнений|ув'язнені" }),

  // disasters
  rule('20000153', { ru: 'землетрясение|магнитуда|подземные толчки', en: 'earthquake|quake|magnitude', uk: 'землетрус|магнітуда|підземні поштовхи', kk: 'жер сілкінісі|магнитуда', mn: 'газар хөдлөлт|магнитуд' }),
  rule('20000154', { ru: 'наводнение|паводок|затопление|затоплены', en: 'flood|floods|flooding', uk: 'повінь|паводок|підтоплення|затоплення', kk: 'су тасқыны|тасқын', mn: 'үер' }),
  rule('20001202', { ru: 'лесной пожар|лесные пожары', en: 'wildfire|wildfires|forest fire|bushfire', uk: 'лісова пожежа|лісові пожежі' }),
  rule('20000150', { ru: 'пожар|пожары|возгорание|пожарные', en: 'blaze|firefighters|fire broke out', uk: 'пожежа|пожежі|загоряння|пожежники' }),
  rule('20000144', { ru: 'авиакатастрофа|крушение самолета|крушение вертолета', en: 'plane crash|air crash|helicopter crash', uk: 'авіакатастрофа|катастрофа літака' }),
  rule('20000147', { ru: 'ДТП|автомобильная авария|автокатастрофа', en: 'car crash|road accident|traffic accident', uk: 'ДТП|автомобільна аварія|автокатастрофа' }),
  rule('20001280', { ru: 'ураган|тайфун|циклон|шторм', en: 'hurricane|typhoon|cyclone|storm', uk: 'ураган|тайфун|циклон|шторм' }),
  rule('20000152', { ru: 'засуха', en: 'drought', uk: 'посуха' }),

  // economy, business, energy, transport
  rule('20000316', {
    ru: 'полезные ископаемые|минерал|минералы|минеральный|критически важные минералы|редкоземельный|редкоземельные металлы|редкоземельные элементы|горнодобывающий|горнорудный|добыча руды|рудник|месторождение|руда|литий|медный|урановый|золотодобыча|горная промышленность',
    en: 'mining|miner|miners|mineral|minerals|critical minerals|rare earth|rare earths|rare-earth|ore|lithium|copper|uranium|gold mine|mining company',
    uk: 'корисні копалини|мінерал|мінерали|мінеральний|критично важливі мінерали|рідкісноземельний|рідкісноземельні метали|гірничодобувний|видобуток руди|рудник|родовище|руда|літій|мідь|уран', kk: 'пайдалы қазбалар|минерал|минералдар|сирек жер|кен орны|кен өндіру|тау-кен|литий|мыс|уран', mn: 'ашигт малтмал|эрдэс|ховор шороон|орд|уурхай|уул уурхай|зэс|уран|алт олборлолт',
  }),
  rule('20000430', {
    ru: 'природные ресурсы|полезные ископаемые|минеральные ресурсы|минерально-сырьевой|сырьевой|недра|недропользование',
    en: 'natural resources|mineral resources|raw materials',
    uk: 'природні ресурси|корисні копалини|мінеральні ресурси|сировина|надра|надрокористування', kk: 'табиғи ресурстар|пайдалы қазбалар|шикізат|жер қойнауы', mn: 'байгалийн баялаг|ашигт малтмал|түүхий эд',
  }),
  rule('20000373', {
    ru: 'внешняя торговля|товарооборот|торговые отношения|цепочки поставок|цепочек поставок|мировые рынки|торговый партнер',
    en: 'foreign trade|trade relations|supply chain|supply chains|trading partner|global markets',
    uk: 'зовнішня торгівля|товарообіг|торговельні відносини|ланцюги постачання|ланцюгів постачання|торговельний партнер', kk: 'сыртқы сауда|тауар айналымы|жеткізу тізбегі|сауда серіктесі', mn: 'гадаад худалдаа|худалдааны эргэлт|нийлүүлэлтийн сүлжээ|худалдааны түнш',
  }),
  rule('20000366', { ru: 'экспорт|экспортный|экспортер', en: 'export|exports|exporter', uk: 'експорт|експортний|експортер', kk: 'экспорт|экспорттау', mn: 'экспорт' }),
  rule('20000369', { ru: 'импорт|импортный|импортер', en: 'import|imports|importer', uk: 'імпорт|імпортний|імпортер' }),
  rule('20000384', { ru: 'пошлина|пошлины|таможенный тариф', en: 'tariff|tariffs|customs duty', uk: 'мито|мита|митний тариф' }),
  rule('20000376', { ru: 'торговая война|торговый спор', en: 'trade war|trade dispute', uk: 'торговельна війна|торговельна суперечка' }),
  rule('20000370', { ru: 'инфляция|инфляционный', en: 'inflation', uk: 'інфляція|інфляційний', kk: 'инфляция', mn: 'инфляц' }),
  rule('20000371', { ru: 'ключевая ставка|процентная ставка|учетная ставка', en: 'interest rate|interest rates|key rate', uk: 'облікова ставка|процентна ставка' }),
  rule('20000350', { ru: 'центральный банк|центробанк|Нацбанк', en: 'central bank|Federal Reserve', uk: 'центральний банк|Нацбанк|НБУ', kk: 'Ұлттық банк|орталық банк', mn: 'Монголбанк|төв банк' }, [
    'Q53536', 'Q8901', 'organisation:bank-of-england', 'organisation:bank-of-russia', 'organisation:national-bank-of-*', 'organisation:bank-of-mongolia',
  ]),
  rule('20000355', { ru: 'валюта|курс доллара|курс рубля|курс тенге|обменный курс', en: 'currency|exchange rate', uk: 'валюта|курс долара|курс гривні|обмінний курс' }),
  rule('20000357', { ru: 'экономический рост|рост экономики', en: 'economic growth', uk: 'економічне зростання|зростання економіки' }),
  rule('20000359', { ru: 'ВВП|валовой внутренний продукт', en: 'GDP|gross domestic product', uk: 'ВВП|валовий внутрішній продукт' }),
  rule('20000383', { ru: 'рецессия|экономический спад', en: 'recession|economic downturn', uk: 'рецесія|економічний спад' }),
  rule('20000378', { ru: 'инвестиции|инвестор|инвесторы|инвестиционный', en: 'investment|investments|investor|investors', uk: 'інвестиції|інвестор|інвестори|інвестиційний', kk: 'инвестиция|инвестор|инвесторлар', mn: 'хөрөнгө оруулалт|хөрөнгө оруулагч' }),
  rule('20000607', { ru: 'государственный бюджет|бюджет|бюджетный дефицит', en: 'budget|budget deficit|state budget', uk: 'державний бюджет|бюджет|дефіцит бюджету' }),
  rule('20000174', { ru: 'банкротство|банкрот', en: 'bankruptcy|bankrupt|insolvency', uk: 'банкрутство|банкрут' }),
  rule('20000204', { ru: 'слияние|поглощение|приобретение компании', en: 'merger|acquisition|takeover', uk: 'злиття|поглинання' }),
  rule('20000274', { ru: 'банк|банковский|банки', en: 'bank|banks|banking', uk: 'банк|банківський|банки' }),
  rule('20000210', { ru: 'сельское хозяйство|урожай|фермер|фермеры|зерно', en: 'agriculture|harvest|farmer|farmers|grain', uk: 'сільське господарство|врожай|фермер|фермери|зерно', kk: 'ауыл шаруашылығы|егін|фермер|астық', mn: 'хөдөө аж ахуй|ургац|тариаланч|малчин|мал аж ахуй' }),
  rule('20001243', {
    ru: 'нефть|нефтяной|газовый|природный газ|нефтепровод|газопровод|СПГ|нефтегазовый',
    en: 'oil|crude|natural gas|pipeline|LNG|oil and gas',
    uk: 'нафта|нафтовий|газовий|природний газ|нафтопровід|газопровід|ЗПГ', kk: 'мұнай|мұнай-газ|табиғи газ|мұнай құбыры|газ құбыры', mn: 'газрын тос|байгалийн хий|хий дамжуулах хоолой|шатахуун',
  }, ['Q7795', 'Q102673']),
  rule('20000258', { ru: 'уголь|угольный', en: 'coal', uk: 'вугілля|вугільний', kk: 'көмір', mn: 'нүүрс' }),
  rule('20000265', { ru: 'АЭС|атомная электростанция|атомная энергетика', en: 'nuclear power|nuclear plant|nuclear power plant', uk: 'АЕС|атомна електростанція|атомна енергетика' }, ['organisation:rosatom']),
  rule('20000257', {
    ru: 'возобновляемая энергетика|возобновляемые источники энергии|солнечная электростанция|ветряная электростанция',
    en: 'renewable energy|renewables|solar power|wind farm|wind power',
    uk: 'відновлювана енергетика|відновлювані джерела енергії|сонячна електростанція|вітрова електростанція',
  }),
  rule('20000260', { ru: 'электроэнергия|электроснабжение|отключение электроэнергии|блэкаут', en: 'electricity|power outage|blackout|power grid', uk: 'електроенергія|електропостачання|відключення світла|блекаут' }),
  rule('20000338', { ru: 'авиакомпания|авиарейс|аэропорт|авиаперевозки|пассажирские перевозки', en: 'airline|airlines|airport|flights|air travel', uk: 'авіакомпанія|авіарейс|аеропорт|авіаперевезення', kk: 'әуе компаниясы|әуежай|рейс', mn: 'агаарын тээврийн компани|нисэх буудал|нислэг' }, ['Q335357']),
  rule('20000340', { ru: 'железная дорога|поезд|железнодорожный', en: 'railway|railroad|train|trains', uk: 'залізниця|потяг|залізничний' }),
  rule('20001170', { ru: 'логистика|грузоперевозки|транзит грузов', en: 'logistics|freight|shipping', uk: 'логістика|вантажоперевезення|транзит вантажів' }),
  rule('20000296', { ru: 'автомобиль|автопроизводитель|электромобиль', en: 'carmaker|automaker|electric vehicle|electric vehicles', uk: 'автомобіль|автовиробник|електромобіль' }),
  rule('20001279', { ru: 'криптовалюта|биткоин|блокчейн', en: 'cryptocurrency|bitcoin|blockchain|crypto', uk: 'криптовалюта|біткоїн|блокчейн' }),

  // health, environment, science and technology
  rule('20000449', { ru: 'эпидемия|пандемия|коронавирус|COVID-19|вспышка заболевания', en: 'epidemic|pandemic|coronavirus|COVID-19|outbreak', uk: 'епідемія|пандемія|коронавірус|спалах захворювання', kk: 'эпидемия|пандемия|коронавирус|індет', mn: 'тахал|цар тахал|коронавирус' }, ['Q7817']),
  rule('20000447', { ru: 'онкология|онкологический|рак груди|рак легких', en: 'cancer|tumour|tumor|oncology', uk: 'онкологія|онкологічний' }),
  rule('20000477', { ru: 'вакцина|вакцинация|прививка', en: 'vaccine|vaccines|vaccination', uk: 'вакцина|вакцинація|щеплення' }),
  rule('20000462', { ru: 'больница|госпиталь|госпитализирован', en: 'hospital|hospitalised|hospitalized', uk: 'лікарня|госпіталь|госпіталізований' }),
  rule('20001358', { ru: 'здравоохранение|минздрав|система здравоохранения', en: 'public health|health ministry|healthcare system', uk: "охорона здоров'я|МОЗ|система охорони здоров'я" }),
  rule('20000418', {
    ru: 'изменение климата|климатический|глобальное потепление|парниковые газы|углеродная нейтральность',
    en: 'climate change|global warming|greenhouse gas|greenhouse gases|carbon emissions|net zero',
    uk: 'зміна клімату|кліматичний|глобальне потепління|парникові гази',
  }),
  rule('20000424', { ru: 'загрязнение|выбросы|экологическая катастрофа', en: 'pollution|contamination|oil spill', uk: 'забруднення|викиди|екологічна катастрофа' }),
  rule('20000420', { ru: 'заповедник|охрана природы|национальный парк', en: 'conservation|nature reserve|national park|wildlife', uk: 'заповідник|охорона природи|національний парк' }),
  rule('20001298', { ru: 'искусственный интеллект|нейросеть|нейросети', en: 'artificial intelligence|AI|machine learning|chatbot', uk: 'штучний інтелект|нейромережа|ШІ' }),
  rule('20000739', { ru: 'космос|космический|космонавт|ракета-носитель|МКС|запуск спутника', en: 'space|astronaut|spacecraft|rocket launch|NASA', uk: 'космос|космічний|космонавт|ракета-носій' }),
  rule('20000736', { ru: 'инновации|инновационный|технологические инновации', en: 'innovation|innovations|innovative', uk: 'інновації|інноваційний' }),
  rule('20000735', { ru: 'исследование|ученые|научный', en: 'research|researchers|scientists|study', uk: 'дослідження|науковці|вчені|науковий' }),
  rule('20000763', { ru: 'информационные технологии|IT-компания|цифровизация|программное обеспечение', en: 'information technology|software|tech company|digitalisation', uk: 'інформаційні технології|IT-компанія|цифровізація|програмне забезпечення' }),

  // society, labour, education, religion, culture, sport, weather
  rule('20000405', { ru: 'университет|студенты|вуз', en: 'university|universities|students', uk: 'університет|студенти|виш' }),
  rule('20000400', { ru: 'школа|школьники|учителя', en: 'school|schools|pupils|teachers', uk: 'школа|школярі|вчителі' }),
  rule('20000530', { ru: 'забастовка|бастующие', en: 'walkout|strike action|went on strike', uk: 'страйк|страйкарі' }),
  rule('20000533', { ru: 'безработица|безработные', en: 'unemployment|jobless', uk: 'безробіття|безробітні' }),
  rule('20000518', { ru: 'зарплата|заработная плата|пенсии', en: 'wages|salary|salaries|minimum wage', uk: 'зарплата|заробітна плата' }),
  rule('20000801', { ru: 'бедность|малоимущие', en: 'poverty', uk: 'бідність|малозабезпечені' }),
  rule('20000771', { ru: 'иммиграция|иммигранты', en: 'immigration|immigrants', uk: 'імміграція|іммігранти' }),
  rule('20000704', { ru: 'папа римский', en: 'pope', uk: 'папа римський' }),
  rule('20000005', { ru: 'кинофестиваль|фильм|кинематограф|режиссер', en: 'film|movie|cinema|box office', uk: 'кінофестиваль|фільм|кінематограф|режисер' }),
  rule('20000018', { ru: 'концерт|музыкант|альбом|певец|певица', en: 'concert|musician|album|singer', uk: 'концерт|музикант|альбом|співак|співачка' }),
  rule('20001065', { ru: 'футбол|футболист|футбольный', en: 'football|soccer|footballer', uk: 'футбол|футболіст|футбольний', kk: 'футбол|футболшы', mn: 'хөлбөмбөг' }),
  rule('20000965', { ru: 'хоккей|хоккеист|хоккейный', en: 'ice hockey|hockey', uk: 'хокей|хокеїст|хокейний' }),
  rule('20001085', { ru: 'теннис|теннисист|теннисистка', en: 'tennis', uk: 'теніс|тенісист|тенісистка' }),
  rule('20000856', { ru: 'бокс|боксер', en: 'boxing|boxer', uk: 'бокс|боксер' }),
  rule('20001177', { ru: 'Олимпиада|олимпийский|Олимпийские игры', en: 'Olympics|Olympic Games|Olympic', uk: 'Олімпіада|олімпійський|Олімпійські ігри' }),
  rule('20001108', { ru: 'чемпионат|турнир|чемпион мира', en: 'championship|tournament|world cup', uk: 'чемпіонат|турнір|чемпіон світу' }),
  rule('20001128', { ru: 'прогноз погоды|синоптики|синоптик', en: 'weather forecast|forecasters|meteorologists', uk: 'прогноз погоди|синоптики|синоптик' }),
];
