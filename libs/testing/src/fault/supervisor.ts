/**
 * Runs the compiled apps (dist/) as separate processes, the way they are deployed, and does
 * unkind things to them: SIGKILL, SIGTERM (timed drain), SIGSTOP/SIGCONT (a stall), respawn.
 * Every process it starts is tracked by PID and killed by `stopAll()`; each keeps a tail of its
 * output for failure messages. Named fault points (FAULT_POINT / FAULT_POINT_ONCE_FILE, read by
 * the publisher) are plain extra environment for one start.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const FAULT_APPS = ['intake-api', 'pipeline-relay', 'translation-worker', 'tagging-worker', 'publisher-worker', 'feed-server'] as const;
export type FaultApp = (typeof FAULT_APPS)[number];

/** Named lines in the publisher where it SIGKILLs itself once (see the README's fault harness section). */
export type FaultPoint = 'after_claim' | 'after_send' | 'before_ledger_commit';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export interface ManagedProcess {
  /** Instance name: the app name, or e.g. `publisher-worker#2` for a second instance. */
  readonly name: string;
  readonly app: FaultApp;
  readonly pid: number;
  readonly startedAt: number;
  readonly tail: string[];
  exit?: ProcessExit;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ProcessExit>;
}

export interface FaultEvent {
  at: number;
  target: string;
  action: 'start' | 'kill' | 'term' | 'stop' | 'cont' | 'exit';
  detail?: string;
}

export interface StartOptions {
  /** Instance name when running more than one process of an app. */
  instance?: string;
  /** Extra environment for this process only (e.g. FAULT_POINT). */
  env?: NodeJS.ProcessEnv;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The repository root (holding dist/): found from this file, compiled or not. */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'news-syndication') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no news-syndication package.json above ${from}`);
    dir = up;
  }
}

export class Supervisor {
  readonly events: FaultEvent[] = [];
  private readonly procs = new Map<string, ManagedProcess>();
  private readonly starts = new Map<string, { app: FaultApp; env: NodeJS.ProcessEnv }>();
  private readonly root: string;

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly log: (m: string) => void = () => undefined,
  ) {
    this.root = repoRoot();
  }

  mainOf(app: FaultApp): string {
    return join(this.root, 'dist', 'apps', app, 'src', 'main.js');
  }

  start(app: FaultApp, opts: StartOptions = {}): ManagedProcess {
    const name = opts.instance ?? app;
    const running = this.procs.get(name);
    if (running && !running.exit) throw new Error(`${name} is already running (pid ${running.pid})`);
    const main = this.mainOf(app);
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
    const env = { ...this.env, ...opts.env };
    this.starts.set(name, { app, env: opts.env ?? {} });
    const child: ChildProcess = spawn(process.execPath, [main], { env, cwd: this.root, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`${name} did not start`);
    const tail: string[] = [];
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail.push(line.slice(0, 400));
        if (tail.length > 40) tail.shift();
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const managed: ManagedProcess = {
      name,
      app,
      pid: child.pid,
      startedAt: Date.now(),
      tail,
      exited: new Promise<ProcessExit>((resolve) =>
        child.once('exit', (code, signal) => {
          const exit = { code, signal, at: Date.now() };
          managed.exit = exit;
          this.events.push({ at: exit.at, target: name, action: 'exit', detail: signal ?? `code ${code}` });
          this.log(`${name} (pid ${managed.pid}) exited: ${signal ?? `code ${code}`}`);
          resolve(exit);
        }),
      ),
    };
    this.procs.set(name, managed);
    this.events.push({ at: managed.startedAt, target: name, action: 'start', detail: opts.env?.['FAULT_POINT'] });
    this.log(`started ${name} (pid ${managed.pid})`);
    return managed;
  }

  get(name: string): ManagedProcess {
    const m = this.procs.get(name);
    if (!m) throw new Error(`no process named ${name}`);
    return m;
  }

  isRunning(name: string): boolean {
    const m = this.procs.get(name);
    return m !== undefined && m.exit === undefined;
  }

  names(): string[] {
    return [...this.procs.keys()];
  }

  /** SIGKILL and wait for the exit. */
  async kill(name: string): Promise<ProcessExit | undefined> {
    const m = this.procs.get(name);
    if (!m || m.exit) return m?.exit;
    this.events.push({ at: Date.now(), target: name, action: 'kill' });
    this.log(`SIGKILL ${name} (pid ${m.pid})`);
    signal(m.pid, 'SIGKILL');
    return Promise.race([m.exited, sleep(10_000).then(() => undefined)]);
  }

  /** SIGTERM and wait up to `timeoutMs` for a graceful exit; SIGKILL after that. */
  async terminate(name: string, timeoutMs = 30_000): Promise<{ exit: ProcessExit; ms: number; graceful: boolean }> {
    const m = this.get(name);
    const t0 = Date.now();
    if (m.exit) return { exit: m.exit, ms: 0, graceful: true };
    this.events.push({ at: t0, target: name, action: 'term' });
    this.log(`SIGTERM ${name} (pid ${m.pid})`);
    signal(m.pid, 'SIGTERM');
    const exit = await Promise.race([m.exited, sleep(timeoutMs).then(() => undefined)]);
    if (exit) return { exit, ms: exit.at - t0, graceful: true };
    signal(m.pid, 'SIGKILL');
    const forced = await m.exited;
    return { exit: forced, ms: forced.at - t0, graceful: false };
  }

  /** SIGSTOP: the process stays alive, holds its sockets and answers nothing (an event-loop stall). */
  pause(name: string): void {
    const m = this.get(name);
    this.events.push({ at: Date.now(), target: name, action: 'stop' });
    this.log(`SIGSTOP ${name} (pid ${m.pid})`);
    signal(m.pid, 'SIGSTOP');
  }

  resume(name: string): void {
    const m = this.get(name);
    this.events.push({ at: Date.now(), target: name, action: 'cont' });
    this.log(`SIGCONT ${name} (pid ${m.pid})`);
    signal(m.pid, 'SIGCONT');
  }

  /** Starts a stopped or dead instance again with the environment of its last start (or `env`). */
  respawn(name: string, env?: NodeJS.ProcessEnv): ManagedProcess {
    const last = this.starts.get(name);
    if (!last) throw new Error(`${name} was never started`);
    return this.start(last.app, { instance: name === last.app ? undefined : name, env: env ?? last.env });
  }

  /** Waits until the process exits on its own (e.g. a fault point fired); undefined on timeout. */
  async waitExit(name: string, timeoutMs: number): Promise<ProcessExit | undefined> {
    const m = this.get(name);
    return Promise.race([m.exited, sleep(timeoutMs).then(() => undefined)]);
  }

  /** Output tails of every process, for a failing assertion's message. */
  describe(): string {
    return [...this.procs.values()]
      .map((m) => `--- ${m.name} pid ${m.pid}${m.exit ? ` exited ${m.exit.signal ?? m.exit.code}` : ''}\n${m.tail.slice(-12).join('\n')}`)
      .join('\n');
  }

  /** Kills everything still running (SIGCONT first, so a paused process can die cleanly). */
  async stopAll(graceMs = 5_000): Promise<void> {
    const live = [...this.procs.values()].filter((m) => !m.exit);
    for (const m of live) {
      signal(m.pid, 'SIGCONT');
      signal(m.pid, 'SIGTERM');
    }
    await Promise.race([Promise.all(live.map((m) => m.exited)), sleep(graceMs)]);
    for (const m of live) if (!m.exit) signal(m.pid, 'SIGKILL');
    await Promise.race([Promise.all(live.map((m) => m.exited)), sleep(5_000)]);
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
