/**
 * Multi-item documents: all-or-nothing by default; with `Prefer: handling=lenient` each item is
 * accepted or refused on its own (207 listing every item), the good ones committed. And the
 * parse-time budget: a document that takes too long to prepare is refused, nothing written.
 */
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, pushStory, type TestPartner } from '../support/fixtures';

jest.setTimeout(60_000);

const LENIENT = { prefer: 'handling=lenient' };

const rss = (items: string) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Wire</title><language>en</language>${items}</channel></rss>`;
const rssItem = (guid: string, title: string, body = `Body of ${title}, long enough to be a story.`) =>
  `<item><guid>${guid}</guid><title>${title}</title><description>${body}</description><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item>`;
const g2Item = (guid: string, headline: string) =>
  `<newsItem guid="${guid}" version="1"><itemMeta><itemClass qcode="ninat:text"/><versionCreated>2024-05-01T10:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta><contentMeta><language tag="en"/><headline>${headline}</headline></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Body of ${headline}.</p></body></html></inlineXML></contentSet></newsItem>`;
const message = (items: string) => `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2024-05-01T10:00:00Z</sent></header><itemSet>${items}</itemSet></newsMessage>`;

interface ItemEntry {
  index: number;
  status: string;
  external_id?: string;
  id?: string;
  problem?: { code: string; status: number; errors: Array<{ pointer: string }> };
}

describe('intake: partial acceptance of multi-item documents', () => {
  let system: RunningSystem;
  let partner: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    partner = await createPartner(system.db, 'partial');
  }, 30_000);
  afterAll(() => system?.stop());

  async function externalIds(): Promise<string[]> {
    const rows: Array<{ external_id: string }> = await system.db.query('SELECT external_id FROM story WHERE partner_id = $1 ORDER BY external_id', [partner.id]);
    return rows.map((r) => r.external_id);
  }

  it('by default one bad item refuses the whole feed and writes nothing', async () => {
    const doc = rss(rssItem('p1', 'First') + rssItem('p2', 'x'.repeat(600)) + rssItem('p3', 'Third'));
    const res = await pushStory(system.intakeUrl, partner.apiKey, doc, 'application/rss+xml');
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'too_long', errors: [{ pointer: '/rss/channel/item[2]/title' }] });
    expect(await externalIds()).toEqual([]);
  });

  it('lenient: 207 with one entry per item, the good items committed, the bad one named by XPath', async () => {
    const doc = rss(rssItem('p1', 'First') + rssItem('p2', 'x'.repeat(600)) + rssItem('p3', 'Third'));
    const res = await pushStory(system.intakeUrl, partner.apiKey, doc, 'application/rss+xml', LENIENT);
    expect(res.status).toBe(207);
    expect(res.headers.get('preference-applied')).toBe('handling=lenient');
    expect(res.body).toMatchObject({ status: 'partial', format: 'rss', count: 3, accepted: 2, duplicates: 0, rejected: 1 });
    const items = res.body['items'] as ItemEntry[];
    expect(items.map((i) => [i.index, i.status, i.external_id])).toEqual([
      [0, 'accepted', 'p1'],
      [1, 'rejected', undefined],
      [2, 'accepted', 'p3'],
    ]);
    expect(items[1]!.problem).toMatchObject({ status: 422, code: 'too_long', errors: [{ pointer: '/rss/channel/item[2]/title' }] });
    expect(await externalIds()).toEqual(['p1', 'p3']);

    // The partner fixes the item and re-sends the whole feed: the good ones are duplicates now.
    const fixed = await pushStory(system.intakeUrl, partner.apiKey, rss(rssItem('p1', 'First') + rssItem('p2', 'Second') + rssItem('p3', 'Third')), 'application/rss+xml', LENIENT);
    expect(fixed.status).toBe(202);
    expect((fixed.body['items'] as ItemEntry[]).map((i) => i.status)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect(await externalIds()).toEqual(['p1', 'p2', 'p3']);
  });

  it('lenient: a version conflict in a news message refuses that item only (rolled back to its savepoint)', async () => {
    const first = await pushStory(system.intakeUrl, partner.apiKey, message(g2Item('g-a', 'Alpha')), 'application/vnd.iptc.g2.newsmessage+xml');
    expect(first.status).toBe(202);
    const res = await pushStory(system.intakeUrl, partner.apiKey, message(g2Item('g-a', 'Alpha rewritten') + g2Item('g-b', 'Beta')), 'application/vnd.iptc.g2.newsmessage+xml', LENIENT);
    expect(res.status).toBe(207);
    const items = res.body['items'] as ItemEntry[];
    expect(items.map((i) => [i.index, i.status, i.external_id])).toEqual([
      [0, 'rejected', 'g-a'],
      [1, 'accepted', 'g-b'],
    ]);
    expect(items[0]!.problem).toMatchObject({ status: 409, code: 'version_conflict' });
    const versions: Array<{ external_id: string; headline: string }> = await system.db.query(
      `SELECT s.external_id, v.headline FROM story s JOIN story_version v ON v.story_id = s.id WHERE s.partner_id = $1 AND s.external_id LIKE 'g-%' ORDER BY 1`,
      [partner.id],
    );
    expect(versions).toEqual([
      { external_id: 'g-a', headline: 'Alpha' },
      { external_id: 'g-b', headline: 'Beta' },
    ]);
  });

  it('lenient with every item bad is a plain problem+json listing each item, nothing written', async () => {
    const before = await externalIds();
    const res = await pushStory(system.intakeUrl, partner.apiKey, rss(rssItem('q1', 'y'.repeat(600)) + rssItem('q2', 'z'.repeat(600))), 'application/rss+xml', LENIENT);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'no_item_accepted' });
    expect((res.body['errors'] as Array<{ pointer: string }>).map((e) => e.pointer)).toEqual(['/rss/channel/item[1]/title', '/rss/channel/item[2]/title']);
    expect(await externalIds()).toEqual(before);
  });
});

describe('intake: parse-time budget', () => {
  let system: RunningSystem;
  let partner: TestPartner;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true, env: { INTAKE_PARSE_BUDGET_MS: '150' } });
    partner = await createPartner(system.db, 'budget');
  }, 30_000);
  afterAll(() => system?.stop());

  it('refuses a document that takes longer than the budget to prepare (413, nothing written); small ones pass', async () => {
    const paragraph = 'The delegation met ministers in the capital on Tuesday to discuss trade, transport corridors and energy supplies for the coming winter season. ';
    const items = Array.from({ length: 450 }, (_, i) => rssItem(`big-${i}`, `Story number ${i}`, `&lt;p&gt;${paragraph.repeat(12)}&lt;/p&gt;`)).join('');
    const big = rss(items);
    expect(big.length).toBeLessThan(1_048_576);
    const res = await pushStory(system.intakeUrl, partner.apiKey, big, 'application/rss+xml');
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'parse_budget_exceeded' });
    const [{ n }] = await system.db.query('SELECT count(*)::int AS n FROM story WHERE partner_id = $1', [partner.id]);
    expect(n).toBe(0);

    const small = await pushStory(system.intakeUrl, partner.apiKey, rss(rssItem('small-1', 'Small story')), 'application/rss+xml');
    expect(small.status).toBe(202);
  });
});
