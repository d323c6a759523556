/**
 * A story as an email: a multipart/alternative message with a text part and an HTML part. The
 * HTML goes through its own allowlist (what mail clients render safely: no images, so no tracking
 * or `data:` URLs, no styles); the subject is one line, so no CR/LF from a headline can inject a
 * header. Corrections and withdrawals are follow-up mails, threaded by the transport.
 */
import sanitizeHtml from 'sanitize-html';
import type { PublishableStory, WithdrawalNotice } from '@syndication/contracts';

import { escapeHtml, sanitizeStable } from '../html';
import { singleLine, stripControls, toPlainText } from '../text';

export const EMAIL_HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['html', 'head', 'meta', 'title', 'body', 'h1', 'p', 'b', 'i', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'blockquote', 'hr', 'br', 'small'],
  allowedAttributes: { a: ['href'], meta: ['charset'], html: ['lang'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  allowVulnerableTags: false,
};

export function sanitizeEmailHtml(html: string): string {
  return sanitizeStable(html, EMAIL_HTML_OPTIONS);
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailRenderOptions {
  link?: string;
  correction?: boolean;
  unsubscribeUrl?: string;
}

export function renderEmail(story: PublishableStory, opts: EmailRenderOptions = {}): RenderedEmail {
  const headline = singleLine(story.headline);
  const subject = singleLine(`${opts.correction ? 'Correction: ' : ''}${headline}`, 250);
  const paragraphs = story.paragraphs.map(toPlainText).filter(Boolean);
  const htmlParagraphs = story.paragraphs.map(stripControls).filter(Boolean);
  const notes = [story.machineTranslated ? 'Machine translation.' : '', opts.correction ? 'This is a corrected version of an earlier story.' : ''].filter(Boolean);
  const text = [
    headline,
    story.dateline ? toPlainText(story.dateline) : '',
    ...notes,
    ...paragraphs,
    opts.link ? `Full story: ${opts.link}` : '',
    opts.unsubscribeUrl ? `Unsubscribe: ${opts.unsubscribeUrl}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const html = sanitizeEmailHtml(
    [
      `<html lang="${escapeHtml(story.language)}"><head><meta charset="utf-8"><title>${escapeHtml(headline)}</title></head><body>`,
      `<h1>${escapeHtml(headline)}</h1>`,
      story.dateline ? `<p><i>${escapeHtml(stripControls(story.dateline))}</i></p>` : '',
      ...notes.map((n) => `<p><small>${escapeHtml(n)}</small></p>`),
      ...htmlParagraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
      opts.link ? `<p><a href="${escapeHtml(opts.link)}">Full story</a></p>` : '',
      opts.unsubscribeUrl ? `<hr><p><small><a href="${escapeHtml(opts.unsubscribeUrl)}">Unsubscribe</a></small></p>` : '',
      '</body></html>',
    ].join('\n'),
  );
  return { subject, text, html };
}

export function renderWithdrawalEmail(notice: WithdrawalNotice, headline: string | undefined): RenderedEmail {
  const verb = notice.pubStatus === 'canceled' ? 'Withdrawn' : 'Withheld';
  const subject = singleLine(`${verb}: ${headline ?? notice.uri}`, 250);
  const reason = toPlainText(notice.reason);
  const lead = notice.pubStatus === 'canceled' ? 'This story has been withdrawn. Do not use it.' : 'This story is withheld until further notice. Do not use it.';
  return {
    subject,
    text: `${lead}\n\nReason: ${reason}\n\nStory: ${notice.uri}`,
    html: sanitizeEmailHtml(`<html><body><p><b>${escapeHtml(lead)}</b></p><p>Reason: ${escapeHtml(reason)}</p><p>Story: ${escapeHtml(notice.uri)}</p></body></html>`),
  };
}
