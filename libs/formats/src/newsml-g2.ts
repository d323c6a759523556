/**
 * NewsML-G2 2.x -> canonical stories: newsItem and packageItem (itemMeta, contentMeta,
 * rightsInfo, contentSet alternatives ranked inline NITF > inline XHTML > inline HTML data >
 * inline text > remote references) and newsMessage (the items of one or more itemSets).
 */
import { type Association, type CanonicalStory, type PubStatus, type Rights, type Subject, type Place, LIMITS, cleanByline, languageOf } from './canonical';
import { paragraphsToHtml, schemeFromUri, splitQcode, textToParagraphs } from './html';
import { NITF_STATUS, nitfBody } from './nitf';
import { type XmlNode, attr, kid, kids, textOf, toHtml } from './xml-safe';
import { type ItemsParsed, type Rendition, bodyFromHtml, dedupeSubjects, descendants, eachItem, embargoOf, expiryOf, finish, intVersion, pickLang, reject, timeOf } from './xml-story';

function g2Name(n: XmlNode, lang?: string): string | undefined {
  const best = pickLang(kids(n, 'name'), lang);
  return best ? textOf(best) || undefined : undefined;
}

/** A G2 concept reference: `qcode` (scheme alias + code), else a `uri` (known IPTC vocabularies mapped), else a `literal`. */
function qcodeParts(n: XmlNode): { scheme?: string; code?: string; uri?: string } {
  const qcode = attr(n, 'qcode');
  const uri = attr(n, 'uri');
  if (qcode) return { ...splitQcode(qcode), uri };
  if (uri) return { ...schemeFromUri(uri), uri };
  const literal = attr(n, 'literal');
  return literal ? { code: literal } : {};
}

