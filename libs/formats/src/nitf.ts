/**
 * NITF 3.x -> canonical story: docdata (ids, urgency, dates, embargo, rights, classifiers) and
 * the body (hedline, byline, dateline, body.content with media blocks as associations). The body
 * reader is shared with NewsML-G2 and NewsML 1.x, which carry NITF inline.
 */
import { type Association, type CanonicalStory, type PubStatus, type Rights, type Subject, type Place, cleanByline, languageOf } from './canonical';
import { htmlToParagraphs, sanitizeBodyHtml, schemeFromUri, splitQcode } from './html';
import { type XmlNode, attr, kid, kids, textOf, toHtml } from './xml-safe';
import { type NitfBody, dedupeSubjects, descendants, embargoOf, expiryOf, finish, intVersion, timeOf, without } from './xml-story';

const NITF_TO_HTML: Record<string, string> = {
  'body.content': '',
  block: 'div',
  hl1: 'h1',
  hl2: 'h2',
  bq: 'blockquote',
  credit: 'p',
  'nitf-table': '',
  'body.head': '',
  'body.end': '',
  nitf: '',
  body: '',
  abstract: '',
};
/** Not text of the story: media blocks become associations, table metadata and notes are dropped. */
const NITF_NOT_TEXT = new Set(['media', 'nitf-table-metadata', 'note', 'fn']);


function nitfByline(head: XmlNode | undefined): string | undefined {
  // The whole line as written (person and title, `Jane Doe, AP Writer`), less the leading "By".
  const lines = kids(head, 'byline')
    .map((b) => cleanByline(textOf(b)))
    .filter(Boolean);
  return lines.length ? lines.join(', ') : undefined;
}

function nitfMedia(content: XmlNode | undefined): Association[] {
  return descendants(content, 'media').map((m) => {
    const refs = kids(m, 'media-reference');
    const best = refs.find((r) => attr(r, 'source') ?? attr(r, 'data')) ?? refs[0];
    return {
      role: 'media',
      type: attr(m, 'media-type'),
      href: attr(best, 'source') ?? attr(best, 'data'),
      mimetype: attr(best, 'mime-type'),
      headline: textOf(kid(m, 'media-caption')) || attr(best, 'alternate-text') || undefined,
    };
  });
}

export function nitfBody(nitf: XmlNode): NitfBody {
  const body = kid(nitf, 'body');
  const head = kid(body, 'body.head');
  const hed = kid(head, 'hedline');
  const content = kid(body, 'body.content');
  let html = content ? toHtml(without(content, NITF_NOT_TEXT), NITF_TO_HTML) : undefined;
  let paragraphs = html ? htmlToParagraphs(html) : [];
  // An abstract without body content is the text (previews, briefs).
  const abstract = kid(head, 'abstract');
  if (paragraphs.length === 0 && abstract) {
    html = toHtml(abstract, NITF_TO_HTML);
    paragraphs = htmlToParagraphs(html);
  }
  return {
    headline: textOf(kid(hed, 'hl1')) || undefined,
    subheadline: textOf(kid(hed, 'hl2')) || undefined,
    byline: nitfByline(head),
    dateline: textOf(kid(head, 'dateline')) || undefined,
    html: html ? sanitizeBodyHtml(html) : undefined,
    paragraphs,
    media: nitfMedia(content),
    lang: attr(nitf, 'lang') ?? attr(body, 'lang') ?? attr(content, 'lang') ?? attr(kid(nitf, 'head'), 'lang') ?? attr(nitf, 'baselang'),
  };
}

/** `<location><city>London</city><country>UK</country></location>` -> `London, UK`. */
function nitfLocation(l: XmlNode): string | undefined {
  const parts = kids(l).map((c) => textOf(c)).filter(Boolean);
  return (parts.length ? parts.join(', ') : textOf(l)) || undefined;
}

export const NITF_STATUS: Record<string, PubStatus> = { usable: 'usable', withheld: 'withheld', canceled: 'canceled', cancelled: 'canceled' };

