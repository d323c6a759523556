/**
 * Story clean-up: strips the boilerplate that partners' scrapers leave in the body (social promo
 * footers, "earlier we reported" blocks, trailing site navigation) before the text is translated,
 * tagged or published, and splits a leading agency dateline off the first paragraph.
 *
 * Rules are phrase- and shape-based so they carry over to other stories and outlets; everything
 * removed is returned with a reason so the operator can see (and dispute) what was dropped.
 */
import type { RemovedSpan } from '@syndication/contracts';
import { applyPartnerCleanupRules, type PartnerCleanupRule } from './cleanup-rules';

export type CleanupReason = 'promo_footer' | 'earlier_reported' | 'navigation' | 'attribution_boilerplate';

export interface CleanupResult {
  paragraphs: string[];
  removed: RemovedSpan[];
  /** Set when partner rules could not be applied (their time budget ran out). */
  warnings?: string[];
}

interface PhraseSet {
  /** Call to action at the start of a sentence ("Subscribe to ..."). */
  promoCallToAction: string[];
  /** Paragraph openers that introduce links to the outlet's earlier stories. */
  earlierReported: string[];
  /** Rights and reprint notices, matched anywhere in a short paragraph ("All rights reserved"). */
  rightsNotice: string[];
}

// Alternatives are regex fragments, matched case-insensitively at the start of a paragraph or
// sentence. Kept per language so a caller that knows the language gets only that set (plus
// English, which shows up in every language's boilerplate).
const PHRASES: Record<string, PhraseSet> = {
  ru: {
    promoCallToAction: [
      'за (?:событиями|новостями|нами|обновлениями)[^.!?]{0,40}?следите',
      'следите за (?:нами|новостями|событиями|обновлениями|нашими)',
      'подписывайтесь',
      'подпишитесь',
      'присоединяйтесь',
      'читайте (?:нас|наши новости|новости)',
      'больше (?:новостей|материалов|информации)',
      'все (?:новости|подробности)',
      'наш (?:телеграм|telegram|тг)',
      'мы в (?:телеграм|telegram|соцсетях)',
    ],
    earlierReported: [
      'ранее мы (?:сообщали|писали|рассказывали|информировали)',
      'как мы (?:уже )?(?:сообщали|писали|рассказывали)',
      'читайте также',
      'также читайте',
      'смотрите также',
      'по теме\\s*:',
    ],
    rightsNotice: [
      'все права (?:защищены|сохранены)',
      'при (?:полном или частичном )?(?:использовании|цитировании|перепечатке|копировании|воспроизведении)[^.!?]{0,80}?ссылк[аи][^.!?]{0,80}?обязательн',
      '(?:копирование|воспроизведение|перепечатка|использование)(?: материалов)?[^.!?]{0,60}?(?:запрещен|без (?:письменного )?(?:разрешения|согласия))',
    ],
  },
  uk: {
    promoCallToAction: [
      'за (?:подіями|новинами|нами)[^.!?]{0,40}?(?:стежте|слідкуйте)',
      '(?:стежте|слідкуйте) за (?:нами|новинами|подіями|оновленнями|нашими)',
      'підписуйтес[ья]',
      'підпишіться',
      'приєднуйтес[ья]',
      'читайте (?:нас|наші новини|новини)',
      'більше (?:новин|матеріалів|інформації)',
      'усі новини',
      'наш (?:телеграм|telegram|тг)',
      'ми в (?:телеграм|telegram|соцмережах)',
    ],
    earlierReported: [
      'раніше ми (?:повідомляли|писали|розповідали|інформували)',
      'як ми (?:вже )?(?:повідомляли|писали|розповідали)',
      'читайте також',
      'також читайте',
      'дивіться також',
      'по темі\\s*:',
    ],
    rightsNotice: [
      '(?:усі|всі) права (?:захищені|застережені)',
      'при (?:повному або частковому )?(?:використанні|цитуванні|передруку|копіюванні|відтворенні)[^.!?]{0,80}?посилання[^.!?]{0,80}?обов',
      '(?:використання|передрук|копіювання|відтворення)(?: матеріалів)?[^.!?]{0,60}?(?:заборонен|лише за умови|без (?:письмового )?(?:дозволу|згоди))',
    ],
  },
  en: {
    promoCallToAction: [
      'follow us',
      'subscribe to',
      'join (?:us|our)',
      'stay (?:tuned|updated|informed)',
      'find us on',
      'read us on',
      'get (?:the latest|our) (?:news|updates)',
      'for more (?:news|updates)',
    ],
    earlierReported: [
      'read also',
      'also read',
      'see also',
      'read more\\s*:',
      'related(?: stories| news| articles)?\\s*:',
      '(?:earlier|previously),? we reported',
      'as we (?:have )?(?:reported|wrote) (?:earlier|previously|before)',
    ],
    rightsNotice: [
      'all rights reserved',
      '(?:copyright|©|\\(c\\))\\s*(?:©\\s*)?(?:19|20)\\d\\d',
      'may not be (?:published|reproduced|broadcast|rewritten|redistributed)',
      '(?:reproduction|republication|redistribution)[^.!?]{0,40}?(?:prohibited|forbidden|not permitted|without (?:prior )?(?:written )?permission)',
    ],
  },
};

