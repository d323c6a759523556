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
  return neutraliseCdataEnd(sanitizeStable(html, STORY_HTML_OPTIONS));
}

/**
 * sanitize-html in a loop until its output is stable. One pass can emit markup that parses
 * differently the next time (`<p>` inside `<p>` from a dropped `<noscript>` wrapper, which an
 * HTML parser closes implicitly), so a receiver that sanitises again would see something other
 * than what we checked; a fixpoint (reached in two or three passes) makes the output idempotent.
 */
export function sanitizeStable(html: string, options: sanitizeHtml.IOptions): string {
  let out = sanitizeHtml(html, options);
  for (let i = 0; i < 4; i++) {
    const next = sanitizeHtml(out, options);
    if (next === out) return out;
    out = next;
  }
  return out;
}

/** Plain paragraphs to safe HTML. Blank paragraphs are dropped rather than rendered as `<p></p>`. */
export function paragraphsToHtml(paragraphs: readonly string[]): string {
  const html = paragraphs
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n');
  return sanitizeStoryHtml(html);
}
