/**
 * XML formats -> canonical stories, chosen by the root element's local name (never by file name
 * or namespace prefix): newsItem / packageItem (NewsML-G2), newsMessage (G2 items in one or more
 * itemSets), NewsML (NewsML 1.x), nitf (NITF 3.x), rss / rdf:RDF (RSS 2.0 / 1.0), feed (Atom 1.0).
 * Follows the standards' element models rather than sample files: NewsML-G2 2.x (itemMeta,
 * contentMeta, rightsInfo, contentSet alternatives ranked inline NITF > inline XHTML > inline
 * HTML data > inline text > remote references), NITF 3.x docdata and body, RSS 2.0 with the
 * content/dc/media modules, and Atom text constructs with xml:base. Offending parts are named by
 * XPath. The dialect quirks handled are listed in README ("Formats and dialects").
 */
import type { ParsedDocument } from './canonical';
import { parseAtom } from './atom';
import { parseG2Item, parseNewsMessage } from './newsml-g2';
import { parseNewsML1 } from './newsml1';
import { parseNitf } from './nitf';
import { parseRss } from './rss';
import { parseXml } from './xml-safe';
import { reject } from './xml-story';

export { instant } from './xml-story';
export { nitfBody } from './nitf';

const G2_NS = /^https?:\/\/iptc\.org\/std\/nar\/2006-10-01\/?$/;

// ---------------------------------------------------------------- dispatch

/** `lenient`: a bad item of a multi-item document (feed, news message) is reported in `rejected`, not thrown. */
export function parseXmlStories(text: string, opts: { lenient?: boolean } = {}): ParsedDocument {
  const lenient = opts.lenient ?? false;
  const root = parseXml(text);
  // The G2 namespace may be the default one or bound to any prefix (`<g2:newsItem xmlns:g2=...>`).
  const ns = root.attrs[root.prefix ? `xmlns:${root.prefix}` : 'xmlns']?.trim();
  switch (root.name) {
    case 'newsItem':
    case 'packageItem':
      if (ns && !G2_NS.test(ns)) reject('schema_violation', `/${root.name}`, `${root.name} must be in the NewsML-G2 namespace http://iptc.org/std/nar/2006-10-01/`);
      return { format: 'newsml-g2', stories: [parseG2Item(root, `/${root.name}`)] };
    case 'newsMessage':
      return { format: 'newsml-g2', ...parseNewsMessage(root, lenient) };
    case 'conceptItem':
    case 'planningItem':
    case 'knowledgeItem':
    case 'catalogItem':
      return reject('unsupported_item_kind', `/${root.name}`, `${root.name} is not supported: send newsItem, packageItem or newsMessage`);
    case 'NewsML':
      return { format: 'newsml1', ...parseNewsML1(root, lenient) };
    case 'nitf':
      return { format: 'nitf', stories: [parseNitf(root)] };
    case 'rss':
    case 'RDF':
      return { format: 'rss', ...parseRss(root, lenient) };
    case 'feed':
      return { format: 'atom', ...parseAtom(root, lenient) };
    case 'groupSet':
    case 'contentSet':
    case 'contentMeta':
    case 'itemMeta':
    case 'itemSet':
      return reject(
        'unsupported_document',
        `/${root.name}`,
        `<${root.name}> is a fragment of a NewsML-G2 item, not an item: send it inside a ${root.name === 'groupSet' ? 'packageItem' : root.name === 'itemSet' ? 'newsMessage' : 'newsItem'} with a guid and itemMeta`,
      );
    default:
      return reject(
        'unsupported_document',
        `/${root.prefix ? `${root.prefix}:` : ''}${root.name}`,
        `<${root.name.slice(0, 40)}> is not a supported root: NewsML-G2 newsItem/packageItem/newsMessage, NewsML 1.x, NITF, RSS or Atom`,
      );
  }
}
