/**
 * What real partners send, through the real HTTP intake (and the feed poller): Superdesk-style
 * ninjs (`guid`, no `uri`) read as a dialect with warnings unless the partner is strict or a
 * version is declared; feeds repeating an item collapsed, pushed or polled; NITF's external
 * DOCTYPE accepted and never fetched; metadata-only items stored but never routed; and a
 * declared language the platform does not translate kept and published in that language.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FeedPollService } from '../../apps/feed-poller/src/feed-poll.service';
import { type FakeFeedServer, startFakeFeedServer } from '../support/fake-feed';
import { createPartner, createRoutedChannel, getStory, pushStory, waitSettled, type TestPartner } from '../support/fixtures';
import { admin } from '../support/partners';
import { startSystem, type RunningSystem } from '../support/system';

jest.setTimeout(60_000);

const fixtures = join(__dirname, '..', '..', 'libs', 'formats', 'fixtures');
const superdesk = readFileSync(join(fixtures, 'superdesk', 'superdesk-text.json'), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('wire dialects through the HTTP intake', () => {
  let system: RunningSystem;
  let feeds: FakeFeedServer;
  let partner: TestPartner;

  beforeAll(async () => {
    feeds = await startFakeFeedServer();
    system = await startSystem({ env: { FEED_SYNC_INTERVAL_MS: '200' } });
    partner = await createPartner(system.db, 'wire');
  }, 60_000);
  afterAll(async () => {
    // Feeds outlive the test in the shared database: later systems' pollers must not poll them.
    await system?.db.query('DELETE FROM polled_feed WHERE partner_id IN (SELECT id FROM partner WHERE slug LIKE $1)', ['wire-%']);
    await system?.stop();
    await feeds?.stop();
  }, 30_000);

  async function storedVersions(p: TestPartner): Promise<Array<{ external_id: string; headline: string; warnings: string[]; stage: string; language: string }>> {
    return system.db.query(
      `SELECT s.external_id, v.headline, v.warnings, v.stage, v.language FROM story_version v JOIN story s ON s.id = v.story_id
        WHERE s.partner_id = $1 ORDER BY s.external_id, v.version`,
      [p.id],
    );
  }

  describe('Superdesk ninjs (guid, no uri)', () => {
    it('is accepted by default, its deviations in the answer and stored with the version', async () => {
      const p = await createPartner(system.db, 'wire-sd');
      const res = await pushStory(system.intakeUrl, p.apiKey, superdesk, 'application/json');
      expect(res.status).toBe(202);
      const warnings = res.body['warnings'] as string[];
      expect(warnings).toEqual(expect.arrayContaining(['ninjs dialect superdesk: no uri; the story is identified by guid', expect.stringMatching(/not mapped: .*\/priority/)]));
      const [row] = await storedVersions(p);
      expect(row).toMatchObject({ external_id: JSON.parse(superdesk).guid, headline: 'Harbour bridge reopens after eight weeks of repairs', warnings });
      const view = await getStory(system.intakeUrl, p.apiKey, res.body['id'] as string);
      expect(view.body.versions[0]!.warnings).toEqual(warnings);
      expect(view.body.versions[0]!.canonical).toMatchObject({ dialect: 'superdesk', byline: 'Kari Example', extra: { desk: 'Western Norway' } });
    });

    it('is refused when the version is declared (media type or the partner\'s ninjs_version), like the IPTC suite', async () => {
      const p = await createPartner(system.db, 'wire-decl');
      const declared = await pushStory(system.intakeUrl, p.apiKey, superdesk, 'application/ninjs+json; version=1.6');
      expect(declared.status).toBe(422);
      expect(declared.body).toMatchObject({ code: 'schema_violation' });
      expect(await admin(system, 'PATCH', `/v1/admin/partners/${p.slug}`, { ninjs_version: '1.6' })).toMatchObject({ status: 200 });
      const byPartner = await pushStory(system.intakeUrl, p.apiKey, superdesk, 'application/json');
      expect(byPartner.status).toBe(422);
      expect(await storedVersions(p)).toEqual([]);
    });

    it('follows the partner switch: strict refuses the dialect, dialects reads it again', async () => {
      const p = await createPartner(system.db, 'wire-strict');
      expect((await admin(system, 'GET', `/v1/admin/partners/${p.slug}`)).body).toMatchObject({ format_mode: 'dialects' });
      expect(await admin(system, 'PATCH', `/v1/admin/partners/${p.slug}`, { format_mode: 'lax' })).toMatchObject({ status: 422 });
      const strict = await admin(system, 'PATCH', `/v1/admin/partners/${p.slug}`, { format_mode: 'strict' });
      expect(strict).toMatchObject({ status: 200, body: { format_mode: 'strict' } });
      const refused = await pushStory(system.intakeUrl, p.apiKey, superdesk, 'application/json');
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ code: 'schema_violation', errors: expect.arrayContaining([expect.objectContaining({ pointer: '/uri' })]) });
      await admin(system, 'PATCH', `/v1/admin/partners/${p.slug}`, { format_mode: 'dialects' });
      expect((await pushStory(system.intakeUrl, p.apiKey, superdesk, 'application/json')).status).toBe(202);
    });
  });

  describe('feeds that repeat an item', () => {
    const rssItem = (guid: string, title: string, pubDate: string, body = 'The council met on Tuesday and approved the plan for the harbour district.') =>
      `<item><guid>${guid}</guid><title>${title}</title><description>&lt;p&gt;${body}&lt;/p&gt;</description><pubDate>${pubDate}</pubDate></item>`;
    const rss = (items: string[]) => `<?xml version="1.0"?><rss version="2.0"><channel><title>P</title><link>https://p.example/</link><language>en</language>${items.join('')}</channel></rss>`;

    it('pushed: identical repeats collapse, a differing repeat keeps the latest, the rest of the feed is stored', async () => {
      const p = await createPartner(system.db, 'wire-rep');
      const doc = rss([
        rssItem('urn:r:1', 'Council approves harbour plan', 'Wed, 01 May 2024 10:00:00 GMT'),
        rssItem('urn:r:2', 'Ferry timetable changes', 'Wed, 01 May 2024 09:00:00 GMT', 'The ferry company published a new summer timetable for the island routes.'),
        rssItem('urn:r:1', 'Council approves harbour plan after long debate', 'Wed, 01 May 2024 12:00:00 GMT'),
        rssItem('urn:r:2', 'Ferry timetable changes', 'Wed, 01 May 2024 09:00:00 GMT', 'The ferry company published a new summer timetable for the island routes.'),
      ]);
      const res = await pushStory(system.intakeUrl, p.apiKey, doc, 'application/rss+xml');
      expect(res.status).toBe(202);
      const items = res.body['items'] as Array<{ external_id: string; status: string; warnings?: string[] }>;
      expect(items.map((i) => [i.external_id, i.status])).toEqual([['urn:r:1', 'accepted'], ['urn:r:2', 'accepted']]);
      expect(items[0]!.warnings).toEqual(['/items/0 and /items/2 carry story urn:r:1 with different content; kept /items/2 (later updated/published time), dropped /items/0']);
      expect(items[1]!.warnings).toEqual(['/items/3 repeats /items/1 (story urn:r:2) identically; collapsed into one']);
      const rows = await storedVersions(p);
      expect(rows.map((r) => [r.external_id, r.headline])).toEqual([['urn:r:1', 'Council approves harbour plan after long debate'], ['urn:r:2', 'Ferry timetable changes']]);
      expect(rows[1]!.warnings).toEqual(items[1]!.warnings);
    });

    it('an older copy after the newer one keeps the newer one (time, not document order)', async () => {
      const p = await createPartner(system.db, 'wire-rep2');
      const doc = rss([
        rssItem('urn:r:9', 'Updated headline', 'Wed, 01 May 2024 12:00:00 GMT'),
        rssItem('urn:r:9', 'First headline', 'Wed, 01 May 2024 10:00:00 GMT'),
      ]);
      const res = await pushStory(system.intakeUrl, p.apiKey, doc, 'application/rss+xml');
      expect(res.status).toBe(202);
      expect((await storedVersions(p)).map((r) => r.headline)).toEqual(['Updated headline']);
      expect(res.body['warnings']).toEqual(['/items/1 and /items/0 carry story urn:r:9 with different content; kept /items/0 (later updated/published time), dropped /items/1']);
    });

    it('polled: a feed with a repeated guid is ingested, nothing refused', async () => {
      const p = await createPartner(system.db, 'wire-poll');
      const body = 'The regional council approved the budget for the next year after a long debate about roads.';
      feeds.feeds.set('/repeats.rss', {
        format: 'rss',
        validators: 'none',
        items: [
          { guid: 'urn:poll:1', title: 'Budget approved', body, pubDate: 'Wed, 01 May 2024 10:00:00 GMT' },
          { guid: 'urn:poll:2', title: 'Roads plan', body: `${body} Roads.`, pubDate: 'Wed, 01 May 2024 10:00:00 GMT' },
          { guid: 'urn:poll:1', title: 'Budget approved', body, pubDate: 'Wed, 01 May 2024 10:00:00 GMT' },
          { guid: 'urn:poll:2', title: 'Roads plan, updated', body: `${body} Roads, updated.`, pubDate: 'Wed, 01 May 2024 11:00:00 GMT' },
        ],
      });
      const reg = await fetch(`${system.intakeUrl}/v1/feeds`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${feeds.base}/repeats.rss`, interval_seconds: 3600 }),
      });
      expect(reg.status).toBe(201);
      const feedId = ((await reg.json()) as { id: string }).id;
      const deadline = Date.now() + 20_000;
      let last: Record<string, unknown> | null = null;
      while (Date.now() < deadline) {
        const rows: Array<{ last_status: string | null; last_result: Record<string, unknown> | null }> = await system.db.query('SELECT last_status, last_result FROM polled_feed WHERE id = $1', [feedId]);
        if (rows[0]?.last_status) {
          last = rows[0].last_result;
          expect(rows[0].last_status).toBe('ok');
          break;
        }
        await sleep(100);
      }
      expect(last).toMatchObject({ accepted: 2, rejected: 0 });
      expect((await storedVersions(p)).map((r) => [r.external_id, r.headline])).toEqual([['urn:poll:1', 'Budget approved'], ['urn:poll:2', 'Roads plan, updated']]);
      // Polling again ingests nothing new and refuses nothing.
      expect(await system.poller!.get(FeedPollService).poll(feedId)).toMatchObject({ status: 'ok', accepted: 0, rejected: 0 });
    });
  });

  describe('NITF external DOCTYPE', () => {
    let dtdServer: Server;
    let dtdHits = 0;
    beforeAll(async () => {
      dtdServer = createServer((_req, res) => {
        dtdHits++;
        res.end('<!ENTITY x "y">');
      });
      await new Promise<void>((r) => dtdServer.listen(0, '127.0.0.1', r));
    });
    afterAll(() => new Promise<void>((r) => dtdServer.close(() => r())));

    it('is accepted (agency fixture, PUBLIC form) and the DTD is never fetched', async () => {
      const xml = readFileSync(join(fixtures, 'dialects', 'nitf-3.4-doctype.xml'), 'utf8');
      const res = await pushStory(system.intakeUrl, partner.apiKey, xml, 'application/nitf+xml');
      expect(res.status).toBe(202);
      const { port } = dtdServer.address() as AddressInfo;
      const local = `<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "http://127.0.0.1:${port}/nitf-3-4.dtd"><nitf><head><docdata><doc-id id-string="urn:nitf:dtd-url"/></docdata></head><body><body.head><hedline><hl1>Storm closes mountain pass</hl1></hedline></body.head><body.content><p>The mountain pass was closed on Monday because of heavy snow.</p></body.content></body></nitf>`;
      expect((await pushStory(system.intakeUrl, partner.apiKey, local, 'application/xml')).status).toBe(202);
      expect(dtdHits).toBe(0);
      const rows = await storedVersions(partner);
      expect(rows.map((r) => r.external_id)).toEqual(expect.arrayContaining(['urn:example:nitf:2026:bridge-0412', 'urn:nitf:dtd-url']));
    });

    it('with an internal subset, or any other DOCTYPE, is still refused and nothing is written', async () => {
      const p = await createPartner(system.db, 'wire-dtd');
      for (const doctype of ['<!DOCTYPE nitf SYSTEM "nitf-3-4.dtd" [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '<!DOCTYPE r SYSTEM "nitf-3-4.dtd">']) {
        const res = await pushStory(system.intakeUrl, p.apiKey, `${doctype}<nitf><body><body.content><p>&x;</p></body.content></body></nitf>`, 'application/xml');
        expect(res.status).toBe(400);
        expect(res.body['code']).toBe('doctype_forbidden');
      }
      expect(await storedVersions(p)).toEqual([]);
    });
  });

  it('metadata only (no headline, no body, nothing attached) is stored with a no_content warning and never routed', async () => {
    const p = await createPartner(system.db, 'wire-meta');
    await createRoutedChannel(system.db, p, 'feed', { title: 'all' }, ['source']);
    const hop = `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:example.org:hop-only" version="2" standard="NewsML-G2" standardversion="2.35" xml:lang="en-US"><hopHistory><hop seq="1" timestamp="2026-04-12T06:00:00Z"><party qcode="comp:example"/><action qcode="hopaction:created" target="hatarget:content"/></hop></hopHistory><itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:example"/><versionCreated>2026-04-12T07:00:00Z</versionCreated><pubStatus qcode="stat:usable"/></itemMeta></newsItem>`;
    const res = await pushStory(system.intakeUrl, p.apiKey, hop, 'application/vnd.iptc.g2.newsitem+xml');
    expect(res.status).toBe(202);
    expect(res.body['warnings']).toEqual([expect.stringMatching(/^no_content: /)]);
    const [row] = await storedVersions(p);
    expect(row).toMatchObject({ external_id: 'urn:newsml:example.org:hop-only', stage: 'stored' });
    const versionId = res.body['version_id'] as string;
    // Given time to route, it is not: no outbox work, no delivery, though a catch-all route exists.
    await sleep(1500);
    const outbox: Array<{ n: number }> = await system.db.query(`SELECT count(*)::int AS n FROM outbox WHERE payload->>'versionId' = $1`, [versionId]);
    const deliveries: Array<{ n: number }> = await system.db.query('SELECT count(*)::int AS n FROM delivery WHERE story_version_id = $1', [versionId]);
    expect([outbox[0]!.n, deliveries[0]!.n]).toEqual([0, 0]);
    const view = await getStory(system.intakeUrl, p.apiKey, res.body['id'] as string);
    expect(view.body.versions[0]!.stages).toMatchObject({ translate: 'skipped', tag: 'skipped' });
  });

  it('a declared language the platform does not translate is kept: published in it, translation unsupported', async () => {
    const p = await createPartner(system.db, 'wire-zh');
    await createRoutedChannel(system.db, p, 'feed', { title: 'zh' }, ['source', 'en']);
    const doc = {
      uri: 'urn:example:zh:1',
      version: '1',
      language: 'zh-Hans',
      headline: '港口大桥维修八周后重新开放',
      body_text: '港口大桥周日上午在维修八周后重新通车，市政府表示。\n\n工程师更换了两个支座并重新铺设了桥面。',
    };
    const res = await pushStory(system.intakeUrl, p.apiKey, JSON.stringify(doc), 'application/ninjs+json');
    expect(res.status).toBe(202);
    const view = await waitSettled(system.intakeUrl, p.apiKey, res.body['id'] as string);
    const v = view.versions[0]!;
    expect(v.language).toBe('zh');
    expect(v.translations.map((t) => [t.language, t.status])).toEqual([['en', 'unsupported']]);
    const byLang = Object.fromEntries(v.deliveries.map((d) => [d.language, d.status]));
    expect(byLang['zh']).toBe('delivered');
    expect(byLang['en']).not.toBe('delivered');
  });

  it('a Norwegian RSS item keeps nb (detection would say und)', async () => {
    const p = await createPartner(system.db, 'wire-nb');
    const rss = `<rss version="2.0"><channel><title>NTB</title><language>nb-NO</language><item><guid>urn:nb:1</guid><title>Havnebrua åpner igjen etter reparasjon</title><description>Havnebrua ble åpnet for trafikk søndag morgen etter åtte uker med reparasjoner, opplyser kommunen.</description></item></channel></rss>`;
    expect((await pushStory(system.intakeUrl, p.apiKey, rss, 'application/rss+xml')).status).toBe(202);
    expect((await storedVersions(p))[0]).toMatchObject({ language: 'nb' });
  });
});
