/**
 * FAULT_POINT really kills: the module runs in a child process (compiled with the same swc the
 * tests use) and the child must die by SIGKILL at the named point, once per once-file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformFileSync } from '@swc/core';

const compiled = transformFileSync(join(__dirname, 'fault-point.ts'), {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'commonjs' },
}).code;

/** Runs `hit(at)` in a child configured with `faults`; returns how the child ended. */
function run(faults: Record<string, string>, at: string): { signal: NodeJS.Signals | null; status: number | null; stdout: string } {
  const script = `${compiled}\nconst fp = new exports.FaultPoints(${JSON.stringify(faults)});\nfp.hit(${JSON.stringify(at)});\nprocess.stdout.write('survived');\n`;
  const res = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  return { signal: res.signal, status: res.status, stdout: res.stdout };
}

describe('FaultPoints', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fault-point-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is off without FAULT_POINT, and ignores other points', () => {
    expect(run({}, 'after_send')).toMatchObject({ signal: null, status: 0, stdout: 'survived' });
    expect(run({ point: 'after_claim' }, 'after_send')).toMatchObject({ signal: null, status: 0, stdout: 'survived' });
  });

  it('SIGKILLs the process at the named point', () => {
    expect(run({ point: 'after_send' }, 'after_send')).toMatchObject({ signal: 'SIGKILL', stdout: '' });
  });

  it('with a once-file, fires once: creates the file, then lets every later run pass', () => {
    const onceFile = join(dir, 'fired');
    expect(run({ point: 'before_ledger_commit', onceFile }, 'before_ledger_commit')).toMatchObject({ signal: 'SIGKILL' });
    expect(existsSync(onceFile)).toBe(true);
    expect(readFileSync(onceFile, 'utf8')).toMatch(/^before_ledger_commit pid \d+/);
    expect(run({ point: 'before_ledger_commit', onceFile }, 'before_ledger_commit')).toMatchObject({ signal: null, status: 0, stdout: 'survived' });
  });
});
