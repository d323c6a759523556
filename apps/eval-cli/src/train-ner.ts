/**
 * `npm run -s train:ner -- <factRuEval directory> [--out FILE] [--seed N] [--epochs N]`: trains
 * the Russian NER model on every document of the directory and writes the model file (by default
 * libs/language/data/ner-ru-model.json, which the tagger ships). Deterministic: the same data,
 * seed and epochs give a byte-identical file.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_TRAIN_OPTIONS, loadFactru, trainRussianNer } from '@syndication/language';

function main(argv: string[]): void {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg.startsWith('--')) flags[arg.slice(2)] = argv[++index] ?? '';
    else positional.push(arg);
  }
  const [dir] = positional;
  if (!dir) throw new Error('usage: npm run -s train:ner -- <factRuEval directory> [--out FILE] [--seed N] [--epochs N]');
  const options = {
    ...DEFAULT_TRAIN_OPTIONS,
    ...(flags['seed'] !== undefined ? { seed: Number(flags['seed']) } : {}),
    ...(flags['epochs'] !== undefined ? { epochs: Number(flags['epochs']) } : {}),
  };
  const out = resolve(flags['out'] ?? 'libs/language/data/ner-ru-model.json');
  const started = performance.now();
  const docs = loadFactru(dir);
  const model = trainRussianNer(docs, options);
  const file = model.toFile();
  writeFileSync(out, `${JSON.stringify(file)}\n`);
  const features = file.weights.split('\n').length;
  process.stdout.write(
    `trained on ${docs.length} documents (seed ${options.seed}, ${options.epochs} epochs) in ${((performance.now() - started) / 1000).toFixed(1)} s: ${features} features -> ${out}\n`,
  );
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`train:ner: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
