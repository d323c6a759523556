/**
 * NewsML 1.0-1.2 (IPTC, 2000-2003) -> canonical stories: NewsML > NewsEnvelope? > NewsItem+, one
 * story per NewsItem.
 */
import { type Association, type CanonicalStory, type PubStatus, type Rights, type Subject, type Place, LIMITS, cleanByline, languageOf } from './canonical';
import { paragraphsToHtml, textToParagraphs } from './html';
import { nitfBody } from './nitf';
import { type XmlNode, attr, kid, kids, textOf, toHtml } from './xml-safe';
import { type ItemsParsed, type Rendition, bodyFromHtml, dedupeSubjects, eachItem, embargoOf, finish, intVersion, reject, timeOf } from './xml-story';

/*
 * NewsML 1.0-1.2 (IPTC, 2000-2003): NewsML > NewsEnvelope? > NewsItem+, one story per NewsItem.
 * A NewsItem's content is a NewsComponent tree; the story's text is one inline ContentItem
 * (NITF, XHTML or plain text in DataContent) chosen by the component's Role, its lines come from
 * NewsLines, and components holding referenced files (ContentItem Href) are its associations.
 */

function formal(n: XmlNode | undefined): string | undefined {
  return attr(n, 'FormalName');
}

const N1_STATUS: Record<string, PubStatus> = { usable: 'usable', embargoed: 'usable', canceled: 'canceled', cancelled: 'canceled', withheld: 'withheld' };
/** Roles whose text is the story itself, best first; other text components (contacts, captions, stylesheets) are not the body. */
const N1_BODY_ROLES = ['main', 'body', 'main text', 'maintext', 'text', 'story', 'article'];
const N1_NOT_BODY_ROLES = new Set(['headline', 'subheadline', 'contact', 'stylesheet', 'caption', 'byline', 'dateline', 'logo', 'slugline', 'keywordline', 'abstract', 'summary', 'note', 'editorialnote']);
const N1_MEDIA_TYPES: Record<string, string> = { photo: 'picture', picture: 'picture', image: 'picture', graphic: 'graphic', video: 'video', audio: 'audio', text: 'text' };

interface N1Component {
  node: XmlNode;
  xpath: string;
  role?: string;
  depth: number;
}

/** Every NewsComponent under the item, breadth first (the story's own lines sit above captions of its pictures). */
function n1Components(item: XmlNode, itemXpath: string): N1Component[] {
  const out: N1Component[] = [];
  const queue: N1Component[] = kids(item, 'NewsComponent').map((c, i, all) => ({ node: c, xpath: `${itemXpath}/NewsComponent${all.length > 1 ? `[${i + 1}]` : ''}`, role: formal(kid(c, 'Role')), depth: 0 }));
  while (queue.length) {
    const c = queue.shift()!;
    out.push(c);
    const subs = kids(c.node, 'NewsComponent');
    subs.forEach((s, i) => queue.push({ node: s, xpath: `${c.xpath}/NewsComponent${subs.length > 1 ? `[${i + 1}]` : ''}`, role: formal(kid(s, 'Role')), depth: c.depth + 1 }));
  }
  return out;
}

/** The DataContent of a ContentItem, directly or inside Encoding (NewsML 1.x allows both). */
function n1DataContent(ci: XmlNode): { data?: XmlNode; notation?: string } {
  const direct = kid(ci, 'DataContent');
  if (direct) return { data: direct };
  const enc = kid(ci, 'Encoding');
  return { data: kid(enc, 'DataContent'), notation: attr(enc, 'Notation') };
}

