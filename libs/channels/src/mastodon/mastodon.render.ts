/**
 * A story as a Mastodon status: plain text (the server escapes it; no markup is sent), the
 * headline, as much of the first paragraphs as fits, a link, and hashtags from the tags, within
 * the instance's character limit. Mastodon counts every URL as 23 characters whatever its length.
 */
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';

import { singleLine, storyHashtags, toPlainText, truncateWords } from '../text';

/** Mastodon's default `max_characters`; instances may raise it (config `max_chars`). */
export const MASTODON_DEFAULT_LIMIT = 500;
const URL_WEIGHT = 23;
const MAX_HASHTAGS = 4;

export interface MastodonRenderOptions {
  link?: string;
  limit?: number;
  correction?: boolean;
}

/** Length as Mastodon counts it: code points, with each URL counted as 23. */
export function mastodonLength(text: string): number {
  let n = 0;
  for (const part of text.split(/(https?:\/\/\S+)/)) n += /^https?:\/\//.test(part) ? URL_WEIGHT : [...part].length;
  return n;
}

export function renderMastodonStatus(story: PublishableStory, opts: MastodonRenderOptions = {}): string {
  const limit = opts.limit ?? MASTODON_DEFAULT_LIMIT;
  const headline = singleLine(`${opts.correction ? 'Corrected: ' : ''}${story.headline}`, 200);
  const tail = [opts.link ?? '', storyHashtags(story, MAX_HASHTAGS).join(' ')].filter(Boolean);
  const compose = (body: string) => [headline, body, ...tail].filter(Boolean).join('\n\n');
  const body = story.paragraphs.map(toPlainText).filter(Boolean).join('\n\n');
  if (mastodonLength(compose(body)) <= limit) return compose(body);
  // Shrink the body (then the hashtags) until it fits; bodies are plain text, so counting code
  // points of the body alone is exact.
  const room = limit - mastodonLength(compose(''));
  if (room > 40) return compose(truncateWords(body.replace(/\n\n/g, ' '), room - 2));
  tail.pop();
  return truncateWords([headline, ...tail].join('\n\n'), limit);
}

export function renderMastodonWithdrawal(notice: WithdrawalNotice): string {
  const lead = notice.pubStatus === 'canceled' ? 'Withdrawn' : 'Withheld';
  return truncateWords(`${lead}: ${toPlainText(notice.reason)}`, MASTODON_DEFAULT_LIMIT);
}
