/**
 * Trigger lexicons for the seventeen top-level IPTC Media Topics in all five languages, plus a few
 * frequent sports whose stories rarely name the sport ("innings", "pitcher" say baseball). They
 * catch what the specific rules miss: a story with several words of one field gets at least its
 * top-level code, and a specific rule that also fires folds the top level into itself.
 *
 * Words are ordinary inflected forms; matching is on stems (ru, en, uk) or agglutinative prefixes
 * (kk, mn), so one form per word is enough. Kazakh and Mongolian lists are short and deliberately
 * limited to unambiguous news vocabulary.
 */
import type { TopicRule } from './topic-rules';

type Lexicon = { ru: string; en: string; uk: string; kk: string; mn: string };

function trigger(code: string, terms: Lexicon): TopicRule {
  const split = (list: string): string[] =>
    list
      .split('|')
      .map((term) => term.trim())
      .filter(Boolean);
  return {
    code: `medtop:${code}`,
    terms: { ru: split(terms.ru), en: split(terms.en), uk: split(terms.uk), kk: split(terms.kk), mn: split(terms.mn) },
  };
}

/**
 * Words of a field that also turn up in stories of every other field ("company", "government",
 * "children", "season"): they count half, so that they break ties without outvoting the field's
 * own vocabulary.
 */
function weakTrigger(code: string, terms: Pick<Lexicon, 'ru' | 'en'>): TopicRule {
  const split = (list: string): string[] => list.split('|').map((term) => term.trim()).filter(Boolean);
  return { code: `medtop:${code}`, terms: { ru: split(terms.ru), en: split(terms.en) }, weight: WEAK_WEIGHT };
}

const WEAK_WEIGHT = 0.5;

