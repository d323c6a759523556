/**
 * Regenerates gazetteer.json, the entity gazetteer the tagger loads, from gazetteer-curated.json
 * (hand-kept: Wikidata QIDs, cities, organisations, people, short forms) and the country names in
 * ru/uk/en/mn/kk that the i18n-iso-countries package ships. Countries also get a generated
 * "ministry of foreign affairs" organisation per sovereign state ("МИД Монголии" and the like).
 *
 * Run from the repository root:
 *   npx tsc libs/language/data/build-gazetteer.ts --outDir /tmp/build-gazetteer \
 *     --module commonjs --target es2022 --esModuleInterop --resolveJsonModule --types node \
 *     && NODE_PATH=node_modules node /tmp/build-gazetteer/build-gazetteer.js
 */
import * as fs from 'node:fs';
import countries from 'i18n-iso-countries';

type Lang = 'ru' | 'uk' | 'en' | 'kk' | 'mn';
type Forms = Partial<Record<Lang, string[]>>;

interface CuratedEntity {
  id: string;
  type: 'person' | 'organisation' | 'place';
  name: string;
  forms: Forms;
}

interface Curated {
  countries: Record<string, [string, string]>;
  territories: string[];
  countryForms: Record<string, Forms>;
  dropForms: Forms;
  ambiguousForms: Forms;
  foreignMinistryTemplates: Record<Lang, string[]>;
  foreignMinistryExcluded: string[];
  foreignMinistryForms: Record<string, Forms>;
  entities: CuratedEntity[];
}

const LANGS: Lang[] = ['ru', 'uk', 'en', 'kk', 'mn'];
const CURATED = 'libs/language/data/gazetteer-curated.json';
/** Extra labels (mostly kk/mn/uk) for curated entities, and the entities added with them. */
const LABELS = 'libs/language/data/gazetteer-labels.json';

interface Labels {
  labels: Record<string, Forms>;
  entities: CuratedEntity[];
}
const OUTPUT = 'libs/language/data/gazetteer.json';

