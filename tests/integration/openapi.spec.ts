/**
 * The served OpenAPI document cannot rot: every route the intake app registers (read from its
 * Express router, so nothing is missed) must be described with its method, and Swagger UI at
 * /docs is served from local assets only.
 */
import { startSystem, type RunningSystem } from '../support/system';

jest.setTimeout(30_000);

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

describe('OpenAPI document', () => {
  let system: RunningSystem;
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>>; components: { securitySchemes: Record<string, unknown> } };

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    const res = await fetch(`${system.intakeUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as typeof doc;
  });
  afterAll(() => system?.stop());

  function registeredRoutes(): string[] {
    const express = system.intake.getHttpAdapter().getInstance() as { router: { stack: Layer[] } };
    return express.router.stack
      .filter((l) => l.route)
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m.toUpperCase()} ${l.route!.path}`))
      // Swagger UI's own pages and assets are the viewer, not the API.
      .filter((r) => !/ \/docs(\/|$)/.test(r));
  }

  it('describes every route the app registers, with its method', () => {
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(15);
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const missing = routes.map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}')).filter((r) => !described.includes(r));
    expect(missing).toEqual([]);
    // And nothing is described that the app does not serve.
    const served = new Set(routes.map((r) => r.replace(/:([A-Za-z0-9_]+)/g, '{$1}')));
    expect(described.filter((d) => !served.has(d))).toEqual([]);
  });

  it('is OpenAPI 3.1 and names the bearer and signature schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(
      ['adminToken', 'apiKey', 'signature', 'signatureKeyId', 'signatureNonce', 'signatureTimestamp'].sort(),
    );
    const push = doc.paths['/v1/stories']!['post'] as { requestBody: { content: Record<string, unknown> }; responses: Record<string, unknown> };
    expect(Object.keys(push.requestBody.content)).toEqual(expect.arrayContaining(['text/plain', 'application/ninjs+json', 'application/vnd.iptc.g2.newsitem+xml', 'application/nitf+xml', 'application/rss+xml']));
    expect(push.responses['401']).toEqual({ $ref: '#/components/responses/Problem401' });
  });

  it('serves Swagger UI at /docs from local assets', async () => {
    const page = await fetch(`${system.intakeUrl}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    // Every script and stylesheet the page loads is relative (served by the intake itself).
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    expect(assets.filter((a) => /^(https?:)?\/\//.test(a))).toEqual([]);
    for (const a of assets) {
      const res = await fetch(new URL(a, page.url));
      expect([a, res.status]).toEqual([a, 200]);
    }
    const init = await (await fetch(`${system.intakeUrl}/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('"validatorUrl": null');
  });
});