/** An inline ContentItem as text, or undefined when it holds none (a remote file, CSS, binary data). */
function n1Text(ci: XmlNode, xpath: string, warnings: string[]): Rendition | undefined {
  if (attr(ci, 'Href')) return undefined;
  const media = formal(kid(ci, 'MediaType'))?.toLowerCase();
  if (media && media !== 'text') return undefined;
  const mime = (formal(kid(ci, 'MimeType')) ?? '').toLowerCase();
  const format = (formal(kid(ci, 'Format')) ?? '').toLowerCase();
  if (/css|javascript|json/.test(mime) || format === 'css') return undefined;
  const { data, notation } = n1DataContent(ci);
  if (!data) return undefined;
  const dataXpath = `${xpath}/${notation === undefined ? '' : 'Encoding/'}DataContent`;
  const root = kids(data)[0];
  if (root?.name === 'nitf') {
    const nb = nitfBody(root);
    return nb.paragraphs.length || nb.headline ? { rank: 0, html: nb.html, paragraphs: nb.paragraphs, nitf: nb, lang: nb.lang, xpath: dataXpath } : undefined;
  }
  if (root) {
    const html = kids(data).length > 1 ? kids(data).map((x) => toHtml(x, { html: '', body: '', head: '' })).join('') : toHtml(root.name === 'html' ? kid(root, 'body') ?? root : root, { html: '', body: '', head: '' });
    const b = bodyFromHtml(html);
    return b.paragraphs.length ? { rank: 1, ...b, lang: attr(root, 'lang'), xpath: dataXpath } : undefined;
  }
  let raw = data.children.filter((x): x is string => typeof x === 'string').join('');
  if (notation && /base64/i.test(notation)) raw = Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  else if (notation && !/^(none|identity|text)$/i.test(notation)) {
    warnings.push(`${dataXpath}: encoding ${notation.slice(0, 30)} is not supported; the content was skipped`);
    return undefined;
  }
  if (/html/.test(mime) || format.includes('html')) {
    const b = bodyFromHtml(raw);
    return b.paragraphs.length ? { rank: 2, ...b, xpath: dataXpath } : undefined;
  }
  const paragraphs = textToParagraphs(raw);
  return paragraphs.length ? { rank: 3, html: paragraphsToHtml(paragraphs), paragraphs, xpath: dataXpath } : undefined;
}

/** `ImageUse` and other ContentItem characteristics (`Property FormalName=... Value=...`). */
function n1Characteristic(ci: XmlNode, name: string): string | undefined {
  return attr(kids(kid(ci, 'Characteristics'), 'Property').find((p) => formal(p)?.toLowerCase() === name.toLowerCase()), 'Value');
}

/** A component of referenced files as one association: the rendition for viewing when there are several. */
function n1Association(c: N1Component): Association | undefined {
  // Text by reference is not an attachment: it would be the story, and nothing is fetched at intake.
  const refs = kids(c.node, 'ContentItem').filter((ci) => attr(ci, 'Href') && formal(kid(ci, 'MediaType'))?.toLowerCase() !== 'text');
  if (refs.length === 0) return undefined;
  const role = c.role?.toLowerCase();
  const declared = formal(kid(refs[0], 'MediaType'))?.toLowerCase();
  const mimeOf = (ci: XmlNode) => formal(kid(ci, 'MimeType'))?.toLowerCase();
  const type =
    (declared && N1_MEDIA_TYPES[declared]) ??
    (role === 'logo' ? 'graphic' : role && N1_MEDIA_TYPES[role]) ??
    (mimeOf(refs[0]!)?.startsWith('image/') ? 'picture' : mimeOf(refs[0]!)?.split('/')[0]);
  const family = type === 'picture' || type === 'graphic' ? 'image/' : type ? `${type}/` : '';
  const ofType = refs.filter((ci) => !family || (mimeOf(ci) ?? '').startsWith(family) || (declared !== undefined && formal(kid(ci, 'MediaType'))?.toLowerCase() === declared));
  const pool = ofType.length ? ofType : refs;
  // The screen-size picture (Business Wire's ImageUse=Viewimage), else the most widely playable video.
  const best = pool.find((ci) => /^view/i.test(n1Characteristic(ci, 'ImageUse') ?? '')) ?? pool.find((ci) => mimeOf(ci) === 'video/mp4') ?? pool[0]!;
  return {
    role: role ?? 'media',
    type,
    href: attr(best, 'Href'),
    mimetype: mimeOf(best),
    headline: textOf(kid(c.node, 'NewsLines', 'HeadLine')) || undefined,
  };
}

