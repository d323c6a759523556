/**
 * The canonical story every input format maps to. Parsers only parse: clean-up and language
 * detection run afterwards, on this shape, whatever the format was.
 */
export type InputFormat = 'plain' | 'ninjs' | 'newsml-g2' | 'newsml1' | 'nitf' | 'rss' | 'atom';

export type PubStatus = 'usable' | 'withheld' | 'canceled';

/** A subject as the document coded it: `scheme` is the QCode prefix or vocabulary (medtop, subj, ...). */
export interface Subject {
  scheme?: string;
  code?: string;
  name?: string;
  uri?: string;
}

export interface Place {
  name?: string;
  code?: string;
  uri?: string;
}

/** A linked object (picture, video, another story), kept by reference only: nothing is fetched at intake. */
export interface Association {
  role?: string;
  uri?: string;
  href?: string;
  type?: string;
  mimetype?: string;
  headline?: string;
}

export interface Rights {
  copyrightHolder?: string;
  copyrightNotice?: string;
  usageTerms?: string;
}

export interface CanonicalStory {
  format: InputFormat;
  /** The partner's id for the story (ninjs `uri`, NewsML-G2 guid, RSS guid); absent for plain text. */
  externalId?: string;
  /** Integer version used for idempotency; `versionLabel` keeps the partner's own string when it is not one. */
  version?: number;
  versionLabel?: string;
  /** ISO 8601 instants when the document gave a readable one; unreadable values are dropped with a warning. */
  versionCreated?: string;
  firstCreated?: string;
  pubStatus?: PubStatus;
  /** text, picture, video, audio, graphic, composite, event, ... (ninjs `type`, G2 itemClass). */
  itemType?: string;
  /** Empty for items without text (a picture without caption, an event): stored, not enriched. */
  headline: string;
  subheadline?: string;
  byline?: string;
  /** ISO date the story is about, e.g. from the seed's `date YYYY-MM-DD` line. */
  storyDate?: string;
  dateline?: string;
  paragraphs: string[];
  /** Sanitised HTML body when the source had markup (allowlist in html.ts). */
  bodyHtml?: string;
  /** Language the document declares (ISO 639-1), if any. */
  language?: string;
  /** 1 (most urgent) .. 9. */
  urgency?: number;
  subjects?: Subject[];
  places?: Place[];
  embargo?: string;
  /** The embargo as sent when it could not be read: the story must be held, never published early. */
  embargoUnreadable?: string;
  expires?: string;
  rights?: Rights;
  associations?: Association[];
  /**
   * Processing signals as the document coded them (NewsML-G2 `signal`, e.g. `sig:correction`,
   * `sig:update`): kept for the partner API and for channels that label corrections.
   */
  signals?: string[];
  /** A note to the receiving editors (G2 `edNote`, NITF `ed-msg`, ninjs `ednote`): never published. */
  editorNote?: string;
  /** The format version the document was validated against (ninjs schema version, NITF version, ...). */
  formatVersion?: string;
  /**
   * A named producer dialect the document was read as (`superdesk`: ninjs identified by `guid`),
   * when it deviates from the standard; the deviations are listed in `warnings`.
   */
  dialect?: 'superdesk';
  /** The producer's own custom fields (Superdesk `extra`), kept as sent for the partner API. */
  extra?: Record<string, unknown>;
  /** Public notes on the text (Superdesk `annotations`), as plain text. */
  annotations?: Array<{ id?: string; type?: string; text: string }>;
  /** Non-fatal notes about the document (unreadable dates, dropped parts). */
  warnings?: string[];
}

/** What one document yields: one story, or several for multi-item documents. */
export interface ParsedDocument {
  format: InputFormat;
  stories: CanonicalStory[];
  /** Multi-item documents: each story's index among the document's items (default: 0..n-1). */
  positions?: number[];
  /** Lenient parsing only: the items set aside, by document index, with why. */
  rejected?: Array<{ index: number; error: FormatError }>;
}

/**
 * A document that cannot be accepted. Carries what an RFC 9457 problem needs; the HTTP layer
 * maps it, so parsers stay free of HTTP types.
 */
