/**
 * Routing on topic relevance, through the real intake, tagging worker and router: a route on
 * sport (medtop:15000000) takes a sports story and not a politics story that mentions a match,
 * and the story API shows each topic's score and whether it passed the routing threshold.
 */
import { loadStoryTags } from '@syndication/routing';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, createRoutedChannel, pushStory, waitSettled } from '../support/fixtures';

const SPORT = 'medtop:15000000';

const SPORTS_STORY = `Rovers beat City 3-1 to reach the cup final

Rovers scored twice in the second half to beat City 3-1 on Saturday and reach the cup final, where they will meet the league champions. The striker signed in January scored his tenth goal of the season.

The home side's coach said his team had finally found its form. The prime minister, a lifelong fan, watched the match from the stands.`;

const POLITICS_STORY = `Parliament passes budget after all-night debate

Parliament approved the government budget on Thursday after an all-night debate, with lawmakers voting 214 to 198. The finance minister said the budget would cut the deficit.

Opposition parties promised to fight the tax rises in the upper house. Several members of parliament had left the chamber to watch the football match on television.`;

describe('routing on topic relevance', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(() => system?.stop());

  it('a sport route takes the sports story and not the politics story that mentions a match', async () => {
    const partner = await createPartner(system.db, 'topic-relevance');
    const sport = await createRoutedChannel(system.db, partner, 'feed', { title: 'sport' }, ['source'], { topics: [SPORT] });

    const sports = await pushStory(system.intakeUrl, partner.apiKey, SPORTS_STORY);
    const politics = await pushStory(system.intakeUrl, partner.apiKey, POLITICS_STORY);
    expect([sports.status, politics.status]).toEqual([202, 202]);
    const sportsView = await waitSettled(system.intakeUrl, partner.apiKey, sports.body['id'] as string);
    const politicsView = await waitSettled(system.intakeUrl, partner.apiKey, politics.body['id'] as string);

    expect(sportsView.versions[0]!.deliveries.map((d) => [d.channel, d.status])).toEqual([[sport.slug, 'delivered']]);
    expect(politicsView.versions[0]!.deliveries).toEqual([]);
    const rows = (await system.db.query(
      `SELECT count(*)::int AS count FROM delivery d JOIN story_version v ON v.id = d.story_version_id
        WHERE d.channel_id = $1 AND v.story_id = $2`,
      [sport.id, politics.body['id']],
    )) as Array<{ count: number }>;
    expect(rows[0]?.count).toBe(0);

    // The API shows every topic's relevance and its routing flag; the routable ones decide.
    const topics = (view: typeof sportsView) => view.versions[0]!.tags.filter((t) => t.kind === 'topic');
    for (const tag of [...topics(sportsView), ...topics(politicsView)]) {
      expect(tag.score).toBeGreaterThan(0);
      expect(tag.score).toBeLessThanOrEqual(1);
      expect(typeof tag.routable).toBe('boolean');
    }
    const sportTags = await system.db.query(
      `SELECT t.code, t.routable FROM tag t JOIN story_version v ON v.id = t.story_version_id
        WHERE v.story_id = $1 AND t.kind = 'topic' AND (t.code = $2 OR t.detail->'ancestors' ? $2)`,
      [sports.body['id'], SPORT],
    );
    expect(sportTags).toEqual(expect.arrayContaining([expect.objectContaining({ routable: true })]));
    const politicsRoutable = topics(politicsView).filter((t) => t.routable);
    expect(politicsRoutable.length).toBeGreaterThan(0);
    const politicsSport = (await system.db.query(
      `SELECT count(*)::int AS count FROM tag t JOIN story_version v ON v.id = t.story_version_id
        WHERE v.story_id = $1 AND t.kind = 'topic' AND t.routable AND (t.code = $2 OR t.detail->'ancestors' ? $2)`,
      [politics.body['id'], SPORT],
    )) as Array<{ count: number }>;
    expect(politicsSport[0]?.count).toBe(0);
  });

  it('reads only routable topic tags for routing (entities always)', async () => {
    const partner = await createPartner(system.db, 'topic-flag');
    const pushed = await pushStory(system.intakeUrl, partner.apiKey, POLITICS_STORY.replace('all-night', 'late-night'));
    const view = await waitSettled(system.intakeUrl, partner.apiKey, pushed.body['id'] as string);
    const versionId = view.versions[0]!.id;
    // A sport topic the tagger might have stored below the threshold, and one above it.
    await system.db.query(
      `INSERT INTO tag (story_version_id, kind, code, label, score, routable, source, detail) VALUES
         ($1, 'topic', 'medtop:20000822', 'sports competition', 0.2, false, 'test', '{"ancestors": ["medtop:15000000"]}'),
         ($1, 'topic', 'medtop:20000849', 'baseball', 0.8, true, 'test', '{"ancestors": ["medtop:20000822", "medtop:15000000"]}'),
         ($1, 'place', 'Q42', 'Somewhere', 0.1, true, 'test', '{}')`,
      [versionId],
    );
    const tags = await loadStoryTags(system.db.manager, versionId);
    const codes = tags.topics.map((t) => t.code);
    expect(codes).toContain('medtop:20000849');
    expect(codes).not.toContain('medtop:20000822');
    expect(tags.entities).toContain('Q42');
  });
});