/** The code of a QCode (`stat:usable`) or the last segment of a URI (`.../pubstatusg2/usable`). */
function conceptCode(n: XmlNode | undefined): string | undefined {
  const q = attr(n, 'qcode');
  if (q) return q.slice(q.indexOf(':') + 1);
  const uri = attr(n, 'uri');
  return uri ? uri.replace(/[/#]+$/, '').split(/[/#]/).pop() : undefined;
}

function pubStatusOf(n: XmlNode | undefined): PubStatus | undefined {
  const code = conceptCode(n)?.toLowerCase();
  return code ? NITF_STATUS[code] : undefined;
}


/** One contentSet alternative as text, with its rank (lower is better), or undefined when it holds no text. */
function g2Rendition(c: XmlNode, cx: string): Rendition | undefined {
  const ct = (attr(c, 'contenttype') ?? '').toLowerCase();
  const ownLang = attr(c, 'lang');
  if (c.name === 'inlineXML') {
    const roots = kids(c);
    const root = roots[0];
    if (!root) return undefined;
    if (root.name === 'nitf' || ct.includes('nitf')) {
      const nb = nitfBody(root.name === 'nitf' ? root : { name: 'nitf', attrs: {}, children: [{ name: 'body', attrs: {}, children: [{ name: 'body.content', attrs: {}, children: c.children }] }] });
      return nb.paragraphs.length || nb.headline ? { rank: 0, html: nb.html, paragraphs: nb.paragraphs, nitf: nb, lang: ownLang ?? nb.lang, xpath: cx } : undefined;
    }
    // One root per the schema; lax producers send several block elements: all of them are the text.
    const html = roots.length > 1 ? c.children.map((x) => (typeof x === 'string' ? '' : toHtml(x, { html: '', body: '', head: '' }))).join('') : toHtml(root.name === 'html' ? kid(root, 'body') ?? root : root, { html: '', body: '', head: '' });
    const b = bodyFromHtml(html);
    const isHtml = /html/.test(ct) || ['html', 'body', 'div', 'p', 'article', 'section'].includes(root.name);
    return b.paragraphs.length ? { rank: isHtml ? 1 : 4, ...b, lang: ownLang ?? attr(root, 'lang'), xpath: cx } : undefined;
  }
  if (c.name === 'inlineData') {
    let raw = c.children.filter((x): x is string => typeof x === 'string').join('');
    const enc = (attr(c, 'encoding') ?? attr(c, 'encodinguri') ?? '').toLowerCase();
    if (enc.includes('base64')) {
      raw = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
    } else if (enc && !/^(enc:)?(none|identity|text)$/.test(enc)) {
      return undefined;
    }
    if (/html/.test(ct)) {
      const b = bodyFromHtml(raw);
      return b.paragraphs.length ? { rank: 2, ...b, lang: ownLang, xpath: cx } : undefined;
    }
    if (!ct || ct.startsWith('text/')) {
      const paragraphs = textToParagraphs(raw);
      return paragraphs.length ? { rank: 3, html: paragraphsToHtml(paragraphs), paragraphs, lang: ownLang, xpath: cx } : undefined;
    }
  }
  return undefined;
}

/**
 * The text of a G2 contentSet: the best-ranked inline alternative (NITF, then XHTML, then HTML
 * data, then plain text; document order breaks ties); remote renditions are linked, never fetched.
 */
function g2Content(set: XmlNode | undefined, xpath: string): { rendition?: Rendition; remote: Association[]; bodyXpath: string } {
  const remote: Association[] = kids(set, 'remoteContent').map((r) => ({
    role: attr(r, 'rendition') ?? 'rendition',
    href: attr(r, 'href'),
    uri: attr(r, 'residref'),
    mimetype: attr(r, 'contenttype'),
  }));
  let best: Rendition | undefined;
  for (const c of kids(set)) {
    const cx = `${xpath}/contentSet/${c.name}[${kids(set, c.name).indexOf(c) + 1}]`;
    const r = g2Rendition(c, cx);
    if (r && (!best || r.rank < best.rank)) best = r;
  }
  return { rendition: best, remote, bodyXpath: best?.xpath ?? `${xpath}/contentSet` };
}

function g2Rights(item: XmlNode, language: string | undefined): Rights | undefined {
  const infos = kids(item, 'rightsInfo');
  if (infos.length === 0) return undefined;
  const info = infos.find((r) => language && languageOf(attr(r, 'lang')) === language) ?? infos[0]!;
  const holder = kid(info, 'copyrightHolder');
  const rights: Rights = {
    copyrightHolder: holder ? g2Name(holder, language) ?? attr(holder, 'literal') ?? attr(holder, 'qcode') ?? attr(holder, 'uri') : undefined,
    copyrightNotice: textOf(pickLang(kids(info, 'copyrightNotice'), language)) || attr(kid(info, 'copyrightNotice'), 'href'),
    usageTerms: textOf(pickLang(kids(info, 'usageTerms'), language)) || attr(kid(info, 'usageTerms'), 'href'),
  };
  return Object.values(rights).some(Boolean) ? rights : undefined;
}

function g2Subjects(contentMeta: XmlNode | undefined, language: string | undefined): { subjects: Subject[]; places: Place[] } {
  const subjects: Subject[] = [];
  const places: Place[] = [];
  for (const s of kids(contentMeta, 'subject')) {
    const q = qcodeParts(s);
    const name = g2Name(s, language);
    if (/geoArea|poi/i.test(attr(s, 'type') ?? '')) places.push({ name, code: attr(s, 'qcode') ?? attr(s, 'literal'), uri: q.uri });
    subjects.push({ scheme: q.scheme, code: q.code, name, uri: q.uri });
    // sameAs gives the same concept in another scheme (a provider code mapped to medtop): routing reads it.
    for (const same of kids(s, 'sameAs')) {
      const sq = qcodeParts(same);
      if (sq.code || sq.uri) subjects.push({ scheme: sq.scheme, code: sq.code, name: g2Name(same, language) ?? name, uri: sq.uri });
    }
  }
  for (const k of kids(contentMeta, 'keyword')) {
    const t = textOf(k);
    if (t) subjects.push({ scheme: 'keyword', name: t });
  }
  return { subjects: dedupeSubjects(subjects), places };
}

export function parseG2Item(item: XmlNode, xpath: string): CanonicalStory {
  if (item.name !== 'newsItem' && item.name !== 'packageItem') {
    reject('unsupported_item_kind', xpath, `${item.name} is not supported: send newsItem or packageItem (conceptItem, planningItem and knowledgeItem carry no story)`);
  }
  const warnings: string[] = [];
  const guid = attr(item, 'guid');
  if (!guid) reject('schema_violation', `${xpath}/@guid`, `${item.name} must have a guid`);
  const itemMeta = kid(item, 'itemMeta');
  if (!itemMeta) reject('schema_violation', `${xpath}/itemMeta`, `${item.name} must have itemMeta (NewsML-G2 requires it)`);
  const contentMeta = kid(item, 'contentMeta');
  const contentSet = kid(item, 'contentSet');
  const headlines = kids(contentMeta, 'headline');
  // xml:lang is inherited: contentMeta/language first, then the item, contentMeta, headline, content.
  const declaredLang =
    attr(kid(contentMeta, 'language'), 'tag') ?? attr(item, 'lang') ?? attr(contentMeta, 'lang') ?? attr(headlines[0], 'lang') ?? attr(contentSet, 'lang');
  let language = languageOf(declaredLang);
  const v = intVersion(attr(item, 'version'));
  const isSub = (h: XmlNode) => /sub|hl2|deck|strap|kicker/i.test(attr(h, 'role') ?? '');
  const isMain = (h: XmlNode) => !attr(h, 'role') || /main|hl1|headline$/i.test(attr(h, 'role')!);
  const mains = headlines.filter(isMain);
  const mainHeadline = pickLang(mains.length ? mains : headlines.filter((h) => !isSub(h)), language) ?? headlines[0];
  const subHeadline = pickLang(headlines.filter((h) => h !== mainHeadline && isSub(h)), language);

  const { subjects, places } = g2Subjects(contentMeta, language);
  const located = kid(contentMeta, 'located');
  const locatedName = located ? g2Name(located, language) ?? attr(located, 'literal') : undefined;
  if (located) places.unshift({ name: locatedName, code: attr(located, 'qcode'), uri: attr(located, 'uri') });

  const pubStatusEl = kid(itemMeta, 'pubStatus');
  const pubStatus = pubStatusOf(pubStatusEl);
  if (pubStatusEl && !pubStatus) warnings.push(`pubStatus ${attr(pubStatusEl, 'qcode') ?? attr(pubStatusEl, 'uri') ?? ''} is not usable/withheld/canceled; ignored`);
  const embargoEl = kid(itemMeta, 'embargoed');
  const emb = embargoOf(embargoEl ? textOf(embargoEl) : undefined, warnings, 'embargoed');
  const links: Association[] = kids(itemMeta, 'link').map((l) => ({
    role: attr(l, 'rel') ?? attr(l, 'reluri'),
    uri: attr(l, 'residref'),
    href: attr(l, 'href'),
    mimetype: attr(l, 'contenttype'),
    headline: attr(l, 'title') ?? (textOf(kid(l, 'title')) || undefined),
  }));
  const signals = kids(itemMeta, 'signal').map((s) => attr(s, 'qcode') ?? attr(s, 'uri')).filter((s): s is string => !!s);
  const edNote = kids(itemMeta, 'edNote').map((e) => textOf(e)).filter(Boolean).join(' ');

  const content = g2Content(contentSet, xpath);
  let rendition = content.rendition;
  if (!language && rendition?.lang) language = languageOf(rendition.lang);
  const descriptions = kids(contentMeta, 'description');
  let associations = [...links, ...content.remote];
  let bodyXpath = content.bodyXpath;
  if (item.name === 'packageItem') {
    // A package links stories; it is stored as a text-less item whose associations are its refs.
    const refs: Association[] = descendants(kid(item, 'groupSet') ?? item, 'itemRef').map((c) => ({
      role: 'package-member',
      uri: attr(c, 'residref'),
      href: attr(c, 'href'),
      mimetype: attr(c, 'contenttype'),
      type: conceptCode(kid(c, 'itemClass')),
      headline: textOf(kid(c, 'title')) || textOf(kid(c, 'headline')) || undefined,
    }));
    associations = [...associations, ...refs];
    rendition = undefined;
  } else if (!rendition?.paragraphs.length && descriptions.length) {
    // Pictures, video and graphics: the caption/summary is the text.
    const d = descriptions.find((x) => /caption|summary|abstract/i.test(attr(x, 'role') ?? '') && textOf(x)) ?? pickLang(descriptions, language);
    if (d) {
      const paragraphs = textToParagraphs(d.children.filter((x): x is string => typeof x === 'string').join('') || textOf(d));
      rendition = { rank: 5, paragraphs, html: paragraphsToHtml(paragraphs), nitf: rendition?.nitf, xpath: `${xpath}/contentMeta/description[${descriptions.indexOf(d) + 1}]` };
      bodyXpath = rendition.xpath;
    }
  }
  if (item.name === 'newsItem' && !rendition?.paragraphs.length && content.remote.length) {
    warnings.push('the content is only by reference (remoteContent); it is linked, not fetched');
  }
  const nitf = rendition?.nitf;
  const creators = kids(contentMeta, 'creator').map((c) => g2Name(c, language) ?? attr(c, 'literal')).filter((n): n is string => !!n);
  const by = kids(contentMeta, 'by').map((b) => cleanByline(textOf(b))).filter(Boolean).join(', ');
  const urgency = Number(textOf(kid(contentMeta, 'urgency')));
  const title = textOf(pickLang(kids(itemMeta, 'title'), language));
  const headlineText = (mainHeadline ? textOf(mainHeadline) : '') || nitf?.headline || title;
  const expires = kids(itemMeta, 'expires').map((e) => expiryOf(textOf(e), warnings, 'expires')).find(Boolean);
  return finish(
    {
      format: 'newsml-g2',
      externalId: guid,
      version: v.version,
      versionLabel: v.label,
      versionCreated: timeOf(textOf(kid(itemMeta, 'versionCreated')), warnings, 'versionCreated'),
      firstCreated: timeOf(textOf(kid(itemMeta, 'firstCreated')), warnings, 'firstCreated'),
      pubStatus,
      itemType: conceptCode(kid(itemMeta, 'itemClass')) ?? (item.name === 'packageItem' ? 'composite' : undefined),
      headline: headlineText,
      subheadline: (subHeadline ? textOf(subHeadline) : undefined) || nitf?.subheadline,
      byline: by || nitf?.byline || (creators.length ? creators.join(', ') : undefined),
      dateline: textOf(pickLang(kids(contentMeta, 'dateline'), language)) || nitf?.dateline || locatedName,
      paragraphs: rendition?.paragraphs ?? [],
      bodyHtml: rendition?.html,
      language,
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects,
      places,
      embargo: emb.embargo,
      embargoUnreadable: emb.unreadable,
      expires,
      rights: g2Rights(item, language),
      associations: [...associations, ...(nitf?.media ?? [])],
      signals,
      editorNote: edNote || undefined,
      formatVersion: attr(item, 'standardversion'),
      warnings,
    },
    xpath,
    mainHeadline ? `${xpath}/contentMeta/headline` : `${bodyXpath}`,
    bodyXpath,
  );
}

const G2_ITEMS = new Set(['newsItem', 'packageItem', 'conceptItem', 'planningItem', 'knowledgeItem', 'catalogItem']);

export function parseNewsMessage(msg: XmlNode, lenient: boolean): ItemsParsed {
  const sets = kids(msg, 'itemSet');
  if (sets.length === 0) reject('schema_violation', '/newsMessage/itemSet', 'a newsMessage must have an itemSet');
  // Every item of every itemSet, with its XPath; items keep their document position for lenient results.
  const all: Array<{ item: XmlNode; xpath: string }> = [];
  sets.forEach((set, si) => {
    const setPath = sets.length > 1 ? `/newsMessage/itemSet[${si + 1}]` : '/newsMessage/itemSet';
    const counters: Record<string, number> = {};
    for (const item of kids(set).filter((c) => G2_ITEMS.has(c.name))) {
      if (all.length >= LIMITS.items) reject('too_many_items', setPath, `max ${LIMITS.items} items per message`);
      counters[item.name] = (counters[item.name] ?? 0) + 1;
      all.push({ item, xpath: `${setPath}/${item.name}[${counters[item.name]}]` });
    }
  });
  if (all.length === 0) reject('missing_field', '/newsMessage/itemSet', 'the news message carries no items');
  const skipped: string[] = [];
  const parsed = eachItem(all, lenient, ({ item, xpath }) => {
    if (item.name !== 'newsItem' && item.name !== 'packageItem') {
      skipped.push(`${xpath}: ${item.name} is not supported and was skipped`);
      return undefined;
    }
    return parseG2Item(item, xpath);
  });
  const { stories } = parsed;
  if (stories.length === 0 && parsed.rejected.length === 0) {
    reject('unsupported_item_kind', '/newsMessage/itemSet', `no newsItem or packageItem in the message (${skipped.length} unsupported items)`);
  }
  if (skipped.length && stories.length) stories[0] = { ...stories[0]!, warnings: [...(stories[0]!.warnings ?? []), ...skipped] };
  return parsed;
}
