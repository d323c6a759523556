/**
 * Evaluation commands anyone can run to check the product's claims:
 *
 *   npm run -s eval -- <command> <dir> [--json] [options]
 *
 * Each command lives in its own module and is registered below; it prints one JSON object with
 * --json, a readable summary otherwise, and exits non-zero only when it could not run.
 */
export interface EvalCommand {
  /** One line for `eval help`. */
  summary: string;
  run(args: { target?: string; json: boolean; flags: Record<string, string> }): Promise<void>;
}

const COMMANDS: Record<string, () => Promise<EvalCommand>> = {
  intake: async () => (await import('./intake.command.js')).intakeCommand,
  ner: async () => (await import('./ner.command.js')).nerCommand,
  topics: async () => (await import('./topics.command.js')).topicsCommand,
};

function parse(argv: string[]): { name: string; target?: string; json: boolean; flags: Record<string, string> } {
  const [name = 'help', ...rest] = argv;
  const flags: Record<string, string> = {};
  let target: string | undefined;
  let json = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--json') json = true;
    else if (a.startsWith('--')) flags[a.slice(2)] = rest[i + 1]?.startsWith('--') === false ? rest[++i]! : 'true';
    else target ??= a;
  }
  return { name, target, json, flags };
}

async function main(): Promise<void> {
  const { name, ...args } = parse(process.argv.slice(2));
  const load = COMMANDS[name];
  if (!load) {
    const lines = await Promise.all(Object.entries(COMMANDS).map(async ([n, l]) => `  ${n.padEnd(8)} ${(await l()).summary}`));
    process.stdout.write(`usage: npm run -s eval -- <command> <dir> [--json]\n${lines.join('\n')}\n`);
    if (name !== 'help') process.exitCode = 2;
    return;
  }
  await (await load()).run(args);
}

main().catch((err: unknown) => {
  process.stderr.write(`eval: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
