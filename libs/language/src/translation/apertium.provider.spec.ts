/**
 * The real engine: starts Debian's APy with startApy and translates through ApertiumProvider.
 * Fails (never skips) when Apertium is missing: the suite is meant to prove the engine works here.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApertiumProvider } from './apertium.provider';
import { findApertium, startApy, type ApyServer } from './apy-server';
import { TranslationUnsupportedError } from './provider';

const INSTALL_HINT = 'apt-get install -y apertium-apy apertium-rus-ukr apertium-eng-spa';

function seedParagraphs(): string[] {
  const raw = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'centralasia-2026-02-07-ru.txt'), 'utf8');
  return raw.split(/\n\s*\n/u).map((p) => p.trim());
}

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('ApertiumProvider with the real APy', () => {
  let apy: ApyServer | undefined;
  let provider: ApertiumProvider;
  let workDir: string;

  beforeAll(async () => {
    if (!findApertium()) throw new Error(`Apertium APy is not installed (${INSTALL_HINT})`);
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'apy-spec-'));
    apy = await startApy({ port: 0, workDir });
    provider = new ApertiumProvider(apy.url);
  }, 40_000);

  afterAll(async () => {
    await apy?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('finds Apertium on this machine', () => {
    expect(findApertium()).toEqual({
      apy: '/usr/bin/apertium-apy',
      python: '/usr/bin/python3',
      pairsDir: '/usr/share/apertium',
    });
  });

  it('listens on loopback only', async () => {
    const port = Number(new URL(apy?.url ?? '').port);
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    expect(await refused('127.0.0.1', port)).toBe(false);
    if (external) expect(await refused(external.address, port)).toBe(true);
  });

  it('lists the installed pairs in our codes', async () => {
    const pairs = await provider.supportedPairs();
    expect(pairs).toEqual(
      expect.arrayContaining([
        { source: 'ru', target: 'uk' },
        { source: 'uk', target: 'ru' },
        { source: 'en', target: 'es' },
      ]),
    );
  });

  it('translates the seed ru -> uk, paragraph for paragraph', async () => {
    const source = seedParagraphs();
    const { segments, unknownWordRatio } = await provider.translate({ source: 'ru', target: 'uk', segments: source });

    expect(segments).toHaveLength(source.length);
    segments.forEach((segment) => expect(segment.length).toBeGreaterThan(0));
    const text = segments.join('\n');
    expect(text).toMatch(/[іїє]/u);
    // Known words map; "Монголии" itself is not in this pair's dictionary and passes through.
    expect(segments[1]).toContain('Державний департамент США');
    expect(segments[1]).toContain('делегацій');
    expect(segments[2]).toContain('критично важливих');
    expect(segments[1]).toContain('Монголии');
    // Marks are stripped; the seed has no asterisks or hashes of its own.
    expect(text).not.toMatch(/[*#]/u);
    expect(unknownWordRatio).toBeGreaterThan(0);
    expect(unknownWordRatio).toBeLessThan(0.5);
  });

  it('translates uk -> ru through the patched reverse mode', async () => {
    const { segments } = await provider.translate({
      source: 'uk',
      target: 'ru',
      segments: ['Державний департамент США провів конференцію.'],
    });
    expect(segments[0]).toContain('Государственный департамент США');
  });

  it('decodes HTML entities before APy sees them', async () => {
    const { segments } = await provider.translate({
      source: 'ru',
      target: 'uk',
      segments: ['&laquo;Международная встреча&raquo; прошла в Вашингтоне.'],
    });
    expect(segments[0]).toMatch(/^«Міжнародна зустріч»/u);
  });

  it('translates en -> es', async () => {
    const { segments } = await provider.translate({
      source: 'en',
      target: 'es',
      segments: ['The government approved a new budget for next year.'],
    });
    expect(segments[0]).toMatch(/gobierno/iu);
    expect(segments[0]).toMatch(/presupuesto/iu);
  });

  it('rejects ru -> en, which has no pair, as unsupported', async () => {
    expect(await provider.supports('ru', 'en')).toBe(false);
    await expect(provider.translate({ source: 'ru', target: 'en', segments: ['Привет'] })).rejects.toBeInstanceOf(
      TranslationUnsupportedError,
    );
  });

  it('answers 400 for a pair it does not have (the contract the provider maps)', async () => {
    const res = await fetch(`${apy?.url}/translate`, {
      method: 'POST',
      body: new URLSearchParams({ langpair: 'rus|eng', q: 'Привет' }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/pair is not installed/u);
  });

  it('stops: the process and its port are gone', async () => {
    const server = apy;
    if (!server) throw new Error('APy did not start');
    const port = Number(new URL(server.url).port);
    await server.stop();
    expect(() => process.kill(server.pid, 0)).toThrow(/ESRCH/u);
    expect(await refused('127.0.0.1', port)).toBe(true);
    await server.stop();
  });
});
