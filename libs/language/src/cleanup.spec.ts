import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanupParagraphs, parseDateline } from './cleanup';

/** The seed's body: its first line is the headline, which intake handles before clean-up. */
function seedBody(): string[] {
  const raw = fs.readFileSync(path.join(__dirname, 'fixtures', 'centralasia-2026-02-07-ru.txt'), 'utf8');
  return raw.split(/\n\s*\n/u).slice(1);
}

describe('cleanupParagraphs', () => {
  describe('on the seed story', () => {
    const body = seedBody();
    const { paragraphs, removed } = cleanupParagraphs(body, 'ru');

    it('removes the promo footer, the navigation lines and the "earlier we reported" block, with reasons', () => {
      expect(removed).toEqual([
        { reason: 'earlier_reported', text: expect.stringMatching(/^Ранее мы сообщали, что Управление гражданской авиации/u) },
        { reason: 'promo_footer', text: 'За событиями следите в Телеграм-канале @centralasiamedia' },
        { reason: 'navigation', text: 'Коронавирус в Монголии' },
        { reason: 'navigation', text: 'Карта распространения' },
      ]);
    });

    it('returns each removed span with its exact text', () => {
      for (const span of removed) expect(body.map((p) => p.trim())).toContain(span.text.trim());
    });

    it('keeps real content that merely starts with "Ранее"', () => {
      expect(paragraphs).toContainEqual(expect.stringMatching(/^Ранее Госдепартамент объявил/u));
    });

    it('keeps attribution boilerplate inside a paragraph', () => {
      expect(paragraphs[0]).toMatch(/Об этом сообщает MiddleAsianNews\.$/u);
    });

    it('keeps every other paragraph, in order', () => {
      expect(paragraphs).toHaveLength(body.length - 4);
      expect(paragraphs.at(-1)).toMatch(/^Цель министерской встречи/u);
    });

    it('gives the same answer without a language hint', () => {
      expect(cleanupParagraphs(body)).toEqual({ paragraphs, removed });
    });
  });

  it('cleans an English story: "Read also:" block and a Telegram promo', () => {
    const story = [
      'ULAANBAATAR, Feb 7 (Reuters) - Mongolia signed a supply agreement for rare earth oxides on Friday.',
      'The deal covers exports over the next five years, officials said.',
      'Read also:',
      'Mongolia gets FAA Category 1 rating',
      'Coal exports to China hit a record',
      'Prices for copper concentrate rose by 4% in January, according to the customs office.',
      'Follow us on Telegram: @asianewswire',
      'Mongolia news',
      'Contact us',
    ];
    const { paragraphs, removed } = cleanupParagraphs(story, 'en');
    expect(paragraphs).toEqual([story[0], story[1], story[5]]);
    expect(removed).toEqual([
      { reason: 'earlier_reported', text: 'Read also:' },
      { reason: 'earlier_reported', text: 'Mongolia gets FAA Category 1 rating' },
      { reason: 'earlier_reported', text: 'Coal exports to China hit a record' },
      { reason: 'promo_footer', text: 'Follow us on Telegram: @asianewswire' },
      { reason: 'navigation', text: 'Mongolia news' },
      { reason: 'navigation', text: 'Contact us' },
    ]);
  });

  it('removes "Read also: <headline>" on one line and keeps the story around it', () => {
    const story = ['The ministry confirmed the figures on Monday.', 'Read also: Copper prices climb again', 'Talks resume next week.'];
    expect(cleanupParagraphs(story).paragraphs).toEqual([story[0], story[2]]);
  });

  it('cleans Ukrainian boilerplate', () => {
    const story = [
      'Уряд Монголії схвалив нову програму розвитку гірничої галузі.',
      'Раніше ми повідомляли, що експорт вугілля до Китаю зріс.',
      'Підписуйтесь на наш Telegram-канал, щоб не пропустити головне.',
    ];
    const { paragraphs, removed } = cleanupParagraphs(story, 'uk');
    expect(paragraphs).toEqual([story[0]]);
    expect(removed.map((r) => r.reason)).toEqual(['earlier_reported', 'promo_footer']);
  });

  it('strips a promo sentence glued to the end of the last paragraph', () => {
    const story = ['Встреча прошла в Вашингтоне. Подписывайтесь на наш канал в Telegram!'];
    expect(cleanupParagraphs(story, 'ru')).toEqual({
      paragraphs: ['Встреча прошла в Вашингтоне.'],
      removed: [{ reason: 'promo_footer', text: 'Подписывайтесь на наш канал в Telegram!' }],
    });
  });

  it('treats a final paragraph of several menu lines as navigation', () => {
    const story = ['Министр прибыл в Улан-Батор.', 'Главная\nНовости\nКонтакты'];
    expect(cleanupParagraphs(story).removed).toEqual([{ reason: 'navigation', text: 'Главная\nНовости\nКонтакты' }]);
  });

  it('does not treat short lines as navigation when nothing else is left', () => {
    const story = ['Землетрясение в Монголии', 'Подробности позже'];
    expect(cleanupParagraphs(story)).toEqual({ paragraphs: story, removed: [] });
  });

  it('keeps short lines in the middle of a story', () => {
    const story = ['Первый абзац новости.', 'Подзаголовок раздела', 'Второй абзац новости.'];
    expect(cleanupParagraphs(story).paragraphs).toEqual(story);
  });

  it('keeps content that mentions Telegram without a call to action', () => {
    const story = ['Министерство создало канал в Telegram для экспортеров.', 'Канал уже набрал тысячу подписчиков.'];
    expect(cleanupParagraphs(story).removed).toEqual([]);
  });

  it('drops whitespace-only paragraphs', () => {
    expect(cleanupParagraphs(['Текст новости.', '  ', '']).paragraphs).toEqual(['Текст новости.']);
  });
});

