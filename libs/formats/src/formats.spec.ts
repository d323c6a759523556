import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from './detect';
import { parseStrictJson } from './strict-json';
import { NINJS_VERSIONS, validateNinjs } from './ninjs-schema';
import { parseNinjsDocument } from './ninjs';

const fixtures = join(__dirname, '..', 'fixtures');
const read = (...p: string[]) => readFileSync(join(fixtures, ...p), 'utf8');
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { status: number; code: string; pointer: string };
  }
  throw new Error('expected a rejection');
};

describe('IPTC ninjs validation suite (vendored subset)', () => {
  for (const v of readdirSync(join(fixtures, 'ninjs-suite'))) {
    for (const kind of ['should_pass', 'should_fail']) {
      const dir = join(fixtures, 'ninjs-suite', v, kind);
      it.each(readdirSync(dir))(`${v} ${kind} %s`, (f) => {
        // A should_fail file that is not even valid JSON (or repeats a key) is rightly refused by the parser.
        let valid: boolean;
        try {
          valid = validateNinjs(parseStrictJson(readFileSync(join(dir, f), 'utf8')), v as (typeof NINJS_VERSIONS)[number]).length === 0;
        } catch {
          valid = false;
        }
        expect(valid).toBe(kind === 'should_pass');
      });
    }
  }

  it('identifies the version from the document when none is declared', () => {
    const [s] = parseNinjsDocument({ uri: 'u', versionCreated: '2024-01-01T00:00:00Z', headlines: [{ role: 'main', value: 'H' }], bodies: [{ role: 'main', contentType: 'text/plain', value: 'B' }] });
    expect(s).toMatchObject({ formatVersion: '3.1', headline: 'H', paragraphs: ['B'], versionCreated: '2024-01-01T00:00:00.000Z' });
  });
});

describe('ninjs -> canonical', () => {
  it('maps a 3.x text story with subjects, rights and a picture association', () => {
    const [s] = parseDocument('application/ninjs+json; version=3.0', read('ninjs', 'tt_text_image_3.json')).stories;
    expect(s).toMatchObject({ format: 'ninjs', version: 1, language: 'sv', urgency: 3, pubStatus: 'usable', headline: 'Militärövning i jätteformat hålls 2023' });
    expect(s!.associations?.[0]).toMatchObject({ type: 'picture', href: expect.stringMatching(/^https:/) });
    expect(s!.bodyHtml).toMatch(/^<p>/);
  });

  it('refuses a version the IPTC never published, as 415', () => {
    expect(errorOf(() => parseDocument('application/ninjs+json; version=9.9', '{"uri":"u"}'))).toMatchObject({ status: 415, code: 'unsupported_ninjs_version' });
  });
});