export interface FieldError {
  /** JSON pointer (JSON documents) or XPath (XML documents) to the offending part. */
  pointer: string;
  code: string;
  message: string;
}

export class FormatError extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    readonly code: string,
    readonly pointer: string,
    message: string,
    /** Every violation when there are several (schema validation); the first is `pointer`. */
    readonly fields?: FieldError[],
  ) {
    super(message);
  }
}

/** ISO 639-2 codes some agencies still send, mapped to the ISO 639-1 code stored. */
const ISO639_2: Record<string, string> = {
  eng: 'en', rus: 'ru', ukr: 'uk', kaz: 'kk', mon: 'mn', deu: 'de', ger: 'de', fra: 'fr', fre: 'fr', spa: 'es', ita: 'it',
  por: 'pt', nld: 'nl', dut: 'nl', swe: 'sv', nor: 'no', nob: 'nb', nno: 'nn', dan: 'da', fin: 'fi', pol: 'pl', ces: 'cs',
  cze: 'cs', tur: 'tr', ara: 'ar', zho: 'zh', chi: 'zh', jpn: 'ja', kor: 'ko', heb: 'he', ell: 'el', gre: 'el',
};

/**
 * A BCP 47 tag as documents carry it (`en-GB`, `nb-NO`, `EN`, `eng`, `zh-Hant-TW`) -> its primary
 * language subtag in lower case (ISO 639-1 where one exists); `und`, `mul`, `zxx` and malformed
 * tags -> undefined, so detection decides instead.
 */
export function languageOf(tag: string | undefined): string | undefined {
  const m = tag ? /^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*\s*$/.exec(tag) : null;
  if (!m?.[1]) return undefined;
  const primary = m[1].toLowerCase();
  if (primary === 'und' || primary === 'mul' || primary === 'zxx' || primary === 'mis') return undefined;
  return primary.length === 3 ? ISO639_2[primary] ?? primary : primary;
}

const BYLINE_PREFIX = /^\s*(?:by|von|par|av|af|por|door|от|від)\s+/i;

/** A byline as agencies write it (`By JANE DOE`, `Von Max Muster, dpa`) without the leading "by". */
export function cleanByline(raw: string | undefined): string | undefined {
  const b = raw?.replace(/\s+/g, ' ').replace(BYLINE_PREFIX, '').replace(/^[\s,;:/|-]+|[\s,;:/|-]+$/g, '');
  return b || undefined;
}

export const LIMITS = { headline: 512, bodyChars: 200_000, paragraphs: 2_000, items: 500 } as const;

/** Shared field checks: limits and control characters that must never reach a channel. */
export function checkHeadline(headline: string, pointer: string): string {
  const h = headline.replace(/\s+/g, ' ').trim();
  if (!h) throw new FormatError(422, 'missing_field', pointer, 'headline is required');
  if (h.length > LIMITS.headline) throw new FormatError(422, 'too_long', pointer, `max ${LIMITS.headline} characters`);
  // CR/LF in a headline is header injection waiting to happen (email subjects); tabs are just spaces.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(headline)) {
    throw new FormatError(422, 'control_characters', pointer, 'headline contains control characters');
  }
  if (/[\u202a-\u202e\u2066-\u2069]/.test(h)) {
    throw new FormatError(422, 'disallowed_characters', pointer, 'headline contains bidirectional override characters');
  }
  return h;
}

export function checkBody(paragraphs: string[], pointer: string): string[] {
  const kept = paragraphs.map((p) => p.replace(/[ \t\u00a0]+/g, ' ').trim()).filter((p) => p.length > 0);
  if (kept.length === 0) throw new FormatError(422, 'missing_field', pointer, 'body is required');
  if (kept.length > LIMITS.paragraphs) throw new FormatError(422, 'too_many_items', pointer, `max ${LIMITS.paragraphs} paragraphs`);
  const chars = kept.reduce((n, p) => n + p.length, 0);
  if (chars > LIMITS.bodyChars) throw new FormatError(422, 'too_long', pointer, `max ${LIMITS.bodyChars} characters`);
  return kept;
}
