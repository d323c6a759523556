import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectLanguage } from './detect';

// Each language at three lengths: one sentence, a short paragraph, a longer one.
const SAMPLES: Record<'ru' | 'en' | 'uk' | 'mn' | 'kk', [string, string, string]> = {
  ru: [
    'Правительство России утвердило новый бюджет на следующий год.',
    'Правительство России сегодня провело заседание и одобрило проект федерального бюджета на следующий год. Министры обсудили меры поддержки экономического роста.',
    'Правительство России сегодня провело заседание и одобрило проект федерального бюджета на следующий год. Министры обсудили меры поддержки экономического роста. Экспорт нефти и газа за последний год вырос, что помогло увеличить доходы бюджета. В Москве выделят дополнительные средства на строительство школ и больниц.',
  ],
  en: [
    'The government approved a new budget for next year.',
    'The cabinet met today and approved the draft federal budget for next year. Ministers discussed measures to support economic growth.',
    'The cabinet met today and approved the draft federal budget for next year. Ministers discussed measures to support economic growth. Oil and gas exports rose over the past year, which helped to increase budget revenue. The capital will receive additional funds to build schools and hospitals.',
  ],
  uk: [
    'Уряд України ухвалив новий бюджет на наступний рік.',
    'Кабінет міністрів України сьогодні провів засідання та схвалив проєкт державного бюджету на наступний рік. Міністри обговорили заходи підтримки економічного зростання.',
    'Кабінет міністрів України сьогодні провів засідання та схвалив проєкт державного бюджету на наступний рік. Міністри обговорили заходи підтримки економічного зростання. Експорт зерна за останній рік зріс, що допомогло збільшити надходження до бюджету. У Києві виділять додаткові кошти на будівництво шкіл і лікарень.',
  ],
  mn: [
    'Монгол Улсын Засгийн газар шинэ төсвийг баталлаа.',
    'Монгол Улсын Засгийн газар өнөөдөр хуралдаж, ирэх оны улсын төсвийн төслийг хэлэлцэн баталлаа. Сайд нар эдийн засгийн өсөлтийг дэмжих арга хэмжээний талаар ярилцав.',
    'Монгол Улсын Засгийн газар өнөөдөр хуралдаж, ирэх оны улсын төсвийн төслийг хэлэлцэн баталлаа. Сайд нар эдийн засгийн өсөлтийг дэмжих арга хэмжээний талаар ярилцав. Уул уурхайн салбарын экспорт өнгөрсөн жилээс хойш нэмэгдсэн бөгөөд нүүрс, зэсийн үнэ өндөр байгаа нь төсвийн орлогыг өсгөхөд нөлөөлжээ. Улаанбаатар хотын агаарын бохирдлыг бууруулах хөтөлбөрт нэмэлт хөрөнгө хуваарилахаар тогтов.',
  ],
  kk: [
    'Қазақстан Үкіметі жаңа бюджетті бекітті.',
    'Қазақстан Республикасының Үкіметі бүгін отырыс өткізіп, келесі жылдың республикалық бюджетінің жобасын қарап, мақұлдады. Министрлер экономикалық өсуді қолдау шаралары туралы айтты.',
    'Қазақстан Республикасының Үкіметі бүгін отырыс өткізіп, келесі жылдың республикалық бюджетінің жобасын қарап, мақұлдады. Министрлер экономикалық өсуді қолдау шаралары туралы айтты. Мұнай мен газ экспорты өткен жылмен салыстырғанда артып, бюджет кірісінің өсуіне ықпал етті. Астана қаласында жаңа мектептер мен ауруханалар салуға қосымша қаржы бөлінетін болды.',
  ],
};

describe('detectLanguage', () => {
  for (const [language, texts] of Object.entries(SAMPLES)) {
    it.each(texts.map((text, i) => [['sentence', 'paragraph', 'long'][i], text]))(
      `detects ${language} (%s)`,
      (_length, text) => {
        const result = detectLanguage(text);
        expect(result.language).toBe(language);
        expect(result.confidence).toBeGreaterThan(0.3);
        expect(result.confidence).toBeLessThanOrEqual(1);
      },
    );
  }

  it('detects the Russian seed story despite the Mongolian letter in "Батмөнх"', () => {
    const seed = fs.readFileSync(path.join(__dirname, 'fixtures', 'centralasia-2026-02-07-ru.txt'), 'utf8');
    expect(seed).toContain('Батмөнх');
    const result = detectLanguage(seed);
    expect(result.language).toBe('ru');
    expect(result.confidence).toBeGreaterThan(0.8);
  });

  it('keeps a short Russian sentence with a Mongolian name Russian', () => {
    expect(detectLanguage('Глава МИД Монголии Батцэцэг Батмөнх прибыла в Вашингтон.').language).toBe('ru');
  });

  it('ignores links and handles when weighing the script', () => {
    const text = 'Подробности на https://example.com/news/mongolia-budget и в канале @centralasiamedia.';
    expect(detectLanguage(text).language).toBe('ru');
  });

  it('gives confidence that grows with length', () => {
    const [sentence, , long] = SAMPLES.ru;
    expect(detectLanguage(long).confidence).toBeGreaterThan(detectLanguage(sentence).confidence);
  });

  it.each(['', '   ', 'Hi!', 'Да.', '12345 67890 2026-02-07', '@centralasiamedia'])(
    'answers und for short or letterless text %p',
    (text) => {
      expect(detectLanguage(text)).toEqual({ language: 'und', confidence: 0 });
    },
  );

  it('answers und for Latin-script text that is not English', () => {
    const french = 'Le gouvernement a approuvé hier un nouveau budget pour la prochaine année fiscale.';
    expect(detectLanguage(french).language).toBe('und');
  });
});
