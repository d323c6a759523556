/**
 * The README's path for a new user, with the compiled apps: `npm start` (the launcher) brings the
 * system up as separate processes and pushes the seed; the partner CLI pushes, waits and reads the
 * status; Ctrl-C (SIGINT) stops every process it started.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { recreateDatabase } from '@syndication/database';
import { SEED_FILE, TEST_DATABASE_URL, TEST_REDIS_URL, readState } from '../support/env';
import { freePort } from '../support/ports';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const launcherJs = join(root, 'dist', 'apps', 'launcher', 'src', 'main.js');
const cliJs = join(root, 'dist', 'apps', 'partner-cli', 'src', 'main.js');

describe('npm start + partner CLI (compiled, separate processes)', () => {
  // Derived from the suite's database so parallel suites (other checkouts) never share it.
  const dbUrl = `${TEST_DATABASE_URL}_launcher`;
  const prefix = `launch${process.pid}`;
  let launcher: ChildProcess;
  let output = '';
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!existsSync(launcherJs)) throw new Error('dist/ is missing: npm test builds it first (npm run build)');
    await recreateDatabase(dbUrl);
    const [intake, feed, hook, dashboard] = [await freePort(), await freePort(), await freePort(), await freePort()];
    env = {
      ...process.env,
      DATABASE_URL: dbUrl,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      INTAKE_PORT: String(intake),
      FEED_PORT: String(feed),
      DEMO_WEBHOOK_PORT: String(hook),
      // The workers' metrics servers take base+1..base+5.
      METRICS_PORT_BASE: String(await freePort()),
      DASHBOARD_PORT: String(dashboard),
      APERTIUM_URL: readState().apertiumUrl,
      SYNDICATION_DATA_DIR: mkdtempSync(join(tmpdir(), 'syndication-launcher-')),
      SYNDICATION_URL: `http://127.0.0.1:${intake}`,
    };
    // Its own process group, so a failed run can kill the launcher and every app it started at once.
    launcher = spawn(process.execPath, [launcherJs], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    launcher.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    launcher.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    // Eight app processes boot at once; on a busy two-core CI machine that takes a while.
    const deadline = Date.now() + 200_000;
    while (!output.includes('Ctrl-C stops everything')) {
      if (launcher.exitCode !== null || Date.now() > deadline) throw new Error(`launcher did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 230_000);

  afterAll(async () => {
    if (launcher?.pid !== undefined && launcher.exitCode === null) {
      try {
        process.kill(-launcher.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    const redis = new IORedis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('pushed the seed at start-up and the CLI sees it delivered to the feed and the webhook', async () => {
    expect(output).toMatch(/seed story pushed: 202 accepted/);
    const pushed = await run(process.execPath, [cliJs, 'push', SEED_FILE, '--json'], { env });
    const { id, status_url, status } = JSON.parse(pushed.stdout) as { id: string; status_url: string; status: string };
    expect(status).toBe('duplicate'); // the launcher already pushed it
    expect(status_url).toBe(`${env['SYNDICATION_URL']}/v1/stories/${id}`);
    const waited = await run(process.execPath, [cliJs, 'wait', id, '--json', '--timeout', '60'], { env });
    const view = JSON.parse(waited.stdout) as {
      settled: boolean;
      status: string;
      versions: Array<{ language: string; translations: Array<{ language: string; status: string }>; deliveries: Array<{ channel: string; language: string; status: string }> }>;
    };
    expect(view.settled).toBe(true);
    expect(view.status).toBe('published');
    expect(view.versions[0]!.translations).toEqual([expect.objectContaining({ language: 'uk', status: 'done' })]);
    expect(view.versions[0]!.deliveries.map((d) => `${d.channel}/${d.language}/${d.status}`).sort()).toEqual([
      'demo-feed/uk/delivered',
      'demo-webhook/ru/delivered',
      'demo-webhook/uk/delivered',
    ]);
    const rss = await (await fetch(`http://127.0.0.1:${env['FEED_PORT']}/feeds/demo-feed.rss`)).text();
    expect(rss).toMatch(/Державний департамент США/);
    // The launcher's demo receiver verified both signed deliveries.
    await new Promise((r) => setTimeout(r, 700));
    expect(output.match(/webhook received .* verified=true/g)).toHaveLength(2);
  }, 90_000);

  it('signs pushes with the demo HMAC key when given one, and the intake refuses a wrong secret', async () => {
    const signedEnv = { ...env, SYNDICATION_SIGNING_KEY_ID: 'demo-hmac', SYNDICATION_SIGNING_SECRET: 'demo-hmac-secret-change-me' };
    const pushed = await run(process.execPath, [cliJs, 'push', SEED_FILE, '--json'], { env: signedEnv });
    const { id, status } = JSON.parse(pushed.stdout) as { id: string; status: string };
    expect(status).toBe('duplicate');
    const seen = await run(process.execPath, [cliJs, 'status', id, '--json'], { env: signedEnv });
    expect((JSON.parse(seen.stdout) as { id: string }).id).toBe(id);
    await expect(
      run(process.execPath, [cliJs, 'push', SEED_FILE, '--sign-secret', 'not-the-secret'], { env: signedEnv }),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/401 invalid_signature/) });
    // The launcher enabled the admin API with its demo token.
    const partners = await fetch(`${env['SYNDICATION_URL']}/v1/admin/partners`, { headers: { authorization: 'Bearer demo-admin-token-change-me' } });
    expect(partners.status).toBe(200);
  }, 30_000);

  it('every process answers /metrics and /health/ready (the URLs the launcher prints)', async () => {
    const line = output.split('\n').find((l) => l.includes('metrics & health:'));
    expect(line).toBeDefined();
    const urls = [...line!.matchAll(/(http:\/\/[\d.]+:\d+)\/metrics/g)].map((m) => m[1]!);
    // intake, feed server, ops dashboard, relay, translation, tagging, publisher, feed poller
    expect(urls).toHaveLength(8);
    for (const base of urls) {
      const metrics = await fetch(`${base}/metrics`);
      expect([base, metrics.status]).toEqual([base, 200]);
      expect(await metrics.text()).toContain('process_cpu_seconds_total');
      const ready = await fetch(`${base}/health/ready`);
      expect([base, ready.status]).toEqual([base, 200]);
    }
  }, 30_000);

  it('prints the ops dashboard URL and demo admin, who logs in and finds the seed story on the overview', async () => {
    const base = `http://127.0.0.1:${env['DASHBOARD_PORT']}`;
    expect(output).toContain(`ops dashboard:     ${base}  (log in as demo-admin / demo-admin-password-change-me`);
    const form = await fetch(`${base}/login`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
    const loginCookie = form.headers.get('set-cookie')!.split(';')[0]!;
    const login = await fetch(`${base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: loginCookie },
      body: new URLSearchParams({ _csrf: csrf, username: 'demo-admin', password: 'demo-admin-password-change-me', next: '/ops' }).toString(),
    });
    expect(login.status).toBe(303);
    const session = login.headers.getSetCookie().find((c) => c.startsWith('ops_session='))!.split(';')[0]!;
    const overview = await (await fetch(`${base}/ops`, { headers: { cookie: session } })).text();
    expect(overview).toMatch(/Батцэцэг приняла участие/);
  }, 30_000);

  it('reports a clear error for a bad file and for a missing story', async () => {
    await expect(run(process.execPath, [cliJs, 'push', '/nonexistent.txt'], { env })).rejects.toMatchObject({ code: 2 });
    await expect(run(process.execPath, [cliJs, 'status', '00000000-0000-4000-8000-000000000000'], { env })).rejects.toMatchObject({
      stderr: expect.stringMatching(/404 not_found/),
    });
  });

  it('stops every process on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', (code) => resolve(code)));
    launcher.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${env['SYNDICATION_URL']}/health/live`)).rejects.toThrow();
  }, 40_000);
});
