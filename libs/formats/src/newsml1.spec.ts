import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FormatError } from './canonical';
import { parseDocument } from './detect';

const fixture = (f: string) => readFileSync(join(__dirname, '..', 'fixtures', 'newsml1', f), 'utf8');
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e as FormatError;
  }
  throw new Error('expected a rejection');
};

// Expected values follow IPTC's own ninjs conversions of these files (ninjs repository, examples/{1.4,2.1,3.0}).
const CASES = [
  {
    file: 'businesswire-newsml-20130515006361.xml',
    id: '20130515006361',
    headline: 'Dell Redefines Workstation Computing Boundaries with Smallest Tower and Most Powerful Rack Workstations',
    first: /^Dell today announced an expanded and stronger Dell Precision workstation portfolio/,
    last: 'Availability of Dell Precision T1700s in Argentina in the coming months',
    language: 'en',
    time: '2013-05-16T04:01:00.000Z',
    dateline: 'ROUND ROCK, Texas',
    keywords: ['United States', 'Technology', 'Data Management', 'Texas'],
    assoc: [
      { role: 'logo', type: 'graphic', href: 'http://mms.businesswire.com/media/newsItemId/en/221373/3/dell_blue_rgb.jpg' },
      { role: 'photo', type: 'picture', href: 'http://mms.businesswire.com/media/newsItemId/en/369395/3/00095.jpg' },
      { role: 'photo', type: 'picture', href: 'http://mms.businesswire.com/media/newsItemId/en/369394/3/0025lf.jpg' },
    ],
  },
  {
    file: 'businesswire-newsml-20130605006126.xml',
    id: '20130605006126',
    headline: 'Cambrios被Gartner評選為「最酷供應商」',
    first: /^\(美國商業資訊\)--為透明及軟性導體市場提供銀奈米線解決方案的領導廠商Cambrios Technologies Corporation今天宣布/,
    last: '免責聲明：本公告之原文版本乃官方授權版本。譯文僅供方便瞭解之用，煩請參照原文，原文版本乃唯一具法律效力之版本。',
    language: 'zh',
    time: '2013-06-05T21:00:00.000Z',
    dateline: '加州桑尼維爾',
    keywords: ['United States', 'Nanotechnology', 'California', 'Engineering'],
    assoc: [{ role: 'logo', type: 'graphic', href: 'http://mms.businesswire.com/media/newsItemId/zh/352685/2/CambriosLogoFinal.jpg' }],
  },
  {
    file: 'businesswire-newsml-20130612006110.xml',
    id: '20130612006110',
    headline: 'APP发布“2020 可持续发展路线图”第三次工作进展报告，并将继续落实森林保护政策',
    first: /^亚洲浆纸业有限公司（Asia Pulp & Paper, 以下简称 APP）近日发布其“2020可持续发展路线图”第三次工作进展报告/,
    last: /^成立于1999年的森林协会TFT.*www\.tft-forests\.org。$/,
    language: 'zh',
    time: '2013-06-12T15:29:00.000Z',
    dateline: '印尼雅加达',
    keywords: ['Asia Pacific', 'Forest Products'],
    subheadline: '旗下浆纸厂将于2013年8月全面停止接收天然林木材',
  },
  {
    file: 'businesswire-newsml-20130731006140.xml',
    id: '20130731006140',
    headline: 'Lunch Taking a Toll? Let Applebee’s® Industrial Strength Lunch Decoy Stand In',
    first: /^With more Applebee’s® Lunch Combos than ever – enough to try a new combination every workday for a year/,
    last: /^Applebee’s Neighborhood Grill and Bar® \(www\.applebees\.com\) is the world’s largest casual dining chain/,
    language: 'en',
    time: '2013-07-31T15:32:00.000Z',
    dateline: 'KANSAS CITY, Mo.',
    keywords: ['Missouri', 'Restaurant/Bar', 'Food/Beverage'],
    assoc: [{ role: 'video', type: 'video' }, { role: 'logo', type: 'graphic' }],
  },
];