function n1Line(comps: N1Component[], name: string): string | undefined {
  for (const c of comps) {
    const t = kids(kid(c.node, 'NewsLines'), name).map((l) => textOf(l)).filter(Boolean);
    if (t.length) return t.join(name === 'KeywordLine' ? ', ' : ' ');
  }
  return undefined;
}

function n1Subjects(comps: N1Component[]): Subject[] {
  const out: Subject[] = [];
  for (const c of comps) {
    const dm = kid(c.node, 'DescriptiveMetadata');
    for (const sc of kids(dm, 'SubjectCode')) {
      for (const s of kids(sc).filter((x) => x.name === 'Subject' || x.name === 'SubjectMatter' || x.name === 'SubjectDetail')) {
        const code = formal(s);
        if (!code) continue;
        const scheme = attr(s, 'Scheme');
        // IPTC Subject Codes are 8 digits whatever the catalog alias; other schemes keep their name.
        out.push(/^\d{8}$/.test(code) && (!scheme || /iptc|subject/i.test(scheme)) ? { scheme: 'subj', code } : { scheme: scheme ?? 'newsml', code });
      }
    }
    for (const g of kids(dm, 'Genre')) if (formal(g)) out.push({ scheme: 'genre', name: formal(g) });
    for (const k of kids(kid(c.node, 'NewsLines'), 'KeywordLine')) if (textOf(k)) out.push({ scheme: 'keyword', name: textOf(k) });
    // Provider keyword lists (Business Wire's BWKeywords) as Metadata properties.
    for (const m of kids(c.node, 'Metadata')) {
      if (!/keyword/i.test(formal(kid(m, 'MetadataType')) ?? '')) continue;
      for (const p of kids(m, 'Property')) if (attr(p, 'Value')) out.push({ scheme: 'keyword', name: attr(p, 'Value') });
    }
  }
  return dedupeSubjects(out);
}

function n1Places(comps: N1Component[]): Place[] {
  const out: Place[] = [];
  for (const c of comps) {
    for (const l of kids(kid(c.node, 'DescriptiveMetadata'), 'Location')) {
      const props = kids(l, 'Property');
      const by = (re: RegExp) => props.filter((p) => re.test(formal(p) ?? '')).map((p) => attr(p, 'Value')).filter(Boolean);
      const parts = [...by(/^city$/i), ...by(/^(countryarea|region|state)$/i), ...by(/^country$/i)];
      const name = (parts.length ? parts : props.map((p) => attr(p, 'Value')).filter(Boolean)).join(', ') || formal(l);
      if (name) out.push({ name });
    }
  }
  return out;
}

function n1Rights(comps: N1Component[], copyrightLine: string | undefined): Rights | undefined {
  let holder: string | undefined;
  let date: string | undefined;
  let usage: string | undefined;
  for (const c of comps) {
    const rm = kid(c.node, 'RightsMetadata');
    if (!rm) continue;
    const cr = kid(rm, 'Copyright');
    holder ??= textOf(kid(cr, 'CopyrightHolder')) || undefined;
    date ??= textOf(kid(cr, 'CopyrightDate')) || undefined;
    const ur = kid(rm, 'UsageRights');
    usage ??= [textOf(kid(ur, 'UsageType')), textOf(kid(ur, 'Geography')), textOf(kid(ur, 'Limitations'))].filter(Boolean).join('; ') || undefined;
  }
  const rights: Rights = { copyrightHolder: holder, copyrightNotice: copyrightLine ?? (holder ? `© ${date ? `${date} ` : ''}${holder}` : undefined), usageTerms: usage };
  return Object.values(rights).some(Boolean) ? rights : undefined;
}

/** PublicIdentifier less its `:RevisionId[Update]` tail, so every revision of an item shares one id. */
function n1Uri(ident: XmlNode | undefined, revision: string | undefined): string | undefined {
  const pub = textOf(kid(ident, 'PublicIdentifier'));
  if (pub) {
    const parts = pub.split(':');
    const last = parts[parts.length - 1] ?? '';
    const isRevision = parts.length > 5 && (revision ? new RegExp(`^${revision}[NAU]?$`, 'i').test(last) : /^\d+[NAU]?$/i.test(last));
    return isRevision ? parts.slice(0, -1).join(':') : pub;
  }
  const provider = textOf(kid(ident, 'ProviderId'));
  const item = textOf(kid(ident, 'NewsItemId'));
  return provider && item ? `urn:newsml:${provider}:${textOf(kid(ident, 'DateId'))}:${item}` : undefined;
}

