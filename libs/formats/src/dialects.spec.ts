/**
 * Agency dialects of each format (fixtures written for these tests, see fixtures/dialects/README.md):
 * every canonical field a channel or the pipeline reads is asserted, per document, from the bytes
 * a partner would send (decodeBody first, as the intake does).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalStory } from './canonical';
import { decodeBody } from './charset';
import { parseDocument } from './detect';

const dir = join(__dirname, '..', 'fixtures', 'dialects');
const parse = (file: string, contentType?: string) => parseDocument(contentType, decodeBody(contentType, readFileSync(join(dir, file))));
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as { status: number; code: string; pointer: string; message: string };
  }
  throw new Error('expected a rejection');
};

type Expected = Partial<CanonicalStory> & { bodyHtmlIs?: string };

const cases: Array<{ file: string; type?: string; format: string; stories: Expected[] }> = [
  {
    // BOM + CRLF, NITF with its own prefix inside G2, language only on contentSet/@xml:lang, two itemSets.
    file: 'afp-style-newsmessage.xml',
    type: 'application/vnd.iptc.g2.newsmessage+xml',
    format: 'newsml-g2',
    stories: [
      {
        externalId: 'urn:newsml:wire.example.fr:20240502:TX-PAR-GFE12',
        version: 3,
        versionCreated: '2024-05-02T08:14:03.000Z',
        firstCreated: '2024-05-02T07:02:00.000Z',
        pubStatus: 'usable',
        itemType: 'text',
        headline: 'Européennes : la campagne s’ouvre officiellement',
        subheadline: 'Trente-huit listes déposées, un record',
        byline: 'Anne Bernard',
        dateline: 'PARIS, 2 mai 2024 (WX)',
        language: 'fr',
        urgency: 2,
        paragraphs: ['La campagne officielle pour les élections européennes s’est ouverte lundi — avec un nombre record de listes.', 'Le scrutin aura lieu le 9 juin.'],
        bodyHtmlIs: '<p>La campagne officielle pour les élections européennes s’est ouverte lundi — avec un nombre record de listes.</p><p>Le scrutin aura lieu le 9 juin.</p>',
        subjects: [
          { scheme: 'medtop', code: '11000000', name: 'politique' },
          { scheme: 'medtop', code: '20000621', name: 'élections', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000621' },
          { scheme: 'iso3166-1a2', code: 'FR', name: 'France' },
        ],
        places: [
          { name: 'Paris', code: 'wxcity:2988507' },
          { name: 'France', code: 'iso3166-1a2:FR' },
        ],
        rights: { copyrightHolder: 'Agence Exemple', copyrightNotice: '© Agence Exemple 2024', usageTerms: 'Pas de diffusion en Belgique' },
        associations: [{ role: 'media', type: 'image', href: 'https://media.wire.example.fr/photos/gfe12.jpg', mimetype: 'image/jpeg', headline: 'Des affiches électorales à Paris.' }],
        signals: ['sig:update'],
        editorNote: 'Nouvelle version : précisions au 3e paragraphe',
        warnings: ['/newsMessage/itemSet[2]/knowledgeItem[1]: knowledgeItem is not supported and was skipped'],
      },
      {
        externalId: 'urn:newsml:wire.example.fr:20240502:PH-PAR-77',
        itemType: 'picture',
        headline: 'Affiches électorales',
        language: 'fr',
        paragraphs: ['Des affiches électorales à Paris, le 2 mai 2024.'],
        associations: [
          { role: 'rnd:highRes', href: 'https://media.wire.example.fr/photos/77-hr.jpg', mimetype: 'image/jpeg' },
          { role: 'rnd:thumbnail', href: 'https://media.wire.example.fr/photos/77-th.jpg', mimetype: 'image/jpeg' },
        ],
      },
    ],
  },
  {
    // XHTML body, provider QCodes with sameAs medtop, a subjectcode URI, keywords, URI pubStatus.
    file: 'reuters-style-xhtml.xml',
    type: 'application/vnd.iptc.g2.newsitem+xml',
    format: 'newsml-g2',
    stories: [
      {
        externalId: 'tag:wire.example.com,2024:newsml_L1N3HX0AB',
        version: 2,
        versionCreated: '2024-05-02T14:31:07.000Z',
        pubStatus: 'usable',
        headline: 'UPDATE 2-Oil rises as supply worries offset demand concerns',
        byline: 'Jane Smith and Tom Jones',
        dateline: 'LONDON, May 2 (Example Wire)',
        language: 'en',
        urgency: 3,
        paragraphs: [
          '* Brent up 1.2 percent; WTI up 1 percent',
          'LONDON, May 2 (Example Wire) - Oil prices rose on Thursday as supply worries offset concerns about demand.',
          'Brent crude futures were up 98 cents at $84.42 a barrel by 1420 GMT.',
          '(Reporting by Jane Smith; Editing by Tom Jones)',
        ],
        subjects: [
          { scheme: 'rtrsSubj', code: 'ENR', name: 'Energy Markets' },
          { scheme: 'medtop', code: '20000410', name: 'Energy Markets' },
          { scheme: 'N2', code: 'CRU' },
          { scheme: 'subj', code: '04005000', uri: 'http://cv.iptc.org/newscodes/subjectcode/04005000' },
          { scheme: 'mcc', code: 'E' },
          { scheme: 'N2', code: 'MEAST', name: 'Middle East' },
          { scheme: 'keyword', name: 'OIL' },
          { scheme: 'keyword', name: 'PRICES' },
        ],
        places: [{ name: 'Middle East', code: 'N2:MEAST' }],
        rights: { copyrightHolder: 'wxcomp:WIRE', copyrightNotice: '(c) Copyright Example Wire 2024. Click For Restrictions - http://www.example.com/terms' },
        associations: [{ role: 'irel:seeAlso', uri: 'tag:wire.example.com,2024:newsml_L1N3HX0AA' }],
        signals: ['edYes:1', 'sig:update'],
      },
    ],
  },
  {
    // remoteContent first, then inline text, then inline XHTML: the XHTML wins; located only as a literal.
    file: 'ap-style-remote-alternatives.xml',
    format: 'newsml-g2',
    stories: [
      {
        externalId: 'urn:publicid:wire.example.org:4c3f0e',
        version: 5,
        headline: 'Storms leave thousands without power across Midwest',
        byline: 'JOHN DOE Associated Writer',
        dateline: 'DES MOINES, Iowa',
        language: 'en',
        urgency: 4,
        paragraphs: [
          'DES MOINES, Iowa (EP) — Severe storms swept across the Midwest overnight, toppling trees and power lines.',
          'More than 50,000 customers were without power Thursday morning, utilities said.',
        ],
        places: [{ name: 'DES MOINES, Iowa' }, { name: 'Iowa', code: 'Iowa' }],
        associations: [
          { role: 'irel:associatedWith', uri: 'urn:publicid:wire.example.org:ph-991', mimetype: 'image/jpeg', headline: 'Storm damage in Iowa' },
          { role: 'wx:web', href: 'https://api.wire.example.org/content/4c3f0e.html', mimetype: 'text/html' },
        ],
      },
    ],
  },
  {
    file: 'g2-canceled.xml',
    format: 'newsml-g2',
    stories: [{ externalId: 'urn:newsml:wire.example.com:20240502:KILL-77', version: 4, pubStatus: 'canceled', headline: 'KILL - Company X story', paragraphs: [], editorNote: 'KILL: the story is withdrawn. It must not be used. Legal reasons.' }],
  },
  {
    // Every element prefixed (g2:), embargo with an offset, date-only expiry, sig:correction, base64 HTML data.
    file: 'g2-embargo-correction-prefixed.xml',
    type: 'text/xml',
    format: 'newsml-g2',
    stories: [
      {
        externalId: 'urn:newsml:wire.example.de:20240502:dpx-1234',
        version: 7,
        versionCreated: '2024-05-02T10:00:00.000Z',
        headline: 'KORREKTUR: Exportüberschuss steigt im März',
        subheadline: 'Statistikamt korrigiert Vormonatswert',
        byline: 'Max Muster, dpx',
        dateline: 'Wiesbaden',
        language: 'de',
        paragraphs: ['Wiesbaden (dpx) - Der Exportüberschuss ist gestiegen.', 'Eine Korrektur.'],
        subjects: [
          { scheme: 'dpxsubj', code: 'wirtschaft', name: 'Wirtschaft' },
          { scheme: 'subj', code: '04000000' },
        ],
        embargo: '2024-05-03T04:00:00.000Z',
        expires: '2024-05-10T23:59:59.000Z',
        signals: ['sig:correction'],
        editorNote: 'Sperrfrist 3. Mai, 6.00 Uhr MESZ',
      },
    ],
  },
  {
    // tobject in head, date.release/expire, ed-urg, nested person in byline, dateline parts, media, bq, table.
    file: 'nitf-3.3-full.xml',
    type: 'application/nitf+xml',
    format: 'nitf',
    stories: [
      {
        externalId: 'WX-2024-0502-RAIL',
        version: 2,
        versionCreated: '2024-05-02T09:30:00.000Z',
        pubStatus: 'usable',
        headline: 'Court blocks merger of two rail operators',
        subheadline: 'Ruling is the first under new competition rules',
        byline: 'Mary Major and Sam Minor, Business Correspondents',
        dateline: 'LONDON, May 2',
        language: 'en',
        urgency: 1,
        paragraphs: [
          'A competition court on Thursday blocked the planned merger of two rail operators — a first under the new rules.',
          'The ruling can be appealed within 28 days.',
          'This deal would have left passengers with less choice.',
          'Presiding judge',
          'Operator Share',
          'North 31%',
        ],
        subjects: [
          { scheme: 'subj', code: '04000000', name: 'economy, business and finance' },
          { scheme: 'subj', code: '02000000', name: 'crime, law and justice' },
          { scheme: 'medtop', code: '20000209' },
          { scheme: 'keyword', name: 'rail' },
          { scheme: 'keyword', name: 'competition' },
        ],
        places: [{ name: 'London, United Kingdom', code: 'GB' }],
        embargo: '2024-05-02T11:00:00.000Z',
        expires: '2024-06-01T00:00:00.000Z',
        rights: { copyrightHolder: 'Example Wire Ltd', copyrightNotice: '© 2024 Example Wire Ltd', usageTerms: 'No archiving' },
        associations: [{ role: 'media', type: 'image', href: 'https://media.wire.example.com/rail.jpg', mimetype: 'image/jpeg', headline: 'A passenger train near London.' }],
        editorNote: 'Corrects spelling of court name in 2nd paragraph',
        formatVersion: '3.3',
      },
    ],
  },
  {
    // ISO-8859-1 bytes, management-status="embargoed" with a date-only release, language on body.content.
    file: 'nitf-3.6-latin1.xml',
    format: 'nitf',
    stories: [
      {
        externalId: 'SX-20240502-ZRH-17',
        headline: 'Zürich und Genève: Mieten steigen weiter',
        byline: 'Jürg Müller',
        dateline: 'Zürich',
        language: 'de',
        urgency: 4,
        versionCreated: '2024-05-02T08:15:00.000Z',
        paragraphs: ['Die Mieten in Zürich sind im Jahresvergleich um 4,5 Prozent gestiegen - in Genève um 3,9 Prozent.', '«Ein Ende ist nicht in Sicht», sagte ein Sprecher.'],
        embargo: '2024-05-03T12:00:00.000Z',
        formatVersion: '3.6',
      },
    ],
  },
  {
    // content:encoded over description, two dc:creator, media:group, relative links and enclosure, IPTC category URI, no guid.
    file: 'rss-content-encoded.xml',
    type: 'application/rss+xml',
    format: 'rss',
    stories: [
      {
        externalId: 'rw-1234',
        versionCreated: '2024-05-02T09:20:00.000Z',
        headline: 'Council approves new bridge & cycle lane',
        byline: 'Alex Reporter, Sam Editor',
        language: 'en',
        paragraphs: ['The city council approved a new bridge on Thursday. See the plans.', 'Work starts in June.'],
        bodyHtmlIs: '<p>The city council approved a new bridge on Thursday. <a href="https://news.example.net/local/bridge-plans">See the plans</a>.</p><p>Work starts in <strong>June</strong>.</p>',
        subjects: [{ scheme: 'medtop', code: '20000485', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000485' }, { name: 'Local' }],
        rights: { copyrightNotice: 'Copyright 2024 Regional Wire' },
        associations: [
          { role: 'enclosure', href: 'https://news.example.net/audio/bridge.mp3', mimetype: 'audio/mpeg' },
          { role: 'media', href: 'https://img.example.net/bridge-large.jpg', mimetype: 'image/jpeg', type: 'image', headline: 'The planned bridge' },
        ],
      },
      {
        externalId: 'https://news.example.net/weather/warning-99',
        versionCreated: '2024-05-02T09:05:00.000Z',
        byline: 'Weather Desk',
        paragraphs: ['Heavy rain is expected on Saturday.', 'Flooding is possible in low-lying areas.'],
        bodyHtmlIs: '<p>Heavy rain is expected on Saturday.</p><p>Flooding is possible in low-lying areas.</p>',
      },
    ],
  },
  {
    // xml:base on feed and entry, prefixed XHTML div, html title, feed author inherited, published vs updated, content@src.
    file: 'atom-xhtml-base.xml',
    type: 'application/atom+xml',
    format: 'atom',
    stories: [
      {
        externalId: 'tag:blog.example.org,2024:entry-501',
        versionCreated: '2024-05-02T10:30:00.000Z',
        firstCreated: '2024-05-02T07:00:00.000Z',
        headline: 'Budget passes narrowly',
        byline: 'Newsroom Staff',
        language: 'en',
        paragraphs: ['The budget passed by 201 votes to 199. Vote details.', 'The opposition called it “a missed chance”.'],
        bodyHtmlIs: '<p>The budget passed by 201 votes to 199. <a href="https://blog.example.org/news/2024/05/vote-details.html">Vote details</a>.</p><p>The opposition called it “a missed chance”.</p>',
        subjects: [
          { scheme: 'medtop', code: '20000587', name: 'budget', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000587' },
          { code: 'politics', name: 'politics' },
        ],
        rights: { copyrightNotice: '© 2024 Example Newsroom' },
        associations: [{ role: 'enclosure', href: 'https://blog.example.org/img/chart.png', mimetype: 'image/png' }],
      },
      {
        externalId: 'tag:blog.example.org,2024:entry-502',
        byline: 'A. Live',
        paragraphs: ['Follow the results as they come in.'],
        associations: [{ role: 'content', href: 'https://blog.example.org/live/results.html', mimetype: 'text/html' }],
      },
    ],
  },
  {
    // 1.x: body_nitf read as NITF (not its head), subject scheme given as a vocabulary URI, "By" dropped.
    file: 'ninjs-1.6-ap-style.json',
    type: 'application/ninjs+json; version=1.6',
    format: 'ninjs',
    stories: [
      {
        externalId: 'https://api.wire.example.org/content/7e1b2c',
        version: 3,
        pubStatus: 'usable',
        headline: 'Senate passes spending bill after overnight session',
        byline: 'JANE DOE',
        dateline: 'WASHINGTON',
        language: 'en',
        urgency: 2,
        embargo: '2024-05-03T02:00:00.000Z',
        paragraphs: ['WASHINGTON (EP) — The Senate passed a spending bill early Friday.', 'The House votes next week.'],
        subjects: [
          { scheme: 'medtop', code: '11000000', name: 'Government and politics', uri: 'http://cv.iptc.org/newscodes/mediatopic/11000000' },
          { scheme: 'medtop', code: '20000614', name: 'Legislature' },
          { scheme: 'http://cv.wire.example.org/id/', code: 'c8e409f8858510048872ff2260dd383e', name: 'Congress' },
        ],
        places: [{ name: 'Washington', code: 'US-DC' }],
        rights: { copyrightNotice: 'Copyright 2024 Example Press. All rights reserved.', usageTerms: 'This content is intended for editorial use only.' },
        associations: [{ role: 'featureimage', uri: 'https://api.wire.example.org/content/ph-55', href: 'https://media.wire.example.org/ph-55.jpg', type: 'picture', mimetype: 'image/jpeg', headline: 'Senate chamber' }],
        editorNote: 'Eds: Moves for PMs; will be updated.',
        formatVersion: '1.6',
      },
    ],
  },
  {
    // 2.x arrays: HTML body preferred, sub headline, subjects by literal and by IPTC URI, nb-NO, the full rendition.
    file: 'ninjs-2.1-ntb-style.json',
    type: 'application/ninjs+json; version=2.1',
    format: 'ninjs',
    stories: [
      {
        version: 4,
        headline: 'Datasenter planlegges i Skien',
        subheadline: 'Kommunen har solgt tomten',
        byline: 'NTX',
        dateline: 'Skien',
        language: 'nb',
        versionCreated: '2024-05-02T07:46:53.000Z',
        paragraphs: ['Et stort datasenter planlegges i Skien.', 'Kommunen bekrefter salget.'],
        subjects: [
          { code: 'Innenriks', name: 'Innenriks' },
          { scheme: 'subj', code: '13010000', name: 'Teknologi', uri: 'http://cv.iptc.org/newscodes/subjectcode/13010000' },
          { scheme: 'medtop', code: '20000763', name: 'Informasjonsteknologi', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000763' },
        ],
        associations: [{ role: 'picture1', href: 'https://media.example.no/p/1.jpg', type: 'picture', headline: 'Tomten i Skien' }],
        formatVersion: '2.1',
      },
    ],
  },
  {
    file: 'ninjs-3.0-tt-style.json',
    type: 'application/ninjs+json; version=3.0',
    format: 'ninjs',
    stories: [
      {
        version: 2,
        pubStatus: 'withheld',
        language: 'sv',
        embargo: '2024-05-03T05:00:00.000Z',
        expires: '2024-06-01T00:00:00.000Z',
        editorNote: 'Embargo till fredag 07.00',
        subjects: [{ name: 'Politik', uri: 'http://wire.example.se/spec/subref/1.0/11000000' }, { scheme: 'medtop', code: '20000621', name: 'val', uri: 'http://cv.iptc.org/newscodes/mediatopic/20000621' }],
        associations: [{ role: 'image1', href: 'https://media.example.se/abc-preview.jpg', type: 'picture' }],
        formatVersion: '3.0',
      },
    ],
  },
];

describe('agency dialects -> canonical stories', () => {
  it.each(cases)('$file', ({ file, type, format, stories }) => {
    const doc = parse(file, type);
    expect(doc.format).toBe(format);
    expect(doc.stories).toHaveLength(stories.length);
    stories.forEach(({ bodyHtmlIs, ...expected }, i) => {
      const s = doc.stories[i]!;
      // Arrays compare exactly (order and length), objects inside them by the fields listed.
      expect(s).toMatchObject(expected);
      if (bodyHtmlIs !== undefined) expect(s.bodyHtml).toBe(bodyHtmlIs);
      if (s.paragraphs.length) expect(s.bodyHtml).toMatch(/^<(p|h\d|blockquote|table|ul|ol)\b/);
    });
  });

  it('detects every fixture without a content type too, with the same stories', () => {
    // Undeclared ninjs is validated against the newest version it satisfies: only formatVersion may differ.
    const same = (stories: CanonicalStory[]) => stories.map((s) => ({ ...s, formatVersion: s.format === 'ninjs' ? undefined : s.formatVersion }));
    for (const { file, type } of cases) {
      expect(same(parse(file).stories)).toEqual(same(parse(file, type).stories));
    }
  });
});

const g2 = (meta: string, content = '', extra = '') =>
  `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1" version="2"><itemMeta><itemClass qcode="ninat:text"/><provider literal="X"/><versionCreated>2024-05-02T10:00:00Z</versionCreated>${meta}</itemMeta><contentMeta><language tag="en"/><headline>H</headline></contentMeta>${content}${extra}</newsItem>`;
const text = '<contentSet><inlineData contenttype="text/plain">Body.</inlineData></contentSet>';

describe('G2 details by the standard', () => {
  it.each([
    ['empty embargoed = until further notice (held)', '<embargoed/>', { embargo: undefined, embargoUnreadable: 'until further notice' }],
    ['date-only embargo lifts when the day has begun everywhere', '<embargoed>2024-05-03</embargoed>', { embargo: '2024-05-03T12:00:00.000Z' }],
    ['local time without offset is held, with a warning', '<embargoed>2024-05-03T06:00:00</embargoed>', { embargoUnreadable: '2024-05-03T06:00:00' }],
    ['pubStatus by URI', '<pubStatus uri="http://cv.iptc.org/newscodes/pubstatusg2/withheld"/>', { pubStatus: 'withheld' }],
    ['British spelling of canceled', '<pubStatus qcode="stat:cancelled"/>', { pubStatus: 'canceled' }],
  ])('%s', (_name, meta, expected) => {
    const [s] = parseDocument('application/xml', g2(meta, text)).stories;
    expect(s).toMatchObject({ headline: 'H', paragraphs: ['Body.'], ...expected });
  });

  it('uses itemMeta/title when contentMeta has no headline, and reads xml:lang from the item', () => {
    const xml = `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1" xml:lang="uk-UA"><itemMeta><itemClass qcode="ninat:text"/><provider literal="X"/><versionCreated>2024-05-02T10:00:00Z</versionCreated><title>Заголовок</title></itemMeta>${text}</newsItem>`;
    expect(parseDocument(undefined, xml).stories[0]).toMatchObject({ headline: 'Заголовок', language: 'uk' });
  });

  it('prefers the inline NITF over XHTML and text, whatever their order', () => {
    const set = `<contentSet><inlineData contenttype="text/plain">Plain.</inlineData><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>XHTML.</p></body></html></inlineXML><inlineXML contenttype="application/nitf+xml"><nitf xmlns="http://iptc.org/std/NITF/2006-10-18/"><body><body.content><p>NITF.</p></body.content></body></nitf></inlineXML></contentSet>`;
    const [s] = parseDocument('application/xml', g2('', set)).stories;
    expect(s).toMatchObject({ paragraphs: ['NITF.'], bodyHtml: '<p>NITF.</p>' });
  });

  it('decodes HTML named entities that NITF/XHTML producers use without a DTD', () => {
    const set = '<contentSet><inlineXML contenttype="application/xhtml+xml"><body><p>A&nbsp;&mdash;&nbsp;B &eacute;t&eacute;</p></body></inlineXML></contentSet>';
    expect(parseDocument('application/xml', g2('', set)).stories[0]!.paragraphs).toEqual(['A — B été']);
  });

  it('reads every itemSet of a message and names items by set in XPaths', () => {
    const item = (guid: string) => g2('', text).replace('guid="urn:x:1"', `guid="${guid}"`).replace(' xmlns="http://iptc.org/std/nar/2006-10-01/"', '');
    const msg = `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2024-05-02T10:00:00Z</sent></header><itemSet>${item('a')}</itemSet><itemSet>${item('b')}<newsItem version="1"/></itemSet></newsMessage>`;
    expect(errorOf(() => parseDocument('application/xml', msg))).toMatchObject({ status: 422, pointer: '/newsMessage/itemSet[2]/newsItem[2]/@guid' });
    const ok = msg.replace('<newsItem version="1"/>', '');
    expect(parseDocument('application/xml', ok).stories.map((s) => s.externalId)).toEqual(['a', 'b']);
  });
});

describe('unknown or unsupported structures are clear 4xx problems', () => {
  it.each([
    ['a groupSet fragment', '<groupSet root="G1"><group id="G1"/></groupSet>', 422, 'unsupported_document', '/groupSet', /inside a packageItem/],
    ['a contentMeta fragment', '<contentMeta><headline>x</headline></contentMeta>', 422, 'unsupported_document', '/contentMeta', /inside a newsItem/],
    ['a concept item', '<conceptItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="c" version="1"/>', 422, 'unsupported_item_kind', '/conceptItem', /not supported/],
    ['a message of knowledge items only', '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet><knowledgeItem guid="k"/></itemSet></newsMessage>', 422, 'unsupported_item_kind', '/newsMessage/itemSet', /no newsItem/],
    ['a newsItem in another namespace', '<newsItem xmlns="http://example.com/ns" guid="g"/>', 422, 'schema_violation', '/newsItem', /namespace/],
    ['an unknown prefixed root', '<x:doc xmlns:x="urn:x"><x:p/></x:doc>', 422, 'unsupported_document', '/x:doc', /not a supported root/],
    ['an undeclared non-HTML entity', '<nitf><body><body.content><p>&bogus;</p></body.content></body></nitf>', 400, 'malformed_xml', '/', /undeclared entity/],
    ['NITF DOCTYPE with an internal subset', '<!DOCTYPE nitf SYSTEM "nitf-3-3.dtd" [<!ENTITY x "y">]><nitf/>', 400, 'doctype_forbidden', '/', /DOCTYPE/],
  ])('%s -> %s %s', (_name, xml, status, code, pointer, message) => {
    const e = errorOf(() => parseDocument('application/xml', xml));
    expect(e).toMatchObject({ status, code, pointer });
    expect(e.message).toMatch(message);
  });
});

describe('media types and sniffing', () => {
  const nitf = readFileSync(join(dir, 'nitf-3.3-full.xml'));
  it.each([
    'application/vnd.iptc.g2.newsitem+xml',
    'application/vnd.iptc.g2.newsmessage+xml',
    'application/nitf+xml',
    'application/rss+xml',
    'application/atom+xml',
    'text/xml',
    'application/xml',
    'application/octet-stream',
    undefined,
  ])('%s: the root element decides the format', (type) => {
    expect(parseDocument(type, decodeBody(type, nitf)).format).toBe('nitf');
  });
});

describe('body encodings', () => {
  const nitf = (decl: string, body: string) => `${decl}<nitf><body><body.head><hedline><hl1>Zürich</hl1></hedline></body.head><body.content><p>${body}</p></body.content></body></nitf>`;
  it.each([
    ['ISO-8859-1 declared', undefined, Buffer.from(nitf('<?xml version="1.0" encoding="ISO-8859-1"?>', 'Genève'), 'latin1'), 'Genève'],
    ['windows-1252 declared (euro sign)', undefined, Buffer.concat([Buffer.from(nitf('<?xml version="1.0" encoding="windows-1252"?>', 'Genève ').replace(/<\/p>.*/, ''), 'latin1'), Buffer.from([0x80]), Buffer.from('</p></body.content></body></nitf>')]), 'Genève €'],
    ['charset parameter wins over the declaration', 'application/xml; charset=iso-8859-1', Buffer.from(nitf('<?xml version="1.0" encoding="UTF-8"?>', 'Genève'), 'latin1'), 'Genève'],
    ['UTF-16LE with BOM', undefined, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(nitf('<?xml version="1.0" encoding="UTF-16"?>', 'Genève'), 'utf16le')]), 'Genève'],
    ['UTF-8 BOM and CRLF', undefined, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(nitf('<?xml version="1.0"?>\r\n', 'Gen\r\nève'), 'utf8')]), 'Gen ève'],
  ])('%s', (_name, type, bytes, paragraph) => {
    const [s] = parseDocument(type, decodeBody(type, bytes)).stories;
    expect(s).toMatchObject({ headline: 'Zürich', paragraphs: [paragraph] });
  });

  it.each([
    ['UTF-7 declared', undefined, '<?xml version="1.0" encoding="UTF-7"?><nitf/>', 400, 'invalid_encoding'],
    ['an unknown declared encoding', undefined, '<?xml version="1.0" encoding="x-martian"?><nitf/>', 400, 'invalid_encoding'],
    ['UTF-7 charset parameter', 'application/xml; charset=utf-7', '<nitf/>', 415, 'unsupported_charset'],
    ['invalid UTF-8', 'application/xml', Buffer.from([0x3c, 0x72, 0x3e, 0xff, 0x3c, 0x2f, 0x72, 0x3e]), 400, 'invalid_encoding'],
  ])('%s -> %s %s', (_name, type, body, status, code) => {
    expect(errorOf(() => decodeBody(type, Buffer.isBuffer(body) ? body : Buffer.from(body)))).toMatchObject({ status, code });
  });
});
