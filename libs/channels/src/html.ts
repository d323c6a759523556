/**
 * HTML for channels that republish story bodies (reliability plan §3.2): the stored text is never
 * trusted, so every HTML body is escaped from plain paragraphs and then passed through one
 * allowlist, at output, per channel.
 */
import sanitizeHtml from 'sanitize-html';

/** Web/feed/webhook allowlist. Anything outside it is dropped, including script/style contents. */
export const STORY_HTML_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'b', 'i', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'blockquote'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  allowVulnerableTags: false,
};

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // Numeric rather than &apos;, which HTML 4 era feed readers show literally.
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * `]]>` would close the CDATA section feeds wrap bodies in, and xml-js splits only the first one;
 * `]]&gt;` means the same in HTML. sanitize-html escapes `>` today, so this keeps the guarantee
 * from depending on that.
 */
export function neutraliseCdataEnd(html: string): string {
  return html.replaceAll(']]>', ']]&gt;');
}

export function sanitizeStoryHtml(html: string): string {
  return neutraliseCdataEnd(sanitizeHtml(html, STORY_HTML_OPTIONS));
}

/** Plain paragraphs to safe HTML. Blank paragraphs are dropped rather than rendered as `<p></p>`. */
export function paragraphsToHtml(paragraphs: readonly string[]): string {
  const html = paragraphs
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
  return sanitizeStoryHtml(html);
}
