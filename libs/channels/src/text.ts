/**
 * Text helpers shared by the channel renderers. Story paragraphs are plain text by contract: HTML
 * channels (Telegram, the email HTML part, feeds) escape them whole, so `<b>` in a headline shows
 * as `<b>`. Plain-text channels (Mastodon statuses, the email text part, header values) cannot
 * escape, and their receivers are not all careful, so there markup a partner left in the text is
 * stripped (html-to-text drops tags and script/style contents) and no angle bracket is left that
 * a careless client could read as a tag.
 */
import { convert } from 'html-to-text';
import type { PublishableStory } from '@syndication/contracts';

const CONVERT_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'svg', format: 'skip' },
    { selector: 'noscript', format: 'skip' },
  ],
};

/** C0/C1 controls other than tab and newline, and the Unicode line/paragraph separators. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Text as it came, minus control characters: for HTML channels, which escape it whole. */
export function stripControls(text: string): string {
  return text.replace(CONTROLS, '').trim();
}

/** Markup-free, control-free text; `<`/`>` become look-alike quotes so nothing parses as a tag. */
export function toPlainText(text: string): string {
  const converted = /[<&]/.test(text) ? convert(text, CONVERT_OPTIONS) : text;
  return converted.replace(CONTROLS, '').replace(/</g, '‹').replace(/>/g, '›').trim();
}

/** One line, safe in a mail header or a title: no CR/LF or other control character survives. */
export function singleLine(text: string, max = 300): string {
  const line = toPlainText(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}

/** Cuts at a word boundary so that the result plus an ellipsis fits `max` UTF-16 units. */
export function truncateWords(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The public link of a story on a channel, from the channel's `link_template` (placeholders
 * `{story_id}`, `{language}`, `{uri}`); only http(s) results are used.
 */
export function storyLink(template: string | undefined, story: Pick<PublishableStory, 'storyId' | 'language' | 'uri'>): string | undefined {
  if (!template) return undefined;
  const url = template
    .replaceAll('{story_id}', encodeURIComponent(story.storyId))
    .replaceAll('{language}', encodeURIComponent(story.language))
    .replaceAll('{uri}', encodeURIComponent(story.uri));
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** `#CriticalMinerals` from a topic or entity name: letters and digits only, camel-cased. */
export function hashtag(name: string): string | undefined {
  const words = name.normalize('NFC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (words.length === 0) return undefined;
  const tag = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  // Mastodon refuses all-digit hashtags.
  return /^\p{N}+$/u.test(tag) ? undefined : `#${tag}`;
}

/** Hashtags from the story's topics, then entities, best first, without duplicates. */
export function storyHashtags(story: Pick<PublishableStory, 'tags'>, max: number): string[] {
  const names = [
    ...[...story.tags.topics].sort((a, b) => b.score - a.score).map((t) => t.name),
    ...[...story.tags.entities].sort((a, b) => b.confidence - a.confidence).map((e) => e.name),
  ];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    const tag = hashtag(name);
    if (!tag || seen.has(tag.toLowerCase())) continue;
    seen.add(tag.toLowerCase());
    out.push(tag);
    if (out.length >= max) break;
  }
  return out;
}
