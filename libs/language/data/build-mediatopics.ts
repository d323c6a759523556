/**
 * Regenerates mediatopics.json, the trimmed IPTC Media Topics vocabulary the topic classifier
 * loads, from IPTC's full export (kept outside the repo in shared/corpus/vocab).
 *
 * Run from the repository root:
 *   npx tsc libs/language/data/build-mediatopics.ts --outDir /tmp/build-mediatopics \
 *     --module commonjs --target es2022 --esModuleInterop --types node \
 *     && node /tmp/build-mediatopics/build-mediatopics.js [path/to/iptc-mediatopics.json]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface SourceConcept {
  'Name (en-GB)': string;
  'Definition (en-GB)': string | null;
  'Level1/NewsCode': string | null;
  'Level2/NewsCode': string | null;
  'Level3/NewsCode': string | null;
  'Level4/NewsCode': string | null;
  'Level5/NewsCode': string | null;
  'Level6/NewsCode': string | null;
  RetiredDate: string | null;
  'Wikidata mapping': string | null;
}

const DEFAULT_SOURCE = '../shared/corpus/vocab/iptc-mediatopics-2023-10.json';
const OUTPUT = 'libs/language/data/mediatopics.json';

function main(): void {
  const sourcePath = process.argv[2] ?? DEFAULT_SOURCE;
  const source = JSON.parse(fs.readFileSync(sourcePath, 'utf8')) as Record<string, SourceConcept>;
  const concepts: Array<{ code: string; name: string; broader: string | null; wikidata: string | null; definition: string }> = [];
  const retired: Array<{ code: string; name: string; retired: string }> = [];
  for (const [code, concept] of Object.entries(source)) {
    if (concept.RetiredDate) {
      retired.push({ code, name: concept['Name (en-GB)'], retired: concept.RetiredDate.slice(0, 10) });
      continue;
    }
    const levels = [1, 2, 3, 4, 5, 6]
      .map((level) => concept[`Level${level}/NewsCode` as keyof SourceConcept] as string | null)
      .filter((value): value is string => Boolean(value));
    // The level columns hold the path from the top concept down to this one; IPTC leaves gaps where
    // an intermediate level was retired, so the broader concept is the nearest filled level above.
    const own = levels.lastIndexOf(code);
    const broader = own > 0 ? (levels[own - 1] ?? null) : null;
    const wikidata = concept['Wikidata mapping']?.match(/Q\d+$/)?.[0] ?? null;
    // Definitions feed the English keyword lexicon the topic classifier derives from the vocabulary.
    const definition = (concept['Definition (en-GB)'] ?? '').trim();
    concepts.push({ code, name: concept['Name (en-GB)'], broader, wikidata, definition });
  }
  const live = new Set(concepts.map((concept) => concept.code));
  for (const concept of concepts) {
    if (concept.broader && !live.has(concept.broader)) {
      throw new Error(`${concept.code} has a retired or unknown broader concept ${concept.broader}`);
    }
  }
  const output = {
    source: 'IPTC Media Topics, http://cv.iptc.org/newscodes/mediatopic/ (export of 2023-10)',
    licence: 'CC BY 4.0, (c) IPTC - International Press Telecommunications Council',
    generatedFrom: path.basename(sourcePath),
    concepts,
    retired,
  };
  fs.writeFileSync(OUTPUT, `${JSON.stringify(output, null, 0).replace(/\},\{/g, '},\n{')}\n`);
  process.stdout.write(`${OUTPUT}: ${concepts.length} concepts, ${retired.length} retired\n`);
}

main();