describe('NewsML 1.2 (Business Wire, from the IPTC ninjs examples)', () => {
  it.each(CASES)('$file', (c) => {
    const doc = parseDocument('text/xml', fixture(c.file));
    expect(doc.format).toBe('newsml1');
    expect(doc.stories).toHaveLength(1);
    const s = doc.stories[0]!;
    expect(s).toMatchObject({
      format: 'newsml1',
      externalId: `urn:newsml:businesswire.com:20010714:${c.id}`,
      version: 1,
      versionCreated: c.time,
      firstCreated: c.time,
      pubStatus: 'usable',
      itemType: 'text',
      headline: c.headline,
      dateline: c.dateline,
      language: c.language,
      formatVersion: '1.2',
      rights: { copyrightNotice: 'Copyright Business Wire 2013' },
    });
    expect(s.paragraphs[0]).toMatch(c.first);
    const last = s.paragraphs[s.paragraphs.length - 1]!;
    if (typeof c.last === 'string') expect(last).toBe(c.last);
    else expect(last).toMatch(c.last);
    // Contacts, stylesheets and headline components are not the body.
    expect(s.paragraphs.join(' ')).not.toMatch(/bwlistitemmargb|\{margin/);
    expect(s.bodyHtml).toMatch(/^<p>/);
    expect(s.subjects).toEqual(expect.arrayContaining(c.keywords.map((name) => ({ scheme: 'keyword', name }))));
    if (c.subheadline) expect(s.subheadline).toBe(c.subheadline);
    if (c.assoc) expect(s.associations).toMatchObject(c.assoc);
    expect(s.byline).toBeUndefined();
  });

  it('picks the video rendition of a video component, not its poster frames', () => {
    const s = parseDocument('text/xml', fixture('businesswire-newsml-20130731006140.xml')).stories[0]!;
    expect(s.associations?.[0]?.mimetype).toMatch(/^video\//);
  });

  it('is detected without a media type and under application/octet-stream', () => {
    for (const ct of [undefined, 'application/octet-stream', 'application/xml']) {
      expect(parseDocument(ct, fixture('businesswire-newsml-20130605006126.xml')).format).toBe('newsml1');
    }
  });
});

const item = (id: string, rev: number, status: string, body: string, extra = '') => `
  <NewsItem>
    <Identification><NewsIdentifier>
      <ProviderId>example.com</ProviderId><DateId>20240501</DateId><NewsItemId>${id}</NewsItemId>
      <RevisionId PreviousRevision="${rev - 1}" Update="${rev > 1 ? 'U' : 'N'}">${rev}</RevisionId>
      <PublicIdentifier>urn:newsml:example.com:20240501:${id}:${rev}${rev > 1 ? 'U' : ''}</PublicIdentifier>
    </NewsIdentifier></Identification>
    <NewsManagement>
      <NewsItemType FormalName="News"/>
      <FirstCreated>20240501T080000+0000</FirstCreated>
      <ThisRevisionCreated>20240501T0930+0200</ThisRevisionCreated>
      <Status FormalName="${status}"/>${extra}
    </NewsManagement>
    ${body}
  </NewsItem>`;

const NITF_COMPONENT = `
    <n:NewsComponent>
      <n:NewsLines><n:HeadLine>Parliament passes budget</n:HeadLine><n:ByLine>By Jane Doe</n:ByLine><n:DateLine>BERLIN, May 1</n:DateLine></n:NewsLines>
      <n:RightsMetadata><n:Copyright><n:CopyrightHolder>Example Agency</n:CopyrightHolder><n:CopyrightDate>2024</n:CopyrightDate></n:Copyright></n:RightsMetadata>
      <n:DescriptiveMetadata>
        <n:Language FormalName="de"/>
        <n:SubjectCode><n:Subject FormalName="11000000" Scheme="IptcSubjectCodes"/><n:SubjectMatter FormalName="11006000"/></n:SubjectCode>
        <n:Location HowPresent="Origin"><n:Property FormalName="City" Value="Berlin"/><n:Property FormalName="Country" Value="Germany"/></n:Location>
      </n:DescriptiveMetadata>
      <n:ContentItem>
        <n:MediaType FormalName="Text"/><n:MimeType FormalName="text/vnd.IPTC.NITF"/>
        <n:DataContent><nitf><body><body.content><p>Der Bundestag hat den Haushalt beschlossen.</p><p>Die Opposition stimmte dagegen.</p></body.content></body></nitf></n:DataContent>
      </n:ContentItem>
    </n:NewsComponent>`;

describe('NewsML 1.x documents', () => {
  it('maps a prefixed NITF item: id without revision, version, dates, urgency, subjects, places, rights, byline', () => {
    const xml = `<n:NewsML xmlns:n="urn:example:newsml" Version="1.1">${item('A1', 3, 'Usable', NITF_COMPONENT, '<Urgency FormalName="2"/>').replace(/<(\/?)(?!n:)([A-Z])/g, '<$1n:$2')}</n:NewsML>`;
    const [s] = parseDocument('text/xml', xml).stories;
    expect(s).toMatchObject({
      externalId: 'urn:newsml:example.com:20240501:A1',
      version: 3,
      versionCreated: '2024-05-01T07:30:00.000Z',
      firstCreated: '2024-05-01T08:00:00.000Z',
      urgency: 2,
      headline: 'Parliament passes budget',
      byline: 'Jane Doe',
      dateline: 'BERLIN, May 1',
      paragraphs: ['Der Bundestag hat den Haushalt beschlossen.', 'Die Opposition stimmte dagegen.'],
      language: 'de',
      subjects: [
        { scheme: 'subj', code: '11000000' },
        { scheme: 'subj', code: '11006000' },
      ],
      places: [{ name: 'Berlin, Germany' }],
      rights: { copyrightHolder: 'Example Agency', copyrightNotice: '© 2024 Example Agency' },
      formatVersion: '1.1',
    });
  });

  it('a canceled item needs no content and keeps the shared id', () => {
    const [s] = parseDocument('text/xml', `<NewsML Version="1.2">${item('A1', 2, 'Canceled', '')}</NewsML>`).stories;
    expect(s).toMatchObject({ externalId: 'urn:newsml:example.com:20240501:A1', version: 2, pubStatus: 'canceled', headline: '', paragraphs: [] });
  });

  it('an embargoed item is usable with the embargo from StatusWillChange; without a time it is held', () => {
    const body = `<NewsComponent><NewsLines><HeadLine>H</HeadLine></NewsLines><ContentItem><MediaType FormalName="Text"/><MimeType FormalName="text/plain"/><DataContent>One.\n\nTwo.</DataContent></ContentItem></NewsComponent>`;
    const change = '<StatusWillChange><FutureStatus FormalName="Usable"/><DateAndTime>20240502T060000+0000</DateAndTime></StatusWillChange>';
    const [s] = parseDocument('text/xml', `<NewsML>${item('E1', 1, 'Embargoed', body, change)}</NewsML>`).stories;
    expect(s).toMatchObject({ pubStatus: 'usable', embargo: '2024-05-02T06:00:00.000Z', paragraphs: ['One.', 'Two.'] });
    const [held] = parseDocument('text/xml', `<NewsML>${item('E1', 1, 'Embargoed', body)}</NewsML>`).stories;
    expect(held).toMatchObject({ pubStatus: 'usable', embargoUnreadable: 'until further notice' });
    expect(held!.embargo).toBeUndefined();
  });

  it('two NewsItems are two stories; lenient mode sets a bad one aside', () => {
    const good = (id: string) => item(id, 1, 'Usable', `<NewsComponent><NewsLines><HeadLine>Story ${id}</HeadLine></NewsLines><ContentItem><DataContent><html><body><p>Text ${id}.</p></body></html></DataContent></ContentItem></NewsComponent>`);
    const doc = parseDocument('application/xml', `<NewsML><NewsEnvelope><DateAndTime>20240501T080000Z</DateAndTime></NewsEnvelope>${good('B1')}${good('B2')}</NewsML>`);
    expect(doc.stories.map((s) => [s.externalId, s.headline, s.paragraphs])).toEqual([
      ['urn:newsml:example.com:20240501:B1', 'Story B1', ['Text B1.']],
      ['urn:newsml:example.com:20240501:B2', 'Story B2', ['Text B2.']],
    ]);
    const bad = item('B3', 1, 'Usable', '<NewsComponent><NewsLines><HeadLine>No text</HeadLine></NewsLines></NewsComponent>');
    const strict = errorOf(() => parseDocument('text/xml', `<NewsML>${good('B1')}${bad}</NewsML>`));
    expect(strict).toMatchObject({ status: 422, code: 'missing_field', pointer: '/NewsML/NewsItem[2]/NewsComponent/ContentItem' });
    const lenient = parseDocument('text/xml', `<NewsML>${good('B1')}${bad}</NewsML>`, { lenient: true });
    expect(lenient.stories).toHaveLength(1);
    expect(lenient.rejected?.map((r) => [r.index, r.error.code])).toEqual([[1, 'missing_field']]);
  });

  it.each([
    ['no NewsItem', '<NewsML><NewsEnvelope><DateAndTime>20240501T080000Z</DateAndTime></NewsEnvelope></NewsML>', 'missing_field', '/NewsML/NewsItem'],
    ['no identifier', '<NewsML><NewsItem><NewsComponent/></NewsItem></NewsML>', 'missing_field', '/NewsML/NewsItem[1]/Identification/NewsIdentifier'],
    ['unknown status', `<NewsML>${item('S', 1, 'Pending', '')}</NewsML>`, 'unsupported_value', '/NewsML/NewsItem[1]/NewsManagement/Status/@FormalName'],
    ['no NewsComponent', `<NewsML>${item('S', 1, 'Usable', '')}</NewsML>`, 'missing_field', '/NewsML/NewsItem[1]/NewsComponent'],
    ['an Update item', `<NewsML>${item('S', 2, 'Usable', '<Update><InsertAfter DuidRef="x"/></Update>')}</NewsML>`, 'unsupported_item_kind', '/NewsML/NewsItem[1]/Update'],
    [
      'text only by reference',
      `<NewsML>${item('S', 1, 'Usable', '<NewsComponent><NewsLines><HeadLine>H</HeadLine></NewsLines><ContentItem Href="http://example.com/t.txt"><MediaType FormalName="Text"/></ContentItem></NewsComponent>')}</NewsML>`,
      'unsupported_content',
      '/NewsML/NewsItem[1]/NewsComponent/ContentItem',
    ],
    [
      'text without a headline',
      `<NewsML>${item('S', 1, 'Usable', '<NewsComponent><ContentItem><DataContent>Body.</DataContent></ContentItem></NewsComponent>')}</NewsML>`,
      'missing_field',
      '/NewsML/NewsItem[1]/NewsComponent/NewsLines/HeadLine',
    ],
    ['a NewsML 2 root', '<NewsML Version="2.0"><NewsItem/></NewsML>', 'unsupported_document', '/NewsML/@Version'],
  ])('%s -> 4xx with an XPath', (_name, xml, code, pointer) => {
    expect(errorOf(() => parseDocument('text/xml', xml))).toMatchObject({ status: 422, code, pointer });
  });
});