export function parseNitf(nitf: XmlNode): CanonicalStory {
  const warnings: string[] = [];
  const head = kid(nitf, 'head');
  const docdata = kid(head, 'docdata');
  const b = nitfBody(nitf);
  const id = attr(kid(docdata, 'doc-id'), 'id-string') ?? attr(nitf, 'uno') ?? attr(kid(docdata, 'du-key'), 'key');
  const subjects: Subject[] = [];
  // tobject belongs to head (NITF DTD); some producers put it in docdata.
  for (const t of [...kids(head, 'tobject'), ...kids(docdata, 'tobject')]) {
    for (const s of kids(t, 'tobject.subject')) {
      const code = attr(s, 'tobject.subject.refnum') ?? attr(s, 'tobject.subject.code');
      if (code) {
        subjects.push({
          scheme: 'subj',
          code: code.replace(/^[A-Za-z]+:/, ''),
          name: attr(s, 'tobject.subject.detail') ?? attr(s, 'tobject.subject.matter') ?? attr(s, 'tobject.subject.type'),
        });
      }
    }
  }
  const identified = kid(docdata, 'identified-content');
  for (const c of kids(identified, 'classifier')) {
    const value = attr(c, 'value') ?? attr(c, 'id-string') ?? textOf(c);
    if (!value) continue;
    const q = /^https?:/i.test(value) ? { ...schemeFromUri(value), uri: value } : splitQcode(value);
    subjects.push({ ...q, scheme: q.scheme ?? attr(c, 'type'), name: textOf(c) || undefined });
  }
  const places: Place[] = kids(identified, 'location').map((l) => ({ name: nitfLocation(l), code: attr(l, 'location-code') }));
  for (const k of kids(kid(docdata, 'key-list'), 'keyword')) {
    const key = attr(k, 'key') ?? (textOf(k) || undefined);
    if (key) subjects.push({ scheme: 'keyword', name: key });
  }
  const urgency = Number(attr(kid(docdata, 'urgency'), 'ed-urg'));
  const copyright = kid(docdata, 'doc.copyright');
  const docRights = kid(docdata, 'doc.rights');
  const holder = attr(copyright, 'holder') ?? attr(docRights, 'owner');
  const rights: Rights = {
    copyrightHolder: holder,
    copyrightNotice: attr(copyright, 'year') ? `© ${attr(copyright, 'year')} ${holder ?? ''}`.trim() : undefined,
    usageTerms: attr(docRights, 'limitations'),
  };
  const status = (attr(docdata, 'management-status') ?? '').toLowerCase();
  const releaseEl = kid(docdata, 'date.release');
  const release = releaseEl ? (attr(releaseEl, 'norm') ?? '') : status === 'embargoed' ? '' : undefined;
  const emb = embargoOf(release, warnings, 'date.release');
  const v = intVersion(attr(kid(docdata, 'du-key'), 'version'));
  const issue = attr(kid(docdata, 'date.issue'), 'norm') ?? attr(kid(head, 'pubdata'), 'date.publication');
  const nitfVersion = /NITF\s*(\d+(?:\.\d+)*)/i.exec(attr(nitf, 'version') ?? '')?.[1] ?? attr(nitf, 'version') ?? attr(nitf, 'change.version');
  const edMsg = kids(docdata, 'ed-msg').map((m) => attr(m, 'info') ?? textOf(m)).filter(Boolean).join(' ');
  return finish(
    {
      format: 'nitf',
      externalId: id,
      version: v.version,
      versionLabel: v.label,
      versionCreated: timeOf(issue, warnings, 'date.issue'),
      pubStatus: NITF_STATUS[status],
      itemType: 'text',
      headline: b.headline ?? (textOf(kid(head, 'title')) || undefined),
      subheadline: b.subheadline,
      byline: b.byline,
      dateline: b.dateline,
      paragraphs: b.paragraphs,
      bodyHtml: b.html,
      language: languageOf(b.lang),
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects: dedupeSubjects(subjects),
      places,
      embargo: emb.embargo,
      embargoUnreadable: emb.unreadable,
      expires: expiryOf(attr(kid(docdata, 'date.expire'), 'norm'), warnings, 'date.expire'),
      rights: Object.values(rights).some(Boolean) ? rights : undefined,
      associations: b.media,
      editorNote: edMsg || undefined,
      formatVersion: nitfVersion,
      warnings,
    },
    '/nitf',
    '/nitf/body/body.head/hedline/hl1',
    '/nitf/body/body.content',
  );
}
