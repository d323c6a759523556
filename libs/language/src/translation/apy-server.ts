/**
 * Runs a local Apertium APy for development, integration tests and single-machine deployments,
 * working around two problems of the Debian packages (see libs/language/README.md):
 * APy cannot choose its bind address (docker/apertium/apy_loopback.py pins it to loopback), and
 * apertium-tagger segfaults in some pairs (their modes are rewritten to use cg-proc instead).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ApertiumInstall {
  /** The Debian entry point; its presence is what "Apertium is installed" means. */
  apy: string;
  /** Debian's interpreter: its dist-packages hold tornado and apertium_apy (pyenv's do not). */
  python: string;
  /** Root of the installed pairs; the stock modes are in `<pairsDir>/modes`. */
  pairsDir: string;
}

export interface StartApyOptions {
  /** 0 picks a free port. */
  port: number;
  /** Scratch directory for the patched modes and apy.log. */
  workDir: string;
  host?: '127.0.0.1';
  readyTimeoutMs?: number;
}

export interface ApyServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const APY_BIN = '/usr/bin/apertium-apy';
const DEBIAN_PYTHON = '/usr/bin/python3';
const PAIRS_DIR = '/usr/share/apertium';
const WRAPPER = path.join('docker', 'apertium', 'apy_loopback.py');
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5000;

/**
 * Pairs whose `apertium-tagger -g` stage segfaults in Debian's apertium 3.8.3 (empty output, APy
 * answers 503). Their constraint grammar, run again with -1 (first reading) and -n (no surface
 * form), yields the same one-analysis-per-word stream the tagger would have.
 */
const TAGGER_SEGFAULT_PAIRS: ReadonlySet<string> = new Set(['rus-ukr', 'ukr-rus', 'rus-bel']);

export function findApertium(): ApertiumInstall | null {
  if (!fs.existsSync(APY_BIN)) return null;
  return { apy: APY_BIN, python: DEBIAN_PYTHON, pairsDir: PAIRS_DIR };
}

/** The mode with the tagger stage replaced, or unchanged when the pair is not affected. */
export function patchMode(pair: string, mode: string): string {
  if (!TAGGER_SEGFAULT_PAIRS.has(pair)) return mode;
  const stages = mode.trim().split('|').map((s) => s.trim());
  const grammar = stages
    .map((s) => /^cg-proc\b.*?'([^']+\.rlx\.bin)'/u.exec(s)?.[1])
    .find((g): g is string => g !== undefined);
  const rlx = grammar ?? siblingGrammar(pair, stages);
  if (!rlx) return mode;
  return `${stages
    .map((s) => (/^apertium-tagger\s.*-g\b/u.test(s) ? `cg-proc -1 -n -w '${rlx}'` : s))
    .join(' | ')}\n`;
}

/** `<pair>.rlx.bin` next to the tagger's `.prob`, when the mode has no cg-proc stage of its own. */
function siblingGrammar(pair: string, stages: string[]): string | undefined {
  const prob = stages.map((s) => /^apertium-tagger\b.*?'([^']+\.prob)'/u.exec(s)?.[1]).find(Boolean);
  if (!prob) return undefined;
  const candidate = path.join(path.dirname(prob), `${pair}.rlx.bin`);
  return fs.existsSync(candidate) ? candidate : undefined;
}

/** Copies every stock mode into `<workDir>/modes`, patched; APy serves whatever .mode files it finds there. */
function prepareModes(install: ApertiumInstall, workDir: string): string {
  const source = path.join(install.pairsDir, 'modes');
  const target = path.join(workDir, 'modes');
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const file of fs.readdirSync(source)) {
    if (!file.endsWith('.mode')) continue;
    const mode = fs.readFileSync(path.join(source, file), 'utf8');
    fs.writeFileSync(path.join(target, file), patchMode(file.slice(0, -'.mode'.length), mode));
  }
  return target;
}

/** The repo root holds the wrapper; found by walking up, as this file runs from src/ and from dist/. */
function wrapperPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      const wrapper = path.join(dir, WRAPPER);
      if (fs.existsSync(wrapper)) return wrapper;
    }
    if (path.dirname(dir) === dir) throw new Error(`${WRAPPER} not found above ${__dirname}`);
  }
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Something already answering there would pass the readiness check in APy's place. */
function portTaken(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/** Starts APy and resolves once GET /listPairs answers. */
export async function startApy(opts: StartApyOptions): Promise<ApyServer> {
  const install = findApertium();
  if (!install) {
    throw new Error(`Apertium APy not found at ${APY_BIN} (apt-get install apertium-apy apertium-rus-ukr ...)`);
  }
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port || (await freePort(host));
  if (await portTaken(host, port)) throw new Error(`port ${host}:${port} is already in use`);

  const wrapper = wrapperPath();
  fs.mkdirSync(opts.workDir, { recursive: true });
  const modesDir = prepareModes(install, opts.workDir);
  const logFile = path.join(opts.workDir, 'apy.log');
  const log = fs.openSync(logFile, 'w');
  // Debian's python must not pick up another interpreter's modules.
  const env: NodeJS.ProcessEnv = { ...process.env, APY_BIND_ADDRESS: host, APY_PARENT_PID: String(process.pid) };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  const child = spawn(install.python, [wrapper, '-p', String(port), '-j', '1', modesDir], {
    cwd: opts.workDir,
    // Own process group, so stop() also reaches the translation pipelines APy forks.
    detached: true,
    stdio: ['ignore', log, log],
    env,
  });
  fs.closeSync(log);

  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
    child.once('error', (err) => {
      exitInfo = `failed to start: ${err.message}`;
      resolve();
    });
  });

  const pid = child.pid;
  const stop = async (): Promise<void> => {
    if (exitInfo !== undefined || pid === undefined) return;
    signalGroup(pid, 'SIGTERM');
    const grace = new AbortController();
    const graceful = await Promise.race([
      exited.then(() => true),
      sleep(STOP_GRACE_MS, false, { signal: grace.signal }).catch(() => false),
    ]);
    grace.abort();
    if (!graceful) {
      signalGroup(pid, 'SIGKILL');
      await exited;
    }
  };

  const url = `http://${host}:${port}`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exitInfo !== undefined || pid === undefined) {
      throw new Error(`APy ${exitInfo ?? 'has no pid'}; log ${logFile}:\n${logTail(logFile)}`);
    }
    if (await answers(`${url}/listPairs`)) return { url, pid, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`APy not ready on ${url} after ${opts.readyTimeoutMs ?? 30_000} ms; log:\n${logTail(logFile)}`);
    }
    await sleep(READY_POLL_MS);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    // ESRCH: the group is already gone.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