/** A promo must also name where to follow: a platform, a channel or a handle. */
const CHANNEL_REFERENCE =
  /телеграм|telegram|тг-канал|канал|channel|newsletter|рассылк|розсилк|соцсет|соцмереж|social media|@[\p{L}\p{N}_]{3,}|t\.me\/|vk\.com|вконтакте|facebook|instagram|twitter|x\.com|youtube|ютуб|дзен|dzen|whatsapp|viber|tiktok/iu;

const MAX_PROMO_WORDS = 40;
const MAX_NAVIGATION_WORDS = 6;
const MAX_NAVIGATION_CHARS = 80;
/** Linked headlines after a bare "Read also:" label run longer than menu items. */
const MAX_LINKED_HEADLINE_WORDS = 20;

/** Emoji, arrows and bullets that promo lines often start with. */
const LEADING_DECORATION = /^[\s\p{Extended_Pictographic}\uFE0F\u200D•·▶►➡→>*-]*/u;
const SENTENCE_END = /[.!?…]["'»”’)\]]*$/u;
const SENTENCE_BOUNDARY = /(?<=[.!?…]["'»”’)\]]*)\s+(?=\S)/gu;

function alternatives(language: string | undefined, pick: (set: PhraseSet) => string[], anchored = true): RegExp {
  const sets = language && PHRASES[language] ? [PHRASES[language], PHRASES.en] : Object.values(PHRASES);
  const parts = sets.flatMap((set) => (set ? pick(set) : []));
  return new RegExp(`${anchored ? '^' : ''}(?:${parts.join('|')})`, 'iu');
}

/** A rights notice is a short paragraph of its own, not a story sentence that quotes one. */
const MAX_RIGHTS_NOTICE_WORDS = 40;

function wordCount(text: string): number {
  return text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function stripDecoration(text: string): string {
  return text.replace(LEADING_DECORATION, '');
}

function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text.trim());
}

/** A menu item or tag link: short, and not a sentence. */
function isNavigationLine(line: string, maxWords = MAX_NAVIGATION_WORDS): boolean {
  const text = line.trim();
  if (!text || endsSentence(text)) return false;
  if (maxWords === MAX_NAVIGATION_WORDS && text.length > MAX_NAVIGATION_CHARS) return false;
  const words = wordCount(text);
  return words > 0 && words <= maxWords;
}

function isNavigationBlock(paragraph: string, maxWords = MAX_NAVIGATION_WORDS): boolean {
  const lines = paragraph.split('\n').filter((l) => l.trim());
  return lines.length > 0 && lines.every((l) => isNavigationLine(l, maxWords));
}

class Rules {
  private readonly promoStart: RegExp;
  private readonly earlierStart: RegExp;
  private readonly rightsNotice: RegExp;

  constructor(language: string | undefined) {
    this.promoStart = alternatives(language, (s) => s.promoCallToAction);
    this.earlierStart = alternatives(language, (s) => s.earlierReported);
    this.rightsNotice = alternatives(language, (s) => s.rightsNotice, false);
  }

  isRightsNotice(text: string): boolean {
    return wordCount(text) <= MAX_RIGHTS_NOTICE_WORDS && this.rightsNotice.test(text);
  }

  isPromo(text: string): boolean {
    const body = stripDecoration(text.trim());
    return (
      this.promoStart.test(body) && CHANNEL_REFERENCE.test(body) && wordCount(body) <= MAX_PROMO_WORDS
    );
  }

  isEarlierReported(text: string): boolean {
    return this.earlierStart.test(stripDecoration(text.trim()));
  }

  /** "Read also:" on its own, with the linked headlines in the following paragraphs. */
  isBareEarlierLabel(text: string): boolean {
    const body = stripDecoration(text.trim());
    const match = this.earlierStart.exec(body);
    if (!match) return false;
    const after = body.slice(match[0].length).replace(/^[\s:—–-]+/u, '');
    return after.length === 0;
  }
}

/**
 * Removes boilerplate paragraphs. `language` (ISO 639-1) narrows the phrase lists; without it
 * every known language's phrases apply. Whitespace-only paragraphs are dropped silently.
 * Source attribution ("Об этом сообщает X.") is kept on purpose: it is part of the story; rights
 * and reprint notices ("All rights reserved", "При перепечатке ссылка обязательна") are not.
 * A partner's own rules (cleanup-rules.ts) run after the generic ones, on what they left.
 */
export function cleanupParagraphs(paragraphs: string[], language?: string, partnerRules: readonly PartnerCleanupRule[] = []): CleanupResult {
  const generic = cleanupGeneric(paragraphs, language);
  if (partnerRules.length === 0) return generic;
  const own = applyPartnerCleanupRules(generic.paragraphs, partnerRules);
  if (own.timedOut) return { ...generic, warnings: ['partner clean-up rules ran out of time; none was applied'] };
  return { paragraphs: own.paragraphs, removed: [...generic.removed, ...own.removed] };
}

function cleanupGeneric(paragraphs: string[], language?: string): CleanupResult {
  const rules = new Rules(language);
  const items = paragraphs.filter((p) => p.trim().length > 0);
  const verdicts: Array<CleanupReason | undefined> = items.map(() => undefined);

  markTrailingBoilerplate(items, verdicts, rules);

  for (let i = 0; i < items.length; i++) {
    if (verdicts[i]) continue;
    const text = items[i] ?? '';
    if (rules.isPromo(text)) {
      verdicts[i] = 'promo_footer';
    } else if (rules.isRightsNotice(text)) {
      verdicts[i] = 'attribution_boilerplate';
    } else if (rules.isEarlierReported(text)) {
      verdicts[i] = 'earlier_reported';
      if (rules.isBareEarlierLabel(text)) {
        // The label's links follow as headline-like paragraphs; take them with it.
        for (let j = i + 1; j < items.length && !verdicts[j]; j++) {
          if (!isNavigationBlock(items[j] ?? '', MAX_LINKED_HEADLINE_WORDS)) break;
          verdicts[j] = 'earlier_reported';
        }
      }
    }
  }

  const kept: string[] = [];
  const removed: RemovedSpan[] = [];
  items.forEach((text, i) => {
    const reason = verdicts[i];
    if (reason) {
      removed.push({ reason, text });
      return;
    }
    const trimmed = splitTrailingPromo(text, rules);
    kept.push(trimmed.kept);
    if (trimmed.removed) removed.push({ reason: 'promo_footer', text: trimmed.removed });
  });
  return { paragraphs: kept, removed };
}

/**
 * Walks back from the end over navigation lines and promo/"earlier" blocks (they interleave in
 * scraped footers). Only runs while a real paragraph remains before them, so a one-line story
 * is never emptied.
 */
function markTrailingBoilerplate(items: string[], verdicts: Array<CleanupReason | undefined>, rules: Rules): void {
  let i = items.length - 1;
  const pending: Array<[number, CleanupReason]> = [];
  for (; i >= 0; i--) {
    const text = items[i] ?? '';
    if (rules.isPromo(text)) pending.push([i, 'promo_footer']);
    else if (rules.isRightsNotice(text)) pending.push([i, 'attribution_boilerplate']);
    else if (rules.isEarlierReported(text)) pending.push([i, 'earlier_reported']);
    else if (isNavigationBlock(text)) pending.push([i, 'navigation']);
    else break;
  }
  if (i < 0) {
    // Nothing but short lines: this is not a story with a footer; leave navigation alone.
    for (const [index, reason] of pending) if (reason !== 'navigation') verdicts[index] = reason;
    return;
  }
  for (const [index, reason] of pending) verdicts[index] = reason;
}

/** A promo sentence glued to the end of a real paragraph ("... минералов. Подписывайтесь ..."). */
function splitTrailingPromo(paragraph: string, rules: Rules): { kept: string; removed?: string } {
  let lastBoundary = -1;
  for (const match of paragraph.matchAll(SENTENCE_BOUNDARY)) lastBoundary = match.index + match[0].length;
  if (lastBoundary <= 0) return { kept: paragraph };
  const tail = paragraph.slice(lastBoundary);
  if (!rules.isPromo(tail)) return { kept: paragraph };
  return { kept: paragraph.slice(0, lastBoundary).trimEnd(), removed: tail };
}

export interface Dateline {
  /** e.g. "CentralAsia (MNG)", "ULAANBAATAR, Feb 7 (Reuters)". */
  dateline: string;
  rest: string;
}

// Up to ~80 chars before a spaced hyphen or an en/em dash, with no sentence end inside.
const DATELINE_CANDIDATE = /^\s*(\p{Lu}[^\n!?]{0,80}?)(?:\s+-\s+|\s*[–—]\s*)(?=\S)/u;
// Shapes that make it a dateline rather than "Москва - столица России": an agency or country code
// in parentheses, or a capitalised place name followed by a comma and a date.
const DATELINE_SHAPE = /\([^()]{1,40}\)\s*$|^[\p{Lu}][\p{Lu}\p{Pd}]{2,}(?:\s[\p{Lu}\p{Pd}]{2,})*,/u;
const MAX_DATELINE_WORDS = 8;

/** Splits a leading agency dateline off the first paragraph; null when there is none. */
export function parseDateline(firstParagraph: string): Dateline | null {
  const match = DATELINE_CANDIDATE.exec(firstParagraph);
  const candidate = match?.[1]?.trim();
  if (!match || !candidate) return null;
  if (wordCount(candidate) > MAX_DATELINE_WORDS) return null;
  if (/[.…]\s+\p{Lu}/u.test(candidate)) return null;
  if (!DATELINE_SHAPE.test(candidate)) return null;
  const rest = firstParagraph.slice(match[0].length).trim();
  return rest ? { dateline: candidate, rest } : null;
}
