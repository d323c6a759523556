/**
 * Per-partner clean-up rules through the HTTP API: a partner's rule removes its own footer (the
 * removed span names the rule), other partners are unaffected, unsafe patterns never get in.
 */
import { startSystem, type RunningSystem } from '../support/system';
import { createPartner, getStory, pushStory, type TestPartner } from '../support/fixtures';

const FOOTER = 'Wire Agency: all our reports at wire.example, every day of the year.';
const RIGHTS = '© 2026 Wire Agency. All rights reserved.';

function story(uri: string): string {
  return JSON.stringify({
    uri,
    version: '1',
    headline: 'Copper prices rise',
    body_text: ['Copper concentrate prices rose by 4% in January, according to the customs office.', FOOTER, RIGHTS].join('\n\n'),
    language: 'en',
  });
}

describe('partner clean-up rules', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
  }, 60_000);
  afterAll(() => system?.stop());

  const rules = (p: TestPartner, method = 'GET', body?: unknown, path = '') =>
    fetch(`${system.intakeUrl}/v1/cleanup-rules${path}`, {
      method,
      headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('removes a partner-specific footer, records the rule, and leaves other partners alone', async () => {
    const a = await createPartner(system.db, 'rules-a');
    const b = await createPartner(system.db, 'rules-b');
    const created = await rules(a, 'POST', { kind: 'paragraph', pattern: '^Wire Agency: all our reports at', reason: 'agency_footer' });
    expect(created.status).toBe(201);
    const rule = (await created.json()) as { id: string; enabled: boolean };
    expect(rule.enabled).toBe(true);

    const pa = await pushStory(system.intakeUrl, a.apiKey, story('urn:rules:a'), 'application/json');
    const va = (await getStory(system.intakeUrl, a.apiKey, pa.body['id'] as string)).body.versions[0]!;
    expect(va.paragraphs).toEqual(['Copper concentrate prices rose by 4% in January, according to the customs office.']);
    // Generic rules first (the rights notice), then the partner's own, each span with what removed it.
    expect(va.removed).toEqual([
      { reason: 'attribution_boilerplate', text: RIGHTS },
      { reason: 'agency_footer', rule: rule.id, text: FOOTER },
    ]);

    const pb = await pushStory(system.intakeUrl, b.apiKey, story('urn:rules:b'), 'application/json');
    const vb = (await getStory(system.intakeUrl, b.apiKey, pb.body['id'] as string)).body.versions[0]!;
    expect(vb.paragraphs).toContain(FOOTER);
    expect(vb.removed).toEqual([{ reason: 'attribution_boilerplate', text: RIGHTS }]);
    expect(((await (await rules(b)).json()) as { rules: unknown[] }).rules).toEqual([]);

    // Another partner cannot disable it; its owner can, and it stops applying.
    expect((await rules(b, 'DELETE', undefined, `/${rule.id}`)).status).toBe(404);
    const disabled = await rules(a, 'DELETE', undefined, `/${rule.id}`);
    expect(((await disabled.json()) as { enabled: boolean }).enabled).toBe(false);
    const again = await pushStory(system.intakeUrl, a.apiKey, story('urn:rules:a2'), 'application/json');
    expect((await getStory(system.intakeUrl, a.apiKey, again.body['id'] as string)).body.versions[0]!.paragraphs).toContain(FOOTER);
  }, 30_000);

  it.each([
    [{ kind: 'paragraph', pattern: '(a+)+$', reason: 'redos' }, 422, 'unsafe_pattern', '/pattern'],
    [{ kind: 'line', pattern: '(\\w+\\s?)*$', reason: 'redos' }, 422, 'unsafe_pattern', '/pattern'],
    [{ kind: 'paragraph', pattern: '(x)\\1', reason: 'backref' }, 422, 'unsafe_pattern', '/pattern'],
    [{ kind: 'paragraph', pattern: '.*', reason: 'everything' }, 422, 'unsafe_pattern', '/pattern'],
    [{ kind: 'sentence', pattern: 'x', reason: 'kind' }, 422, 'invalid_kind', '/kind'],
    [{ kind: 'line', pattern: 'x', reason: 'Not A Slug!' }, 422, 'invalid_reason', '/reason'],
    [{ kind: 'line', pattern: 'x', reason: 'ok', enabled: false }, 400, 'unknown_field', '/enabled'],
  ])('refuses %j on insert', async (body, status, code, pointer) => {
    const p = await createPartner(system.db, 'rules-bad');
    const res = await rules(p, 'POST', body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const problem = (await res.json()) as { code: string; errors: Array<{ pointer: string }> };
    expect(problem.code).toBe(code);
    expect(problem.errors[0]!.pointer).toBe(pointer);
    const stored: Array<{ n: number }> = await system.db.query('SELECT count(*)::int AS n FROM partner_cleanup_rule WHERE partner_id = $1', [p.id]);
    expect(stored[0]!.n).toBe(0);
  }, 30_000);
});
