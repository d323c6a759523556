/**
 * The XML pre-scan: NITF's external DOCTYPE is the one DTD form accepted (never read), every
 * other DTD construct and XInclude is refused, and unterminated constructs are refused where
 * they start, also at the size cap (the pass is linear; the HTTP test bounds the answer time).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from './canonical';
import { parseDocument } from './detect';
import { parseXml, prescanXml } from './xml-safe';

const errorOf = (f: () => unknown): FormatError => {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
};

const nitf = (doctype: string) => `<?xml version="1.0"?>\n${doctype}\n<nitf><body><body.head><hedline><hl1>Bridge reopens</hl1></hedline></body.head><body.content><p>The bridge reopened&nbsp;today.</p></body.content></body></nitf>`;

describe('NITF external DOCTYPE', () => {
  it.each([
    ['SYSTEM', '<!DOCTYPE nitf SYSTEM "nitf-3-2.dtd">'],
    ['SYSTEM, single quotes', "<!DOCTYPE nitf SYSTEM 'nitf-3-6.dtd'>"],
    ['SYSTEM with a URL', '<!DOCTYPE nitf SYSTEM "http://www.nitf.org/IPTC/NITF/3.3/specification/dtd/nitf-3-3.dtd">'],
    ['PUBLIC', '<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.4//EN" "http://www.nitf.org/IPTC/NITF/3.4/specification/dtd/nitf-3-4.dtd">'],
    ['PUBLIC, IPTC-NAA, over two lines', '<!DOCTYPE nitf PUBLIC "-//IPTC-NAA//DTD NITF 3.0//EN"\n  "nitf-3-0.dtd">'],
  ])('%s is accepted and the story parsed', (_name, doctype) => {
    const doc = parseDocument('application/nitf+xml', nitf(doctype));
    expect(doc.stories[0]).toMatchObject({ format: 'nitf', headline: 'Bridge reopens', paragraphs: ['The bridge reopened today.'] });
  });

  it('reads the agency-style fixture (PUBLIC DOCTYPE, HTML entities the DTD would declare)', () => {
    const xml = readFileSync(join(__dirname, '..', 'fixtures', 'dialects', 'nitf-3.4-doctype.xml'), 'utf8');
    const [story] = parseDocument(undefined, xml).stories;
    expect(story).toMatchObject({
      externalId: 'urn:example:nitf:2026:bridge-0412',
      headline: 'Harbour bridge reopens after repairs',
      byline: 'Kari Example',
      language: 'en',
      formatVersion: '3.4',
    });
    expect(story!.paragraphs[1]).toBe('Engineers replaced two bearings and resurfaced the deck \u2014 ahead of schedule.');
  });

  it('keeps line numbers true after blanking the DOCTYPE', () => {
    const e = errorOf(() => parseXml('<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd">\n<nitf>\n<body></nitf>'));
    expect(e).toMatchObject({ status: 400, code: 'malformed_xml', pointer: '/line/3' });
  });

  it.each([
    ['an internal subset', '<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd" [<!ENTITY x SYSTEM "file:///etc/passwd">]>'],
    ['an internal subset alone', '<!DOCTYPE nitf [<!ELEMENT nitf ANY>]>'],
    ['another document type', '<!DOCTYPE html SYSTEM "about:legacy-compat">'],
    ['a DTD that is not NITF\'s', '<!DOCTYPE nitf SYSTEM "http://127.0.0.1:9/x">'],
    ['an unknown public id', '<!DOCTYPE nitf PUBLIC "-//EVIL//DTD X//EN" "nitf-3-4.dtd">'],
    ['no external id', '<!DOCTYPE nitf>'],
    ['two DOCTYPEs', '<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd"><!DOCTYPE nitf SYSTEM "nitf-3-4.dtd">'],
    ['a parameter entity', '<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd"><!ENTITY % p SYSTEM "http://127.0.0.1:9/p">'],
  ])('%s is refused', (_name, doctype) => {
    expect(errorOf(() => parseDocument('application/xml', nitf(doctype)))).toMatchObject({ status: 400, code: 'doctype_forbidden' });
  });

  it('refuses the NITF DOCTYPE on another root, and a DOCTYPE after the root', () => {
    expect(errorOf(() => parseXml('<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd"><rss/>'))).toMatchObject({ code: 'doctype_forbidden' });
    expect(errorOf(() => parseXml('<nitf><!DOCTYPE nitf SYSTEM "nitf-3-4.dtd"></nitf>'))).toMatchObject({ code: 'doctype_forbidden' });
  });

  it('does not take DOCTYPE or ENTITY text inside CDATA or comments for declarations', () => {
    const xml = '<rss version="2.0"><channel><title>t</title><item><guid>g1</guid><title>Markup</title><description><![CDATA[<!DOCTYPE html><p>An article quoting <!ENTITY> text.</p>]]></description></item><!-- <!DOCTYPE x> --></channel></rss>';
    expect(parseDocument('application/rss+xml', xml).stories[0]!.paragraphs).toEqual(['An article quoting text.']);
  });

  it('still refuses XInclude, by prefix or by namespace', () => {
    expect(errorOf(() => parseXml('<r xmlns:x="http://www.w3.org/2001/XInclude"><x:include href="/etc/passwd"/></r>'))).toMatchObject({ code: 'xinclude_forbidden' });
    expect(errorOf(() => parseXml('<r><include xmlns="http://www.w3.org/2001/XInclude" href="/etc/passwd"/></r>'))).toMatchObject({ code: 'xinclude_forbidden' });
  });
});

describe('unterminated constructs are refused where they start', () => {
  const CAP = 1_048_576;
  const fill = (unit: string) => `<r>${unit.repeat(Math.floor((CAP - 3) / unit.length))}`;

  it.each([
    ['<name', fill('<a'), /unterminated tag/],
    ['<!--', fill('<!--'), /unterminated comment/],
    ['<?', fill('<?'), /unterminated processing instruction/],
    ['<![CDATA[', fill('<![CDATA['), /unterminated CDATA/],
    ['an attribute value', `<r><a b="${'x'.repeat(CAP - 10)}`, /unterminated attribute value/],
    ['an end tag', `<r>${'x'.repeat(CAP - 10)}</r`, /unterminated end tag/],
  ])('%s repeated to the 1 MiB cap -> 400 malformed_xml', (_name, body, message) => {
    const e = errorOf(() => prescanXml(body));
    expect(e).toMatchObject({ status: 400, code: 'malformed_xml', pointer: '/line/1' });
    expect(e.message).toMatch(message);
  });

  it.each([
    ['a stray <', '<r>a < b</r>', 'malformed_xml'],
    ['an end tag closing nothing', '<r/></r></r>', 'malformed_xml'],
    ['a 300-character element name', `<${'a'.repeat(300)}/>`, 'too_long'],
    ['300 attributes on one element', `<r ${Array.from({ length: 300 }, (_, i) => `a${i}="1"`).join(' ')}/>`, 'too_many_items'],
    ['65 levels of nesting', `${'<a>'.repeat(65)}${'</a>'.repeat(65)}`, 'too_deep'],
  ])('%s -> 400 %s', (_name, body, code) => {
    expect(errorOf(() => prescanXml(body))).toMatchObject({ status: 400, code });
  });

  it('accepts what well-formed documents legitimately hold: > in attribute values, quotes in text, PIs and comments', () => {
    expect(() => prescanXml('<?xml version="1.0"?><!-- c --><r a="x > y" b=\'<\'><?pi data?>"quoted" \'text\' &amp; more<e/></r>')).not.toThrow();
  });
});