export const TRIGGER_RULES: readonly TopicRule[] = [
  weakTrigger('04000000', { ru: 'компания|рынок|бизнес|цены|рубль|доллар|банк', en: 'company|market|markets|business|prices|industry' }),
  weakTrigger('11000000', { ru: 'правительство|президент|министр|министерство', en: 'government|president|minister|ministry' }),
  weakTrigger('14000000', { ru: 'дети|семья|социальный', en: 'children|families|social' }),
  weakTrigger('15000000', { ru: 'победа|поражение|сезон|команда|финал', en: 'win|game|games|season|team|final|defeat' }),
  trigger('01000000', {
    ru: 'искусство|культура|выставка|музей|театр|художник|писатель|фестиваль|спектакль|премьера|литература|СМИ|журналистика|телеканал|оркестр|симфонический|концерт|опера|балет|альбом|певец|певица|группа|музыкант|актер|актриса|фильм|кино|кинофестиваль|режиссер|роман|поэт|поэзия|картина|живопись|скульптура|экспозиция|сериал|кинотеатр|онлайн-кинотеатр|реставрация|гастроли|редакция|вещание|газета|журнал',
    en: 'arts|exhibition|museum|theatre|theater|artist|novelist|festival|premiere|literature|gallery|media outlet|journalism|broadcaster|orchestra|symphony|concert|opera|ballet|album|singer|band|musician|actor|actress|film|movie|director|novel|poet|poetry|painting|sculpture|painter|exhibition|musical|Broadway|box office|streaming series|documentary|author|publisher|newspaper|magazine|television series|drama',
    uk: 'мистецтво|культура|виставка|музей|театр|художник|письменник|фестиваль|вистава|прем\'єра|література|ЗМІ|журналістика|телеканал',
    kk: 'өнер|мәдениет|көрме|мұражай|театр|суретші|жазушы|фестиваль|әдебиет|БАҚ',
    mn: 'урлаг|соёл|үзэсгэлэн|музей|театр|зураач|зохиолч|наадам|уран зохиол|хэвлэл мэдээлэл',
  }),
  trigger('02000000', {
    ru: 'преступление|преступник|уголовное дело|следствие|полиция|прокуратура|суд|приговор|задержан|арестован|обвинение|правоохранительные органы|колония|лишение свободы|мошенничество|убийство|ограбление|разбой|задержаны|арест|следователи|следственный комитет|присяжные|оправдали|приговорил|обвиняемый|подозреваемый|иск|взятка|взяточничество|коррупция|хищение|наркотики|контрабанда|кража|похитили|заключенные|адвокат|защита|Конституционный суд|уголовное дело|МВД|ФСИН|Генпрокуратура',
    en: 'crime|criminal|prosecutor|prosecutors|police|court|sentenced|charged|convicted|indictment|investigation|law enforcement|jailed|prison|imprisonment|fraud|murder|robbery|arrested|arrest|detectives|jury|verdict|acquitted|trial|lawsuit|judge|supreme court|appeals court|extradited|extradition|bribery|corruption|smuggling|trafficking|drug|drugs|theft|stolen|inmates|lawyer|lawyers|ruling',
    uk: 'злочин|злочинець|кримінальна справа|слідство|поліція|прокуратура|суд|вирок|затриманий|звинувачення|правоохоронці',
    kk: 'қылмыс|қылмыстық іс|тергеу|полиция|прокуратура|сот|үкім|ұсталды|айып',
    mn: 'гэмт хэрэг|эрүүгийн хэрэг|мөрдөн байцаалт|цагдаа|прокурор|шүүх|шийтгэл|баривчил|яллагдагч',
  }),
  trigger('03000000', {
    ru: 'катастрофа|авария|стихийное бедствие|пострадавшие|погибшие|спасатели|МЧС|эвакуация|чрезвычайная ситуация|крушение|взрыв|землетрясение|паводок|наводнение|лесные пожары|пожар|возгорание|сошел с рельсов|обрушение|затонуло|пострадали|погибли|завалы|крушение|ДТП|столкновение|горноспасатели|подтоплены|прорыв дамбы|магнитуда|цунами|эвакуированы|режим чрезвычайной ситуации',
    en: 'disaster|accident|emergency|casualties|victims|rescuers|rescue|evacuation|evacuated|crash|explosion|death toll|earthquake|flood|floods|wildfire|blaze|firefighters|derailed|derailment|collapsed|collapse|capsized|sank|survivors|rubble|wreckage|injured|killed|dead|missing|landslide|tsunami|fire|leak|trapped|aftershocks|magnitude',
    uk: 'катастрофа|аварія|стихійне лихо|постраждалі|загиблі|рятувальники|ДСНС|евакуація|надзвичайна ситуація|вибух',
    kk: 'апат|төтенше жағдай|құтқарушылар|зардап шеккендер|қаза тапты|эвакуация|жарылыс',
    mn: 'осол|гамшиг|онцгой байдал|аврагч|хохирогч|амь үрэгдэгсэд|нүүлгэн шилжүүл|дэлбэрэлт',
  }),
  trigger('04000000', {
    ru: 'экономика|экономический|финансы|финансовый|инвестиции|торговля|выручка|акции|тенге|промышленность|ключевая ставка|ключевую ставку|Банк России|Центробанк|инфляция|ВВП|рецессия|чистая прибыль|выручка|акционеры|биржа|облигации|нефть|баррель|сделка|поглощение|розничные продажи|экспорт|импорт|инвесторы|капитализация|маркетплейс|застройщик|ритейлер|продажи|Росстат',
    en: 'economy|economic|finance|financial|investment|trade|profit|revenue|shares|stocks|economists|central bank|interest rate|interest rates|inflation|GDP|economy grew|recession|quarterly profit|earnings|shareholders|stock market|bond yields|oil prices|crude|takeover|acquisition|merger|retail sales|exports|imports|investors|start-up|funding|valuation|supermarket|carmaker|airline',
    uk: 'економіка|економічний|бізнес|компанія|ринок|фінанси|фінансовий|інвестиції|торгівля|прибуток|виручка|акції|банк|гривня|ціни|промисловість',
    kk: 'экономика|экономикалық|бизнес|компания|нарық|қаржы|инвестиция|сауда|пайда|табыс|банк|теңге|баға|өнеркәсіп',
    mn: 'эдийн засаг|бизнес|компани|зах зээл|санхүү|хөрөнгө оруулалт|худалдаа|ашиг|орлого|банк|төгрөг|үнэ|аж үйлдвэр|уул уурхай',
  }),
  trigger('05000000', {
    ru: 'образование|школа|университет|студенты|школьники|учителя|обучение|экзамен|ЕГЭ|выпускники|вуз|учитель|педагоги|ученики|уроки|учебный год|учебный|детский сад|детские сады|колледж|колледжи|абитуриенты|бюджетные места|олимпиада|лицей|Минпросвещения|Рособрнадзор|вузы|факультет|студентов',
    en: 'education|school|schools|university|students|pupils|teachers|exam|exams|graduates|curriculum|tuition|classroom|classrooms|pupil|head teachers|teacher|kindergarten|nursery|college|colleges|degree|undergraduates|scholarship|scholarships|education ministry|school-leaving',
    uk: 'освіта|школа|університет|студенти|школярі|вчителі|навчання|іспит|ЗНО|НМТ|випускники',
    kk: 'білім|мектеп|университет|студенттер|оқушылар|мұғалімдер|емтихан|түлектер|ҰБТ',
    mn: 'боловсрол|сургууль|их сургууль|оюутан|сурагч|багш|шалгалт|төгсөгч|ЭЕШ',
  }),
  trigger('06000000', {
    ru: 'экология|экологический|окружающая среда|климат|загрязнение|выбросы|природа|заповедник|отходы|лес|вырубки|леса|экологи|экологические организации|выбросы|загрязнение воздуха|сточные воды|переработка|раздельный сбор|полигон|мусор|численность|вид|редкий|национальный парк|браконьеры|ископаемое топливо|Росприроднадзор|климатическая конференция|мазут|разлив',
    en: 'environment|environmental|climate|pollution|emissions|wildlife|ecosystem|biodiversity|waste|conservation|deforestation|deforestation|rainforest|ocean|oceans|marine|coral|reef|plastic|recycling|carbon dioxide|fossil fuels|methane|endangered|species|habitat|sewage|landfill|air pollution|conservation groups|environmental groups',
    uk: 'екологія|екологічний|довкілля|клімат|забруднення|викиди|природа|заповідник|відходи',
    kk: 'экология|қоршаған орта|климат|ластану|шығарынды|табиғат|қорық|қалдықтар',
    mn: 'байгаль орчин|экологи|уур амьсгал|бохирдол|агаарын бохирдол|ялгарал|тусгай хамгаалалттай|хог хаягдал|цөлжилт',
  }),
  trigger('07000000', {
    ru: 'здоровье|медицина|медицинский|врачи|больница|пациенты|заболевание|болезнь|лечение|вирус|минздрав|эпидемия|прививка|вакцина|вакцинация|корь|грипп|ОРВИ|онкологический|рак|диабет|препарат|лекарства|аптеки|поликлиники|клиники|операция|хирурги|кардиохирурги|туберкулез|заболеваемость|смертность|Роспотребнадзор|Минздрав|ВОЗ|эпидемический',
    en: 'health|medical|doctors|hospital|patients|disease|illness|treatment|virus|infection|medicine|healthcare|vaccine|vaccination|measles|cancer|cholera|dengue|flu|bird flu|obesity|mental health|clinical trial|drug|pharmacists|antibiotics|nurses|surgery|diagnosis|outbreak|WHO|health ministry|infections',
    uk: 'здоров\'я|медицина|медичний|лікарі|лікарня|пацієнти|захворювання|хвороба|лікування|вірус|МОЗ|епідемія',
    kk: 'денсаулық|медицина|дәрігерлер|аурухана|науқас|ауру|емдеу|вирус|індет',
    mn: 'эрүүл мэнд|анагаах|эмч|эмнэлэг|өвчтөн|өвчин|эмчилгээ|вирус|халдвар|тахал',
  }),
  trigger('08000000', {
    ru: 'долгожитель|юбилей|столетие|день рождения|лотерея|выиграл в лотерею|клад|рекорд России|книга рекордов|питомец|кот|собака|зоопарк|детеныши|панда|свадьба|вышла замуж|женился|молодожены|знаменитость|звезда|королевская семья|принц|принцесса',
    en: 'oldest|birthday|centenarian|lottery|jackpot|treasure|world record|Guinness|pet|dog|cat|zoo|cubs|panda|wedding|engagement|engaged|married|celebrity|royal|prince|princess|message in a bottle|reunited',
    uk: 'довгожитель|ювілей|день народження|лотерея|скарб|рекорд|домашній улюбленець|кіт|собака|зоопарк|весілля|знаменитість',
    kk: 'мерейтой|туған күн|лотерея|қазына|рекорд|мысық|ит|хайуанаттар бағы|той|үйлену',
    mn: 'ой|төрсөн өдөр|сугалаа|эрдэнэс|дээд амжилт|муур|нохой|амьтны хүрээлэн|хурим',
  }),
  trigger('09000000', {
    ru: 'работники|работодатель|занятость|безработица|зарплата|профсоюз|забастовка|трудовой|рабочие места|пенсия|безработица|МРОТ|минимальный размер оплаты труда|задержка зарплаты|вакансии|сокращение|сократит|сотрудники|работников|кадров|нехватка кадров|трудовые отношения|трудовая инспекция|Минтруд|дистанционная работа|переработки|индексация пенсий|пенсии|самозанятый',
    en: 'workers|employer|employers|employment|unemployment|wages|union|unions|strike|labour|labor|jobs|pension|pay|pay rise|walked out|walkout|industrial action|minimum wage|vacancies|job vacancies|redundancies|job cuts|pension age|employment tribunal|holiday pay|working week|staff|employees',
    uk: 'працівники|роботодавець|зайнятість|безробіття|зарплата|профспілка|страйк|трудовий|робочі місця|пенсія',
    kk: 'жұмысшылар|жұмыс беруші|жұмыспен қамту|жұмыссыздық|жалақы|кәсіподақ|ереуіл|зейнетақы|жұмыс орындары',
    mn: 'ажилчид|ажил олгогч|ажил эрхлэлт|ажилгүйдэл|цалин|үйлдвэрчний эвлэл|ажил хаялт|тэтгэвэр|ажлын байр',
  }),
  trigger('10000000', {
    ru: 'туризм|туристы|отдых|отпуск|ресторан|кулинария|мода|путешествие|хобби|развлечения|туристический|туроператоры|отдыхающие|курорт|курорты|горнолыжные|отели|гостиницы|кемпинги|глэмпинги|Мишлен|шеф-повар|кухня|неделя моды|дизайнеры|рыбалка|выпечка|пироги|садоводы|дачный|рассада|экскурсии|гости',
    en: 'tourism|tourists|holiday|vacation|restaurant|cuisine|fashion|travel|leisure|hobby|recipe|holidaymakers|tour operators|bookings|hotel|hotels|campsite|camping|glamping|cruise|Michelin|chef|fashion week|designer|hiking|hikers|trails|baking|cheese|wine|gardening|board games|short-term rentals|visitors',
    uk: 'туризм|туристи|відпочинок|відпустка|ресторан|кулінарія|мода|подорож|хобі|розваги',
    kk: 'туризм|туристер|демалыс|мейрамхана|сән|саяхат|хобби',
    mn: 'аялал жуулчлал|жуулчин|амралт|ресторан|загвар|аялал|хобби',
  }),
  trigger('11000000', {
    ru: 'парламент|политика|политический|выборы|закон|законопроект|депутаты|оппозиция|премьер-министр|указ|выборы губернаторов|губернатор|Кремль|коалиция|кабинет|Госдума|Государственная дума|Совет Федерации|референдум|мэр|партия|партии|бюджет|саммит|Евросоюз|переговоры|министр иностранных дел|канцлер|бундестаг|голосовали|явка|отставка',
    en: 'parliament|politics|political|election|legislation|bill|lawmakers|opposition|prime minister|decree|prime minister|snap election|general election|coalition|cabinet|Senate|House of Representatives|referendum|mayor|party leader|leadership contest|by-election|budget|summit|European Union|EU leaders|foreign ministers|diplomats|reshuffle|voters',
    uk: 'уряд|президент|парламент|міністр|міністерство|політика|політичний|вибори|закон|законопроєкт|депутати|опозиція|прем\'єр-міністр|указ',
    kk: 'үкімет|президент|парламент|мәжіліс|сенат|министр|министрлік|саясат|сайлау|заң|заң жобасы|депутаттар|премьер-министр|жарлық',
    mn: 'засгийн газар|ерөнхийлөгч|парламент|их хурал|сайд|яам|улс төр|сонгууль|хууль|хуулийн төсөл|гишүүд|ерөнхий сайд|зарлиг',
  }),
  trigger('12000000', {
    ru: 'религия|церковь|мечеть|верующие|патриарх|священник|ислам|христианство|православный|буддизм|храм|молитва|патриарх|богослужение|Курбан-байрам|намаз|Папа Римский|паломники|пасхальный|Пасха|Рождество|Крещение|мечети|дацан|ламы|молебен|канонизация|святой|монастырь|крестный ход|синагога|раввин|имам|муфтий|верующих|вероисповедание|Рамадан|ифтар|архиерейский',
    en: 'religion|religious|church|mosque|worshippers|believers|priest|clergy|islam|christianity|buddhism|temple|prayer|pope|Vatican|pilgrims|pilgrimage|hajj|Ramadan|Easter|Christmas message|bishops|archbishop|cardinals|conclave|synagogue|rabbis|imam|monks|cathedral|faith|Catholics|Orthodox|sermon|worshippers',
    uk: 'релігія|церква|мечеть|вірян|вірні|патріарх|священник|іслам|християнство|православний|храм|молитва',
    kk: 'дін|діни|мешіт|шіркеу|діндарлар|имам|ислам|христиан|ғибадатхана|намаз',
    mn: 'шашин|сүм|хийд|лам|буддын|Христийн|мусульман|залбирал|шүтлэг',
  }),
  trigger('13000000', {
    ru: 'наука|научный|ученые|исследование|технологии|технологический|космос|спутник|искусственный интеллект|изобретение|лаборатория|Роскосмос|ракета|ракета-носитель|космодром|орбита|станция|Луна|телескоп|ученые|исследователи|исследования|журнал|генетики|геном|ДНК|палеонтологи|динозавр|ускоритель|коллайдер|процессор|нейросеть|мессенджер|шифрование|разработчики|разработали|Сколтех|смартфон|смартфоны|гаджет|приложение|программное обеспечение|интернет|полупроводники|робот|роботы|облачные сервисы|цифровой|инженеры',
    en: 'science|scientific|scientists|researchers|technology|technological|space|satellite|artificial intelligence|laboratory|discovery|spacecraft|probe|moon|telescope|astronomers|planet|rocket|satellites|orbit|space agency|researchers|study|journal|stem cells|gene therapy|genetic|fossil|palaeontologists|dinosaur|quantum|chip|processor|chipmaker|encryption|AI|machine learning|software|smartphone|smartphones|handset|device|devices|app|apps|software|computing|internet|online|cyber|semiconductor|semiconductors|broadband|5G|robot|robots|cloud computing|tech|gadget|gadgets|engineers',
    uk: 'наука|науковий|науковці|дослідження|технології|технологічний|космос|супутник|штучний інтелект|лабораторія',
    kk: 'ғылым|ғалымдар|зерттеу|технология|ғарыш|спутник|жасанды интеллект|зертхана',
    mn: 'шинжлэх ухаан|эрдэмтэн|судалгаа|технологи|сансар|хиймэл дагуул|хиймэл оюун|лаборатори',
  }),
  trigger('14000000', {
    ru: 'общество|пенсионеры|бедность|инвалиды|мигранты|население|демография|благотворительность|многодетные|рождаемость|бездомные|волонтеры|благотворительный фонд|пожертвования|инвалидность|люди с инвалидностью|доступная среда|мигранты|иностранные граждане|одиночество|пожилые|перепись|население|бедность|прожиточный минимум|демографы|социальные службы',
    en: 'society|poverty|disabilities|migrants|population|demographic|charity|welfare|homeless|homelessness|homeless|rough sleepers|birth rate|food banks|same-sex|migrants|asylum|loneliness|census|women|violence against women|child poverty|disabled|disability|charities|volunteers|older people|elderly',
    uk: 'суспільство|соціальний|сім\'я|діти|пенсіонери|бідність|інваліди|мігранти|населення|демографія|благодійність',
    kk: 'қоғам|әлеуметтік|отбасы|балалар|зейнеткерлер|кедейлік|мүгедектер|көші-қон|халық|демография|қайырымдылық',
    mn: 'нийгэм|нийгмийн|гэр бүл|хүүхэд|ахмад настан|ядуурал|хөгжлийн бэрхшээлтэй|шилжин суурьшигч|хүн ам|буяны',
  }),
  trigger('15000000', {
    ru: 'спорт|спортсмен|матч|чемпионат|турнир|тренер|лига|сборная|гол|олимпийский|чемпион|футбол|хоккей|НХЛ|КХЛ|шайба|забросил|теннисистка|полуфинал|биатлон|масс-старт|фигуристка|Гран-при|марафон|забег|овертайм|пенальти|вратарь|нападающий|защитник|Кубок|болельщики|олимпийский призер|медали|соревнования|баскетбол|товарищеский матч|турнирная таблица|клуб',
    en: 'sport|sports|athlete|match|championship|tournament|coach|league|goal|playoff|Premier League|title|scored|points|rebounds|overtime|striker|goalkeeper|squad|World Cup|Olympic|world record|marathon|Wimbledon|sets|Grand Prix|Tour de France|stage|yellow jersey|relegation|cup final|stadium|fans|captain|hurdles|Diamond League|club',
    uk: 'спорт|спортсмен|матч|чемпіонат|турнір|команда|тренер|перемога|поразка|сезон|ліга|збірна|гол|фінал|олімпійський',
    kk: 'спорт|спортшы|матч|чемпионат|турнир|команда|жаттықтырушы|жеңіс|жеңіліс|маусым|лига|құрама|гол|финал',
    mn: 'спорт|тамирчин|тэмцээн|аварга|баг|дасгалжуулагч|ялалт|ялагдал|улирал|лиг|шигшээ баг|гоол|финал|медаль',
  }),
  trigger('16000000', {
    ru: 'война|военный|армия|войска|обстрел|боевые действия|конфликт|мирные переговоры|перемирие|теракт|ракетный удар|оккупация|авиаудары|удары|обстрел|повстанцы|бои|военнопленные|заложники|теракт|группировка|беспилотники|дроны|ПВО|НАТО|военнослужащие|Минобороны|Министерство обороны|армия|миротворцы|перемирие|учения|маневры',
    en: 'war|military|army|troops|shelling|fighting|conflict|peace talks|ceasefire|insurgents|missile|occupation|invasion|air strikes|airstrikes|rebels|truce|hostages|bomber|bombing|suicide bomber|militant|militants|drone attack|drones|NATO|soldiers|forces|killed|clashes|peacekeepers|battlegroups|defence',
    uk: 'війна|військовий|армія|війська|обстріл|бойові дії|конфлікт|мирні переговори|перемир\'я|теракт|ракетний удар|окупація',
    kk: 'соғыс|әскери|армия|әскер|атыс|қақтығыс|бейбіт келіссөздер|бітім|террорлық',
    mn: 'дайн|цэргийн|арми|цэрэг|буудлага|мөргөлдөөн|энхийн хэлэлцээ|гал зогсоох|террорист',
  }),
  trigger('17000000', {
    ru: 'погода|синоптики|прогноз погоды|осадки|снегопад|жара|мороз|температура воздуха|ливень|гидрометцентр|жара|аномальная жара|снегопад|снег|морозы|шторм|ветер|порывы ветра|ливни|ливень|туман|видимость|засуха|град|гроза|непогода|штормовое предупреждение|потепление|похолодание|градусов|метеоусловия|синоптики|метеонаблюдений',
    en: 'weather|forecasters|weather forecast|rainfall|snowfall|heatwave|frost|temperatures|downpour|meteorological|heatwave|storm|winds|snow|ice|cold snap|temperatures|forecast|fog|visibility|drought|rainfall|thunderstorms|lightning|hail|typhoon|hurricane|weather warnings|Met Office|meteorological office|weather service|sunshine|warm spell',
    uk: 'погода|синоптики|прогноз погоди|опади|снігопад|спека|мороз|температура повітря|злива|гідрометцентр',
    kk: 'ауа райы|синоптиктер|жауын-шашын|қар|аптап|аяз|ауа температурасы|Қазгидромет',
    mn: 'цаг агаар|цаг уур|хур тунадас|цас|халуун|хүйтэн|агаарын температур|шороон шуурга|цасан шуурга',
  }),
  // Sports whose stories talk in the sport's own terms rather than its name.
  trigger('20000849', {
    ru: 'бейсбол|питчер|иннинг|хоум-ран',
    en: 'baseball|pitcher|innings|home run|homer|homers|earned run average|batting average|MLB',
    uk: 'бейсбол|пітчер|інінг',
    kk: 'бейсбол',
    mn: 'бейсбол',
  }),
  trigger('20000851', {
    ru: 'баскетбол|баскетболист|НБА',
    en: 'basketball|NBA|rebounds|three-pointer',
    uk: 'баскетбол|баскетболіст|НБА',
    kk: 'баскетбол',
    mn: 'сагсан бөмбөг',
  }),
  trigger('20001098', {
    ru: 'борьба|борец|борцы|вольная борьба',
    en: 'wrestling|wrestler|wrestlers',
    uk: 'боротьба|борець|борці',
    kk: 'күрес|балуан|балуандар',
    mn: 'бөх|бөхийн барилдаан|барилдаан',
  }),
  trigger('20001069', { ru: 'сумо|сумоист', en: 'sumo|yokozuna|sumo wrestler', uk: 'сумо|сумоїст', kk: 'сумо', mn: 'сумо|ёкозүна' }),
  trigger('20000888', { ru: 'крикет', en: 'cricket|wicket|wickets|test match', uk: 'крикет', kk: 'крикет', mn: 'крикет' }),
  trigger('20000940', { ru: 'гольф|гольфист', en: 'golf|golfer|PGA', uk: 'гольф|гольфіст', kk: 'гольф', mn: 'гольф' }),
  trigger('20000991', { ru: 'Формула-1|гонщик|гран-при', en: 'Formula One|Formula 1|Grand Prix|pole position', uk: 'Формула-1|гонщик|гран-прі', kk: 'Формула-1', mn: 'Формула-1' }),
];