function parseNewsML1Item(item: XmlNode, xpath: string, formatVersion: string | undefined): CanonicalStory {
  const warnings: string[] = [];
  const ident = kid(item, 'Identification', 'NewsIdentifier');
  if (!ident) reject('missing_field', `${xpath}/Identification/NewsIdentifier`, 'a NewsItem must have Identification/NewsIdentifier');
  const revisionEl = kid(ident, 'RevisionId');
  const revision = textOf(revisionEl) || undefined;
  const externalId = n1Uri(ident, revision);
  if (!externalId) reject('missing_field', `${xpath}/Identification/NewsIdentifier/PublicIdentifier`, 'the NewsItem has neither a PublicIdentifier nor ProviderId and NewsItemId');
  const mgmt = kid(item, 'NewsManagement');
  const statusName = (formal(kid(mgmt, 'Status')) ?? 'Usable').toLowerCase();
  const pubStatus = N1_STATUS[statusName];
  if (!pubStatus) reject('unsupported_value', `${xpath}/NewsManagement/Status/@FormalName`, `status ${statusName.slice(0, 30)} is not one of Usable, Embargoed, Withheld, Canceled`);
  // An embargoed item turns usable when StatusWillChange says; without a time it is held.
  const willChange = kid(mgmt, 'StatusWillChange');
  const emb = statusName === 'embargoed' ? embargoOf(textOf(kid(willChange, 'DateAndTime')), warnings, 'StatusWillChange/DateAndTime') : {};
  const urgency = Number(formal(kid(mgmt, 'Urgency')));
  const comps = n1Components(item, xpath);
  if (comps.length === 0 && pubStatus !== 'canceled') {
    const kind = kids(item).find((k) => k.name === 'Update' || k.name === 'TopicSet')?.name;
    reject(kind ? 'unsupported_item_kind' : 'missing_field', `${xpath}/${kind ?? 'NewsComponent'}`, kind ? `a NewsItem carrying ${kind} instead of a NewsComponent is not supported` : 'a NewsItem must have a NewsComponent');
  }
  // The body: a component whose Role names the story text, else the first inline text not in a known non-body role.
  const texts: Array<{ comp: N1Component; r: Rendition }> = [];
  for (const c of comps) {
    kids(c.node, 'ContentItem').forEach((ci, i, all) => {
      const r = n1Text(ci, `${c.xpath}/ContentItem${all.length > 1 ? `[${i + 1}]` : ''}`, warnings);
      if (r) texts.push({ comp: c, r });
    });
  }
  const roleRank = (c: N1Component) => {
    const i = N1_BODY_ROLES.indexOf(c.role?.toLowerCase() ?? '');
    return i >= 0 ? i : c.role && N1_NOT_BODY_ROLES.has(c.role.toLowerCase()) ? 99 : N1_BODY_ROLES.length;
  };
  const main = texts
    .map((t, order) => ({ ...t, order }))
    .filter((t) => roleRank(t.comp) < 99)
    .sort((a, b) => roleRank(a.comp) - roleRank(b.comp) || a.r.rank - b.r.rank || a.order - b.order)[0];
  const byRole = (role: string) => texts.find((t) => t.comp.role?.toLowerCase() === role)?.r.paragraphs.join(' ');
  const storyComps = comps.filter((c) => !kids(c.node, 'ContentItem').some((ci) => attr(ci, 'Href')));
  const associations = comps.map(n1Association).filter((a): a is Association => !!a);
  for (const c of comps) {
    for (const ref of kids(c.node, 'NewsItemRef')) if (attr(ref, 'NewsItem')) associations.push({ role: 'related', href: attr(ref, 'NewsItem') });
  }
  const hasRemoteText = comps.some((c) => kids(c.node, 'ContentItem').some((ci) => attr(ci, 'Href') && formal(kid(ci, 'MediaType'))?.toLowerCase() === 'text'));
  if (!main && !associations.length && pubStatus !== 'canceled') {
    reject(
      hasRemoteText ? 'unsupported_content' : 'missing_field',
      comps[0] ? `${comps[0].xpath}/ContentItem` : `${xpath}/NewsComponent`,
      hasRemoteText ? 'the text is only referenced (ContentItem Href): send it inline in DataContent' : 'the NewsItem has no inline text content (NITF, XHTML or text in DataContent)',
    );
  }
  const nitf = main?.r.nitf;
  const copyrightLine = n1Line(storyComps, 'CopyrightLine');
  const language = languageOf(main?.r.lang) ?? languageOf(formal(kid(main?.comp.node, 'DescriptiveMetadata', 'Language'))) ?? languageOf(comps.map((c) => formal(kid(c.node, 'DescriptiveMetadata', 'Language'))).find(Boolean));
  const headline = n1Line(storyComps, 'HeadLine') ?? nitf?.headline ?? byRole('headline');
  const headlineComp = storyComps.find((c) => kid(c.node, 'NewsLines', 'HeadLine'));
  const headlineXpath = headlineComp ? `${headlineComp.xpath}/NewsLines/HeadLine` : `${comps[0]?.xpath ?? `${xpath}/NewsComponent`}/NewsLines/HeadLine`;
  if (main && !headline?.trim() && pubStatus !== 'canceled') reject('missing_field', headlineXpath, 'a text item needs a HeadLine (NewsLines) or a headline in its NITF');
  const firstAssocType = associations.find((a) => a.role !== 'related')?.type;
  const v = intVersion(revision);
  return finish(
    {
      format: 'newsml1',
      externalId,
      version: v.version,
      versionLabel: v.label,
      versionCreated: timeOf(textOf(kid(mgmt, 'ThisRevisionCreated')) || undefined, warnings, 'ThisRevisionCreated'),
      firstCreated: timeOf(textOf(kid(mgmt, 'FirstCreated')) || undefined, warnings, 'FirstCreated'),
      pubStatus,
      itemType: main ? 'text' : firstAssocType ?? 'text',
      headline,
      subheadline: n1Line(storyComps, 'SubHeadLine') ?? nitf?.subheadline ?? byRole('subheadline'),
      byline: cleanByline(n1Line(storyComps, 'ByLine')) ?? nitf?.byline,
      dateline: n1Line(storyComps, 'DateLine') ?? nitf?.dateline,
      paragraphs: main?.r.paragraphs ?? [],
      bodyHtml: main?.r.html,
      language,
      urgency: Number.isInteger(urgency) && urgency >= 1 && urgency <= 9 ? urgency : undefined,
      subjects: n1Subjects(storyComps),
      places: n1Places(storyComps),
      embargo: emb.embargo,
      embargoUnreadable: emb.unreadable,
      rights: n1Rights(storyComps, copyrightLine),
      associations: [...associations, ...(nitf?.media ?? [])],
      formatVersion,
      warnings,
    },
    xpath,
    headlineXpath,
    main?.r.xpath ?? `${xpath}/NewsComponent/ContentItem/DataContent`,
  );
}

export function parseNewsML1(root: XmlNode, lenient: boolean): ItemsParsed {
  const items = kids(root, 'NewsItem');
  if (items.length === 0) reject('missing_field', '/NewsML/NewsItem', 'a NewsML document must carry at least one NewsItem');
  if (items.length > LIMITS.items) reject('too_many_items', '/NewsML/NewsItem', `max ${LIMITS.items} items per document`);
  const version = attr(root, 'Version');
  if (version && !/^1(\.\d+)?$/.test(version)) reject('unsupported_document', '/NewsML/@Version', `NewsML version ${version.slice(0, 10)} is not supported: NewsML 1.0-1.2 only (send NewsML-G2 as newsItem/newsMessage)`);
  return eachItem(items, lenient, (item, i) => parseNewsML1Item(item, `/NewsML/NewsItem[${i + 1}]`, version ?? '1'));
}