describe('parseDateline', () => {
  it('splits the seed dateline', () => {
    const first = seedBody()[0] ?? '';
    const parsed = parseDateline(first);
    expect(parsed?.dateline).toBe('CentralAsia (MNG)');
    expect(parsed?.rest).toMatch(/^Государственный департамент США провел/u);
  });

  it.each([
    ['CentralAsia (MNG) – Текст новости.', 'CentralAsia (MNG)', 'Текст новости.'],
    ['CentralAsia (MNG) — Текст новости.', 'CentralAsia (MNG)', 'Текст новости.'],
    ['ULAANBAATAR, Feb. 7 (Reuters) - Mongolia signed a deal.', 'ULAANBAATAR, Feb. 7 (Reuters)', 'Mongolia signed a deal.'],
    ['УЛАН-БАТОР, 7 февраля - Правительство утвердило бюджет.', 'УЛАН-БАТОР, 7 февраля', 'Правительство утвердило бюджет.'],
  ])('splits %p', (text, dateline, rest) => {
    expect(parseDateline(text)).toEqual({ dateline, rest });
  });

  it.each([
    'Государственный департамент США провел конференцию.',
    'Москва - столица России.',
    'США – крупнейший потребитель минералов.',
    'Глава МИД заявила, что переговоры (второй раунд) прошли успешно. Затем - пресс-конференция.',
    'CentralAsia (MNG) -',
  ])('returns null for %p', (text) => {
    expect(parseDateline(text)).toBeNull();
  });
});

describe('attribution boilerplate', () => {
  it.each([
    ['ru', 'При использовании материалов гиперссылка на CentralAsia обязательна.'],
    ['ru', '© 2026 CentralAsia. Все права защищены.'],
    ['uk', 'Усі права захищені. Передрук матеріалів лише за умови посилання на джерело.'],
    ['en', 'Copyright 2026 The Wire. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.'],
  ])('removes a %s rights notice', (language, notice) => {
    const story = ['Первый абзац новости о переговорах в Вашингтоне.', notice];
    expect(cleanupParagraphs(story, language)).toEqual({
      paragraphs: [story[0]],
      removed: [{ reason: 'attribution_boilerplate', text: notice }],
    });
  });

  it('keeps source attribution and a long paragraph that quotes a rights phrase', () => {
    const story = [
      'Об этом сообщает MiddleAsianNews.',
      'The court ruled that the publisher, which had marked every page "all rights reserved", could not stop the archive from quoting short passages of its reporting for research, a decision lawyers said would matter for news archives across the region for years to come.',
    ];
    expect(cleanupParagraphs(story, 'en').removed).toEqual([]);
  });
});
