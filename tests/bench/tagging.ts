/**
 * Offline tagging cost of one seed-sized story on one core, after warm-up (the first calls read
 * the gazetteer, the vocabulary and az's dictionaries and fill the lemma cache): the figure issue 5
 * asks for, measured in the bench process itself, after the apps are stopped.
 */
import { readFileSync } from 'node:fs';
import { parsePlainText } from '@syndication/formats';
import { tagStory } from '@syndication/language';

const WARM_UP = 20;
const RUNS = 300;

export function measureOfflineTagging(seedFile: string): Record<string, number> {
  const seed = parsePlainText(readFileSync(seedFile, 'utf8'));
  const input = { headline: seed.headline, body: seed.paragraphs.join('\n\n'), language: 'ru' };
  const coldStart = process.hrtime.bigint();
  tagStory(input);
  const coldMs = Number(process.hrtime.bigint() - coldStart) / 1e6;
  for (let i = 1; i < WARM_UP; i += 1) tagStory(input);
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = process.hrtime.bigint();
    tagStory(input);
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => Math.round((samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? 0) * 1000) / 1000;
  return { ms_p50: at(0.5), ms_p99: at(0.99), runs: RUNS, first_call_ms: Math.round(coldMs), chars: input.headline.length + input.body.length };
}
