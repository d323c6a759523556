/**
 * A story as one Telegram message in Bot API HTML (parse_mode HTML). Telegram accepts only a small
 * tag subset and rejects the whole message on anything else, so the message is built from escaped
 * text and then passed through an allowlist of exactly that subset.
 *
 * Long stories: one message per story, never a split. A story longer than the 4096-character
 * limit becomes a teaser (headline plus as many whole paragraphs as fit, the last one cut at a
 * word) with a link to the full text when the channel has a `link_template`. One message keeps a
 * correction a single edit and a kill a single delete, and the chat never shows half a story.
 */
import sanitizeHtml from 'sanitize-html';
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';

import { escapeHtml, sanitizeStable } from '../html';
import { stripControls, truncateWords } from '../text';

export const TELEGRAM_MESSAGE_LIMIT = 4096;
export const TELEGRAM_CAPTION_LIMIT = 1024;

/** https://core.telegram.org/bots/api#html-style */
export const TELEGRAM_HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'blockquote', 'tg-spoiler'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  allowVulnerableTags: false,
  // Telegram knows only &lt; &gt; &amp; &quot; and numeric entities; sanitize-html emits those.
};

export function sanitizeTelegramHtml(html: string): string {
  return sanitizeStable(html, TELEGRAM_HTML_OPTIONS);
}

export interface TelegramRenderOptions {
  link?: string;
  /** 4096 for a message, 1024 for a photo caption. */
  limit?: number;
  /** A correction of what the chat already shows. */
  correction?: boolean;
}

/** Message HTML for a story; never longer than `limit` (counted on the HTML, an upper bound of what Telegram counts). */
export function renderTelegramMessage(story: PublishableStory, opts: TelegramRenderOptions = {}): string {
  const limit = opts.limit ?? TELEGRAM_MESSAGE_LIMIT;
  const head = [
    opts.correction ? '<i>Corrected</i>' : '',
    `<b>${escapeHtml(truncateWords(stripControls(story.headline), 300))}</b>`,
    story.dateline ? `<i>${escapeHtml(stripControls(story.dateline))}</i>` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const footer = [
    story.machineTranslated ? '<i>Machine translation</i>' : '',
    opts.link ? `<a href="${escapeHtml(opts.link)}">Full story</a>` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const fixed = head.length + (footer ? footer.length + 2 : 0);
  const parts: string[] = [];
  let used = fixed;
  for (const raw of story.paragraphs) {
    const text = stripControls(raw);
    if (!text) continue;
    const html = escapeHtml(text);
    if (used + 2 + html.length <= limit) {
      parts.push(html);
      used += 2 + html.length;
      continue;
    }
    // The first paragraph that does not fit is cut at a word (escaping can only grow it, so cut
    // the text to the room left and shrink until its escaped form fits).
    let room = limit - used - 2;
    while (room > 20) {
      const cut = escapeHtml(truncateWords(text, room));
      if (cut.length <= limit - used - 2) {
        parts.push(cut);
        break;
      }
      room -= Math.max(1, cut.length - (limit - used - 2));
    }
    break;
  }
  const message = [head, ...parts, footer].filter(Boolean).join('\n\n');
  return sanitizeTelegramHtml(message.length <= limit ? message : head.slice(0, limit));
}

/** What replaces a killed story when the message itself can no longer be deleted (older than 48 h). */
export function renderTelegramWithdrawal(notice: WithdrawalNotice): string {
  const what = notice.pubStatus === 'canceled' ? 'This story has been withdrawn' : 'This story is withheld';
  return sanitizeTelegramHtml(`<b>${what}.</b>\n${escapeHtml(truncateWords(stripControls(notice.reason), 500))}`);
}