function normalise(form: string): string {
  return form.normalize('NFC').toLowerCase().replace(/ё/g, 'е').replace(/[’`]/g, "'").replace(/\s+/g, ' ').trim();
}

/**
 * CLDR-style names carry qualifiers ("КНР (Китайская Народная Республика)", "Moldova, Republic of")
 * that never appear in running text; split them into the forms a journalist would write.
 */
function textForms(raw: string, weak?: Set<string>): string[] {
  const out: string[] = [];
  let name = raw.trim();
  const paren = name.match(/^(.*?)\s*\(([^)]*)\)\s*(.*)$/);
  if (paren) {
    const [, before = '', inside = '', after = ''] = paren;
    out.push(...textForms(`${before} ${after}`.trim(), weak));
    const words = inside.split(/\s+/);
    const lastWord = words[words.length - 1] ?? '';
    const atEnd = after.trim() === '';
    const isQualifier = inside === inside.toUpperCase() || !/^\p{Lu}/u.test(lastWord);
    if (atEnd && !isQualifier) {
      out.push(inside);
      // "Виргинские Острова (Великобритания)" names the owner, not the territory: such a form
      // must lose to the entity that carries it in its own right.
      weak?.add(normalise(inside));
    }
    return out;
  }
  const comma = name.indexOf(',');
  if (comma > 0) {
    const head = name.slice(0, comma).trim();
    const tail = name.slice(comma + 1).trim();
    out.push(head);
    if (/\bof( the)?$/i.test(tail)) out.push(`${tail} ${head}`);
    return out;
  }
  name = name.replace(/\s+/g, ' ');
  if (name) out.push(name);
  return out;
}

function addForms(target: Forms, lang: Lang, forms: Iterable<string>): void {
  const list = (target[lang] ??= []);
  const seen = new Set(list.map(normalise));
  for (const form of forms) {
    const key = normalise(form);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    list.push(form);
  }
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function main(): void {
  const curated = JSON.parse(fs.readFileSync(CURATED, 'utf8')) as Curated;
  const dropped = new Map<Lang, Set<string>>(
    LANGS.map((lang) => [lang, new Set((curated.dropForms[lang] ?? []).map(normalise))]),
  );
  const territories = new Set(curated.territories);
  const entities: CuratedEntity[] = [];
  const weakForms = new Set<string>();

  for (const [code, [qid, name]] of Object.entries(curated.countries)) {
    const forms: Forms = {};
    addForms(forms, 'en', [name]);
    for (const lang of LANGS) {
      const names = countries.getName(code, lang, { select: 'all' }) ?? [];
      const weak = new Set<string>();
      addForms(forms, lang, names.flatMap((raw) => textForms(raw, weak)));
      for (const form of weak) weakForms.add(`${qid}\u0000${lang}\u0000${form}`);
      addForms(forms, lang, curated.countryForms[code]?.[lang] ?? []);
      forms[lang] = (forms[lang] ?? []).filter((form) => !dropped.get(lang)?.has(normalise(form)));
      if (forms[lang]?.length === 0) delete forms[lang];
    }
    entities.push({ id: qid, type: 'place', name, forms });

    if (territories.has(code) || curated.foreignMinistryExcluded.includes(code)) continue;
    const ministry: Forms = {};
    for (const lang of LANGS) {
      const templates = curated.foreignMinistryTemplates[lang] ?? [];
      const countryForms = forms[lang] ?? [];
      addForms(
        ministry,
        lang,
        templates.flatMap((template) => countryForms.map((form) => template.replace('{}', form))),
      );
      addForms(ministry, lang, curated.foreignMinistryForms[code]?.[lang] ?? []);
    }
    entities.push({
      id: `organisation:mfa-${slug(name)}`,
      type: 'organisation',
      name: `Ministry of Foreign Affairs of ${name}`,
      forms: ministry,
    });
  }
  entities.push(...curated.entities);
  const labels = JSON.parse(fs.readFileSync(LABELS, 'utf8')) as Labels;
  entities.push(...labels.entities);
  const byId = new Map(entities.map((entity) => [entity.id, entity]));
  for (const [id, forms] of Object.entries(labels.labels)) {
    const entity = byId.get(id);
    if (!entity) throw new Error(`${LABELS}: no entity ${id}`);
    for (const lang of LANGS) addForms(entity.forms, lang, forms[lang] ?? []);
  }

  // A surface form shared by two entities ("Конго", "Virgin Islands") cannot be resolved by a
  // gazetteer alone, so it is left out rather than guessed.
  const owners = new Map<string, Set<string>>();
  for (const entity of entities) {
    for (const lang of LANGS) {
      for (const form of entity.forms[lang] ?? []) {
        const key = `${lang}\u0000${normalise(form)}`;
        const ids = owners.get(key) ?? new Set<string>();
        ids.add(entity.id);
        owners.set(key, ids);
      }
    }
  }
  for (const [key, ids] of owners) {
    const strong = [...ids].filter((id) => !weakForms.has(`${id}\u0000${key}`));
    if (strong.length === 1 && ids.size > 1) owners.set(key, new Set(strong));
  }
  const ambiguous = [...owners].filter(([, ids]) => ids.size > 1);
  for (const [key, ids] of ambiguous) {
    process.stdout.write(`dropping shared form ${key.replace('\u0000', ':')} (${[...ids].join(', ')})\n`);
  }
  const ownedBy = (lang: Lang, form: string, id: string): boolean => {
    const ids = owners.get(`${lang}\u0000${normalise(form)}`);
    return ids?.size === 1 && ids.has(id);
  };
  for (const entity of entities) {
    for (const lang of LANGS) {
      const kept = (entity.forms[lang] ?? []).filter((form) => ownedBy(lang, form, entity.id));
      if (kept.length > 0) entity.forms[lang] = kept;
      else delete entity.forms[lang];
    }
  }

  const output = {
    generatedBy: 'libs/language/data/build-gazetteer.ts',
    sources: [
      'gazetteer-curated.json (Wikidata QIDs: CC0)',
      'gazetteer-labels.json',
      `i18n-iso-countries ${readVersion()} country names (MIT)`,
    ],
    ambiguousForms: curated.ambiguousForms,
    entities,
  };
  fs.writeFileSync(
    OUTPUT,
    `${JSON.stringify(output, null, 0).replace(/\},\{"id"/g, '},\n{"id"').replace('"entities":[', '"entities":[\n')}\n`,
  );
  const formCount = entities.reduce(
    (sum, entity) => sum + LANGS.reduce((inner, lang) => inner + (entity.forms[lang]?.length ?? 0), 0),
    0,
  );
  process.stdout.write(`${OUTPUT}: ${entities.length} entities, ${formCount} surface forms\n`);
}

function readVersion(): string {
  const pkg = JSON.parse(fs.readFileSync('node_modules/i18n-iso-countries/package.json', 'utf8')) as { version: string };
  return pkg.version;
}

main();
