/**
 * Tenant isolation, route by route: every partner-scoped route the intake registers (read from
 * its Express router, so a new route is covered, or fails as unclassified, without anyone
 * remembering this file) x every method it serves, called by partner A with partner B's
 * stories, feeds, clean-up rules and glossary terms. B's objects answer 404 exactly like missing
 * ones (never 403, which would confirm they exist), lists never show them, and afterwards every
 * one of B's objects is unchanged. The same routes answer A's own objects (so a 404 is not
 * vacuous), and random ids are 404 too.
 */
import { randomUUID } from 'node:crypto';
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, type TestPartner } from '../support/fixtures';

jest.setTimeout(60_000);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

type Kind = 'story' | 'feed' | 'rule';

/** The resource each `/:id` route prefix names. A new prefix with ids must be added here. */
const ID_PREFIXES: Record<string, Kind> = { '/v1/stories': 'story', '/v1/feeds': 'feed', '/v1/cleanup-rules': 'rule' };
/** Routes without partner data in them, or outside the partner API. */
const NOT_PARTNER_SCOPED = [/^\/health\//, /^\/openapi\.json$/, /^\/docs(\/|$)/, /^\/v1\/admin\//, /^\/v1\/translation\/providers$/];

interface Objects {
  story: string;
  storyUri: string;
  feed: string;
  feedUrl: string;
  rule: string;
  rulePattern: string;
  term: string;
}

interface Answer {
  status: number;
  text: string;
}

describe('tenant isolation: every partner route x method', () => {
  let system: RunningSystem;
  let a: TestPartner;
  let b: TestPartner;
  let ofB: Objects;
  let ofA: Objects;

  async function call(p: TestPartner, method: string, path: string, body?: unknown): Promise<Answer> {
    const ctl = new AbortController();
    // An event stream that opens never ends by itself: its status is all this test needs.
    const timer = setTimeout(() => ctl.abort(), 20_000);
    try {
      const res = await fetch(`${system.intakeUrl}${path}`, {
        method,
        signal: ctl.signal,
        headers: { authorization: `Bearer ${p.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const streaming = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
      const text = streaming ? '' : await res.text();
      ctl.abort();
      return { status: res.status, text };
    } finally {
      clearTimeout(timer);
    }
  }

  async function objectsOf(p: TestPartner, tag: string): Promise<Objects> {
    const storyUri = `urn:tenant:${tag}:${randomUUID()}`;
    const story = await call(p, 'POST', '/v1/stories', { uri: storyUri, version: '1', headline: `Story of ${tag}`, body_text: `A body paragraph written by ${tag}.`, language: 'en' });
    expect(story.status).toBe(202);
    const feedUrl = `https://feeds-${tag}.example.com/wire-${randomUUID()}.rss`;
    const feed = await call(p, 'POST', '/v1/feeds', { url: feedUrl });
    expect(feed.status).toBe(201);
    const rulePattern = `Footer of ${tag} ${randomUUID()}`;
    const rule = await call(p, 'POST', '/v1/cleanup-rules', { kind: 'paragraph', pattern: rulePattern, reason: 'agency_footer' });
    expect(rule.status).toBe(201);
    const term = `term-${tag}-${randomUUID().slice(0, 8)}`;
    const glossary = await call(p, 'PUT', '/v1/glossary/ru/en', { terms: [{ term, translation: `translation of ${tag}` }] });
    expect(glossary.status).toBe(200);
    const id = (t: string) => (JSON.parse(t) as { id: string }).id;
    return { story: id(story.text), storyUri, feed: id(feed.text), feedUrl, rule: id(rule.text), rulePattern, term };
  }

  /** B's objects as B sees them, in a form that shows any change. */
  async function stateOfB(): Promise<unknown> {
    const [story] = await system.db.query('SELECT latest_version, pubstatus, updated_at FROM story WHERE id = $1', [ofB.story]);
    const [versions] = await system.db.query('SELECT count(*)::int AS n FROM story_version WHERE story_id = $1', [ofB.story]);
    const [feed] = await system.db.query('SELECT url, interval_seconds, enabled, updated_at FROM polled_feed WHERE id = $1', [ofB.feed]);
    const [rule] = await system.db.query('SELECT pattern, enabled FROM partner_cleanup_rule WHERE id = $1', [ofB.rule]);
    const glossary = await system.db.query(
      'SELECT source_language, target_language, term, translation FROM glossary_term WHERE partner_id = $1 ORDER BY 1, 2, 3',
      [b.id],
    );
    return { story, versions, feed, rule, glossary };
  }

  function registeredRoutes(): Array<{ method: string; path: string }> {
    const express = system.intake.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    return express.router.stack
      .filter((l) => l.route)
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => ({ method: m.toUpperCase(), path: l.route!.path })))
      .filter((r) => !NOT_PARTNER_SCOPED.some((re) => re.test(r.path)));
  }

  /** The route's path with the given objects' ids in it, or undefined for a route this test does not know. */
  function fill(path: string, o: Objects | 'random'): string | undefined {
    const m = /^(\/v1\/[a-z-]+)\/:id(\/.*)?$/.exec(path);
    if (m) {
      const kind = ID_PREFIXES[m[1]!];
      if (!kind) return undefined;
      return `${m[1]}/${o === 'random' ? randomUUID() : o[kind]}${m[2] ?? ''}`;
    }
    if (path === '/v1/glossary/:source/:target') return '/v1/glossary/ru/en';
    if (path === '/v1/glossary/:source/:target/:term') return `/v1/glossary/ru/en/${o === 'random' ? 'no-such-term' : encodeURIComponent(o.term)}`;
    if (!path.includes(':')) return path;
    return undefined;
  }

  /** A body the route accepts, so a refusal is about ownership rather than shape. */
  function bodyFor(method: string, path: string, o: Objects): unknown {
    if (method === 'GET' || method === 'DELETE') return undefined;
    if (path === '/v1/stories' || path === '/v1/routes/preview') {
      return { uri: o.storyUri, version: '1', headline: 'A headline of A', body_text: 'A body paragraph of A, reusing the uri of B.', language: 'en' };
    }
    if (path === '/v1/feeds') return { url: o.feedUrl };
    if (path === '/v1/cleanup-rules') return { kind: 'paragraph', pattern: o.rulePattern, reason: 'agency_footer' };
    if (path === '/v1/glossary/:source/:target') return { terms: [{ term: o.term, translation: 'overwritten by A' }] };
    if (path === '/v1/glossary/:source/:target/:term') return { translation: 'overwritten by A' };
    if (path.endsWith('/withdraw')) return { reason: 'withdrawn by A' };
    return {};
  }

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    [a, b] = [await createPartner(system.db, 'tenant-a'), await createPartner(system.db, 'tenant-b')];
    ofB = await objectsOf(b, 'b');
    ofA = await objectsOf(a, 'a');
  }, 60_000);
  afterAll(() => system?.stop());

  it('knows every partner-scoped route the app registers', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.filter((r) => fill(r.path, ofB) === undefined).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it("never shows or changes B's objects to A: 404 for each of them, and B's state unchanged", async () => {
    const before = await stateOfB();
    // What only B's rows hold: their ids and B's own text. (A's requests reuse B's story uri, feed
    // URL, rule pattern and glossary term on purpose, so A's own rows may show those.)
    const secrets = [ofB.story, ofB.feed, ofB.rule, 'Story of b', 'written by b', 'translation of b'];
    const outcomes: string[] = [];
    for (const { method, path } of registeredRoutes()) {
      const url = fill(path, ofB)!;
      // A sends its own body, but reuses B's identifiers (story uri, feed URL, rule pattern, term).
      const res = await call(a, method, url, bodyFor(method, path, ofB)).catch((err: Error) => {
        throw new Error(`${method} ${path}: ${err.message}`);
      });
      const names = path.includes(':id') || path.endsWith('/:term');
      // The problem's `instance` echoes the path A itself sent: A's input, not B's data.
      const shown = res.text.replaceAll(url.split('?')[0]!, '');
      const leaked = secrets.filter((s) => shown.includes(s));
      outcomes.push(`${method} ${path} -> ${res.status}${leaked.length ? ` LEAK ${leaked.join(',')}` : ''}`);
      expect(res.status).toBeLessThan(500);
      if (names && !(method === 'PUT' && path.endsWith('/:term'))) {
        // Naming one of B's objects: exactly what a missing one answers.
        expect(`${method} ${path} -> ${res.status}`).toBe(`${method} ${path} -> 404`);
      } else {
        expect(res.status).not.toBe(403);
      }
      expect(leaked).toEqual([]);
    }
    // Status by the partner's own uri: A pushed that uri above, so A finds its own story, never B's.
    const byUri = await call(a, 'GET', `/v1/stories?uri=${encodeURIComponent(ofB.storyUri)}`);
    expect(byUri.status).toBe(200);
    expect(secrets.filter((x) => byUri.text.includes(x))).toEqual([]);
    expect(await stateOfB()).toEqual(before);
    expect(outcomes.length).toBeGreaterThanOrEqual(15);
  });

  it('answers random ids with 404, and A its own objects (so the 404s above are about ownership)', async () => {
    for (const { method, path } of registeredRoutes().filter((r) => r.path.includes(':id'))) {
      const random = await call(a, method, fill(path, 'random')!, bodyFor(method, path, ofA));
      expect(`${method} ${path} random -> ${random.status}`).toBe(`${method} ${path} random -> 404`);
    }
    // Read-only first, then the routes that change or remove (so each sees its object intact).
    const own = registeredRoutes()
      .filter((r) => r.path.includes(':id') || r.path.endsWith('/:term'))
      .sort((x, y) => Number(x.method !== 'GET') - Number(y.method !== 'GET'));
    for (const { method, path } of own) {
      const res = await call(a, method, fill(path, ofA)!, bodyFor(method, path, ofA));
      expect(`${method} ${path} own -> ${res.status < 400 ? 'ok' : res.status}`).toBe(`${method} ${path} own -> ok`);
    }
  });
});