describe('strict JSON', () => {
  it.each([
    ['{"headline":"a","headline":"<script>"}', 'duplicate_key', '/headline'],
    ['{"__proto__":{"polluted":1}}', 'unknown_field', '/__proto__'],
    ['{"a":{"constructor":{"prototype":{}}}}', 'unknown_field', '/a/constructor'],
    ['{"uri":"x",}', 'malformed_json', ''],
    ['{"n":NaN}', 'malformed_json', '/n'],
    ['{"s":"a\u0001b"}', 'malformed_json', '/s'],
    ['['.repeat(10_000) + ']'.repeat(10_000), 'too_deep', expect.any(String)],
  ])('%s -> %s', (text, code, pointer) => {
    expect(errorOf(() => parseStrictJson(text))).toMatchObject({ status: 400, code, pointer });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('parses what JSON.parse parses', () => {
    const text = '{"a":[1,-2.5e3,true,false,null,"\\u00e9\\n"],"b":{}}';
    expect(parseStrictJson(text)).toEqual(JSON.parse(text));
  });
});

describe('hostile XML is refused before parsing', () => {
  const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><newsItem>&x;</newsItem>';
  const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><r>&lol9;</r>`;
  it.each([
    ['XXE', xxe, 400, 'doctype_forbidden'],
    ['billion laughs', laughs, 400, 'doctype_forbidden'],
    ['XInclude', '<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="file:///etc/passwd"/></r>', 400, 'xinclude_forbidden'],
    ['UTF-7 declared', '<?xml version="1.0" encoding="UTF-7"?><r/>', 400, 'invalid_encoding'],
    ['60k char refs', `<r>${'&#65;'.repeat(60_000)}</r>`, 400, 'too_many_char_refs'],
    ['500k char refs (over the XML size cap)', `<r>${'&#65;'.repeat(500_000)}</r>`, 413, 'payload_too_large'],
    ['deep nesting', `${'<a>'.repeat(1000)}${'</a>'.repeat(1000)}`, 400, 'too_deep'],
    ['not well-formed', '<newsItem><a></newsItem>', 400, 'malformed_xml'],
    ['wrong root', '<html><body/></html>', 422, 'unsupported_document'],
    ['G2 item without itemMeta', '<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1"/>', 422, 'schema_violation'],
  ])('%s -> %s %s', (_name, xml, status, code) => {
    const t0 = Date.now();
    expect(errorOf(() => parseDocument('application/xml', xml))).toMatchObject({ status, code });
    expect(Date.now() - t0).toBeLessThan(500);
  });
});

describe('NewsML-G2, NITF, RSS, Atom', () => {
  it('reads a G2 news item with an inline NITF body', () => {
    const [s] = parseDocument(undefined, read('newsml-g2', 'LISTING_2_NewsML-G2_Text_Document.xml')).stories;
    expect(s).toMatchObject({
      format: 'newsml-g2',
      externalId: 'urn:newsml:acmenews.com:20161121:US-FINANCE-FED',
      version: 11,
      language: 'en',
      pubStatus: 'usable',
      versionCreated: '2018-11-21T21:25:32.000Z',
      headline: 'Fed to halt QE to avert "bubble"',
      byline: 'Meredith Jameson, Staff Reporter',
    });
    expect(s!.paragraphs).toHaveLength(2);
    expect(s!.subjects).toContainEqual({ scheme: 'medtop', code: '20000350', name: 'central bank', uri: undefined });
  });

  it('reads embargo and rights from a G2 item, and a package as linked stories', () => {
    const [item] = parseDocument('application/vnd.iptc.g2.newsitem+xml', read('newsml-g2', 'LISTING_1_A_NewsML-G2_News_Item.xml')).stories;
    expect(item).toMatchObject({ embargo: '2018-10-23T12:00:00.000Z', rights: { usageTerms: 'Not for use outside the United States' } });
    const [pkg] = parseDocument('application/xml', read('newsml-g2', 'LISTING_6_Simple_NewsML-G2_Package.xml')).stories;
    expect(pkg!.paragraphs).toEqual([]);
    expect(pkg!.associations?.filter((a) => a.role === 'package-member')).toHaveLength(2);
  });

  it('splits a news message into one story per item, naming the bad item by XPath', () => {
    const item = (guid: string, h: string) =>
      `<newsItem guid="${guid}" version="1"><itemMeta><itemClass qcode="ninat:text"/><versionCreated>2024-05-01T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta><contentMeta><language tag="en"/><headline>${h}</headline></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Body of ${h}.</p><script>x</script></body></html></inlineXML></contentSet></newsItem>`;
    const msg = (items: string) => `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2024-05-01T10:00:00Z</sent></header><itemSet>${items}</itemSet></newsMessage>`;
    const doc = parseDocument('application/vnd.iptc.g2.newsmessage+xml', msg(item('a', 'One') + item('b', 'Two')));
    expect(doc.stories.map((s) => [s.externalId, s.headline, s.paragraphs[0], s.bodyHtml])).toEqual([
      ['a', 'One', 'Body of One.', '<p>Body of One.</p>'],
      ['b', 'Two', 'Body of Two.', '<p>Body of Two.</p>'],
    ]);
    expect(errorOf(() => parseDocument('application/xml', msg(item('a', 'One') + '<newsItem version="1"/>')))).toMatchObject({ pointer: '/newsMessage/itemSet/newsItem[2]/@guid' });
    // Lenient: the bad item is set aside with its XPath; the good ones keep their document positions.
    const lenient = parseDocument('application/xml', msg('<newsItem version="1"/>' + item('a', 'One') + item('b', 'Two')), { lenient: true });
    expect(lenient.stories.map((s) => s.externalId)).toEqual(['a', 'b']);
    expect(lenient.positions).toEqual([1, 2]);
    expect(lenient.rejected?.map((r) => [r.index, r.error.pointer])).toEqual([[0, '/newsMessage/itemSet/newsItem[1]/@guid']]);
  });

  it('lenient parsing sets aside a bad feed item; document-level faults still throw', () => {
    const rss = (items: string) => `<rss version="2.0"><channel><title>C</title>${items}</channel></rss>`;
    const doc = parseDocument('application/rss+xml', rss(`<item><guid>g1</guid><title>One</title><description>Text one</description></item><item><guid>g2</guid><title>${'x'.repeat(600)}</title><description>Too long a title</description></item>`), { lenient: true });
    expect(doc.stories.map((s) => s.externalId)).toEqual(['g1']);
    expect(doc.rejected?.map((r) => [r.index, r.error.code, r.error.pointer])).toEqual([[1, 'too_long', '/rss/channel/item[2]/title']]);
    expect(errorOf(() => parseDocument('application/rss+xml', rss(''), { lenient: true }))).toMatchObject({ code: 'missing_field' });
    expect(errorOf(() => parseDocument('application/rss+xml', '<rss><channel>', { lenient: true }))).toMatchObject({ code: 'malformed_xml' });
  });

  it('reads NITF 3.x docdata and body', () => {
    const nitf = `<nitf version="-//IPTC//DTD NITF 3.6//EN"><head><title>T</title><docdata><doc-id id-string="nitf-1"/><urgency ed-urg="2"/><date.issue norm="20240501T100000Z"/><date.release norm="20240502T060000+0200"/><du-key version="3"/><tobject><tobject.subject tobject.subject.refnum="15000000" tobject.subject.matter="sport"/></tobject></docdata></head><body><body.head><hedline><hl1>Headline</hl1></hedline><byline>By A. Writer</byline></body.head><body.content><p>First.</p><p>Second &amp; last.</p></body.content></body></nitf>`;
    const [s] = parseDocument('application/nitf+xml', nitf).stories;
    expect(s).toMatchObject({ format: 'nitf', externalId: 'nitf-1', version: 3, urgency: 2, headline: 'Headline', byline: 'A. Writer', paragraphs: ['First.', 'Second & last.'], embargo: '2024-05-02T04:00:00.000Z', versionCreated: '2024-05-01T10:00:00.000Z' });
    expect(s!.subjects).toEqual([{ scheme: 'subj', code: '15000000', name: 'sport' }]);
  });

  it('reads RSS 2.0 items and Atom entries as stories', () => {
    const rss = `<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>C</title><language>de</language><item><guid>g1</guid><title>Eins</title><description>&lt;p&gt;Erster &lt;b&gt;Text&lt;/b&gt;&lt;/p&gt;</description><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate><category domain="medtop">sport</category><enclosure url="https://x.test/a.jpg" type="image/jpeg" length="1"/></item><item><guid>g2</guid><title>Zwei</title><description><![CDATA[<p>Zweiter</p>]]></description></item></channel></rss>`;
    const r = parseDocument('application/rss+xml', rss);
    expect(r.stories.map((s) => [s.externalId, s.headline, s.paragraphs.join('|'), s.language])).toEqual([
      ['g1', 'Eins', 'Erster Text', 'de'],
      ['g2', 'Zwei', 'Zweiter', 'de'],
    ]);
    expect(r.stories[0]!.associations).toEqual([{ role: 'enclosure', href: 'https://x.test/a.jpg', mimetype: 'image/jpeg' }]);
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>F</title><entry><id>urn:e1</id><title>Entry</title><updated>2024-05-01T10:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Para <em>one</em>.</p></div></content><category term="politics" scheme="medtop"/></entry></feed>`;
    const [e] = parseDocument(undefined, atom).stories;
    expect(e).toMatchObject({ format: 'atom', externalId: 'urn:e1', headline: 'Entry', paragraphs: ['Para one.'], language: 'en', subjects: [{ scheme: 'medtop', code: 'politics', name: 'politics' }] });
  });
});
