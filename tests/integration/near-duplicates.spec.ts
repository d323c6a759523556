/**
 * Near-duplicates across partners: the same story from two agencies (or one agency under two
 * ids) is linked with its similarity and flagged in the status API, never dropped.
 */
import { randomBytes } from 'node:crypto';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, getStory, pushStory, waitSettled } from '../support/fixtures';

/**
 * Detection is global (that is the point), so each test needs a text no other test or suite
 * pushes: words drawn at random from a news vocabulary (two draws share no 3-word shingle), while
 * the realistic-text case is covered by libs/language/src/near-duplicate.spec.ts.
 */
const VOCABULARY = (
  'minister talks deal copper mine export rail border customs record january officials said would signed spring ' +
  'working group survey province capital agency government parliament budget report growth prices rose fell quarter ' +
  'company shares market investors bank rates inflation energy coal gas pipeline power plant election vote court ruling ' +
  'police protest weather storm flood harvest wheat school hospital doctors health visit summit treaty partner trade'
).split(' ');
function wireCopy(): string[] {
  const bytes = randomBytes(45);
  const words = [...bytes].map((x) => VOCABULARY[x % VOCABULARY.length]!);
  return [0, 15, 30].map((at) => `${words.slice(at, at + 15).join(' ')}.`);
}
const PARAGRAPHS = wireCopy();

function ninjs(uri: string, headline: string, paragraphs: string[]): string {
  return JSON.stringify({ uri, version: '1', headline, body_text: paragraphs.join('\n\n'), language: 'en' });
}

/** What a second agency makes of the same wire copy: a new headline, a date added, a word changed. */
const edited = [`${PARAGRAPHS[0]!} On Friday.`, PARAGRAPHS[1]!, PARAGRAPHS[2]!.replace(/^\S+/, 'Reportedly')];

describe('near-duplicates', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  }, 60_000);
  afterAll(() => system?.stop());

  it('links the same story from two partners with its similarity; both are published; neither sees the other', async () => {
    const a = await createPartner(system.db, 'dup-a');
    const b = await createPartner(system.db, 'dup-b');
    await createRoutedChannel(system.db, a, 'feed', { title: 'a' }, ['source']);
    await createRoutedChannel(system.db, b, 'feed', { title: 'b' }, ['source']);
    const first = await pushStory(system.intakeUrl, a.apiKey, ninjs('urn:agency-a:1', 'Mongolia and the US discuss critical minerals', PARAGRAPHS), 'application/json');
    const second = await pushStory(system.intakeUrl, b.apiKey, ninjs('urn:agency-b:77', 'Mongolia, US talk minerals', edited), 'application/json');
    const code = randomBytes(3).toString('hex');
    const unrelated = await pushStory(
      system.intakeUrl,
      b.apiKey,
      ninjs('urn:agency-b:78', 'Coal exports hit a record', [
        `Coal exports through the Qx${code} crossing reached a record in January, customs data showed on Monday.`,
        `Shipments by rail to the terminal rose by a third compared with a year earlier, the operator said.`,
      ]),
      'application/json',
    );
    const [va, vb, vu] = await Promise.all([
      waitSettled(system.intakeUrl, a.apiKey, first.body['id'] as string),
      waitSettled(system.intakeUrl, b.apiKey, second.body['id'] as string),
      waitSettled(system.intakeUrl, b.apiKey, unrelated.body['id'] as string),
    ]);
    expect([va.status, vb.status, vu.status]).toEqual(['published', 'published', 'published']);
    expect(vb.near_duplicates).toEqual([{ id: null, partner: null, similarity: expect.any(Number), same_partner: false }]);
    const similarity = vb.near_duplicates[0]!.similarity;
    expect(similarity).toBeGreaterThanOrEqual(0.5);
    expect(similarity).toBeLessThan(1);
    expect(va.near_duplicates).toEqual([{ id: null, partner: null, similarity, same_partner: false }]);
    expect(vu.near_duplicates).toEqual([]);
    // The link itself (operators will read it) names both stories.
    const links: Array<{ other_story_id: string }> = await system.db.query('SELECT other_story_id FROM story_near_duplicate WHERE story_id = $1', [va.id]);
    expect(links.map((l) => l.other_story_id)).toEqual([vb.id]);
    // The partner's timeline says a near-duplicate was found, without naming it.
    expect(vb.versions[0]!.timeline).toContainEqual(expect.objectContaining({ stage: 'intake', status: 'near_duplicates', detail: { count: 1, best_similarity: similarity } }));
  }, 60_000);

  it('shows a partner its own story under another id in full', async () => {
    const a = await createPartner(system.db, 'dup-self');
    const text = wireCopy();
    const one = await pushStory(system.intakeUrl, a.apiKey, ninjs('urn:self:1', 'Minerals talks', text), 'application/json');
    const two = await pushStory(system.intakeUrl, a.apiKey, ninjs('https://example.org/self/1', 'Minerals talks', text), 'application/json');
    expect(two.status).toBe(202);
    const view = (await getStory(system.intakeUrl, a.apiKey, two.body['id'] as string)).body;
    expect(view.near_duplicates).toEqual([{ id: one.body['id'], partner: a.slug, similarity: 1, same_partner: true }]);
  }, 30_000);

  it('links two partners pushing the same story at the same moment', async () => {
    const a = await createPartner(system.db, 'dup-race-a');
    const b = await createPartner(system.db, 'dup-race-b');
    const text = wireCopy();
    const [x, y] = await Promise.all([
      pushStory(system.intakeUrl, a.apiKey, ninjs('urn:race:a', 'Race', text), 'application/json'),
      pushStory(system.intakeUrl, b.apiKey, ninjs('urn:race:b', 'Race', text), 'application/json'),
    ]);
    expect([x.status, y.status]).toEqual([202, 202]);
    const vx = (await getStory(system.intakeUrl, a.apiKey, x.body['id'] as string)).body;
    const vy = (await getStory(system.intakeUrl, b.apiKey, y.body['id'] as string)).body;
    expect(vx.near_duplicates).toHaveLength(1);
    expect(vy.near_duplicates).toHaveLength(1);
  }, 30_000);
  it('keeps the closest ten links of a story that many copies resemble (no quadratic fan-out)', async () => {
    const p = await createPartner(system.db, 'dup-many');
    const copy = wireCopy();
    const ids: string[] = [];
    for (let i = 0; i < 13; i++) {
      const paragraphs = [copy[0]!, copy[1]!, `${copy[2]!} Copy ${i}.`];
      const res = await pushStory(system.intakeUrl, p.apiKey, ninjs(`urn:dup-many:${i}`, `Copy ${i}`, paragraphs), 'application/json');
      expect(res.status).toBe(202);
      ids.push(res.body['id'] as string);
    }
    const rows: Array<{ n: number }> = await system.db.query(
      `SELECT count(*)::int AS n FROM story_near_duplicate WHERE story_id = $1`,
      [ids[12]],
    );
    // The last copy resembles all twelve before it, and keeps the ten closest.
    expect(rows[0]!.n).toBe(10);
    const view = await getStory(system.intakeUrl, p.apiKey, ids[12]!);
    expect(view.body.near_duplicates).toHaveLength(10);
  });
});
