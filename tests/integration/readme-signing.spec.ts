/**
 * The README's signed-request examples (curl + openssl, HMAC and Ed25519) are run exactly as
 * written, against the real intake, so the documented scheme cannot drift from the verifier.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { upsertHmacKey, upsertPartner } from '@syndication/database';
import { startSystem, type RunningSystem } from '../support/system';

jest.setTimeout(30_000);

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

function readmeExample(name: string): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- readme-example: ${name} -->\\n( *)\`\`\`sh\\n([\\s\\S]*?)\\n *\`\`\``).exec(readme);
  if (!m) throw new Error(`README has no example named ${name}`);
  const indent = m[1]!.length;
  return m[2]!
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n');
}

describe('README signed-request examples', () => {
  let system: RunningSystem;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    system = await startSystem({ intakeOnly: true });
    // The demo partner and its signing key, as `npm start` provisions them.
    const id = await upsertPartner(system.db.manager, 'demo', 'Demo partner');
    await upsertHmacKey(system.db.manager, id, 'demo-hmac', 'demo-hmac-secret-change-me', system.config.auth.secretsKey);
    env = { PATH: process.env['PATH'], SYNDICATION_URL: system.intakeUrl, ADMIN_TOKEN: system.config.auth.adminToken };
  });
  afterAll(() => system?.stop());

  const storiesOfDemo = async () =>
    (await system.db.query(`SELECT s.external_id FROM story s JOIN partner p ON p.id = s.partner_id WHERE p.slug = 'demo'`)) as Array<{ external_id: string }>;

  it('HMAC: the curl + openssl lines push the seed, signed', async () => {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', readmeExample('hmac')], { cwd: root, env });
    const answer = JSON.parse(stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({ status: 'accepted', version: 1 });
    expect(await storiesOfDemo()).toHaveLength(1);
  });

  it('Ed25519: the lines register a public key and push a signed ninjs story', async () => {
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', readmeExample('ed25519')], { cwd: mkdtempSync(join(tmpdir(), 'readme-ed25519-')), env });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'accepted', version: 1 });
    expect((await storiesOfDemo()).map((s) => s.external_id)).toContain('urn:demo:ed25519:1');
    const [key] = await system.db.query(`SELECT kind, last_used_at FROM partner_key k JOIN partner p ON p.id = k.partner_id WHERE p.slug = 'demo' AND k.kind = 'ed25519'`);
    expect(key.last_used_at).toBeInstanceOf(Date);
  });
});
