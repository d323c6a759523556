/**
 * A first-order structured (averaged) perceptron over BIO tags (Collins 2002): each token's
 * score for a tag is the sum of its features' weights for that tag, plus a weight for the
 * previous tag -> this tag transition; Viterbi finds the best sequence, and tag sequences that
 * BIO forbids (I-X after anything but B-X/I-X) are never produced.
 *
 * Training is deterministic: instances are visited in an order shuffled by a seeded generator,
 * and weights are averaged over every step (the "lazy" averaging trick: w_avg = w - u / c).
 *
 * The model file is JSON with two string fields (fast to parse, cheap for tsc to type): `tags`
 * and `weights`, one line per feature: `feature\ttag:weight tag:weight ...`, weights scaled to
 * integers; transitions are the features `T:<previous tag>` (the previous tag of the first token
 * is "<s>").
 */

export const TAGS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'] as const;
export type BioTag = (typeof TAGS)[number];
const TAG_COUNT = TAGS.length;
const START = '<s>';

export interface Instance {
  features: readonly (readonly string[])[];
  tags: readonly BioTag[];
  /** Positions where no entity may continue (punctuation no name contains precedes the token). */
  breaks?: readonly boolean[];
}

export interface ModelFile {
  format: string;
  tags: string;
  scale: number;
  weights: string;
}

export const MODEL_FORMAT = 'ner-ru-perceptron/1';

/** I-X may only follow B-X or I-X: ALLOWED[previous + 1][current], previous -1 being the start. */
const ALLOWED: readonly (readonly boolean[])[] = Array.from({ length: TAG_COUNT + 1 }, (_, row) =>
  TAGS.map((tag) => {
    if (!tag.startsWith('I-')) return true;
    const before = TAGS[row - 1];
    return before !== undefined && before !== 'O' && before.slice(2) === tag.slice(2);
  }),
);

const INSIDE: readonly boolean[] = TAGS.map((tag) => tag.startsWith('I-'));

export class PerceptronModel {
  /** feature -> weight per tag */
  constructor(readonly weights: Map<string, Float64Array>) {}

  private transition(previous: number): Float64Array | undefined {
    return this.weights.get(`T:${previous < 0 ? START : TAGS[previous]}`);
  }

  /** Scores of each tag for each token (emissions only). */
  emissions(features: readonly (readonly string[])[]): Float64Array[] {
    return features.map((list) => {
      const scores = new Float64Array(TAG_COUNT);
      for (const feature of list) {
        const weights = this.weights.get(feature);
        if (!weights) continue;
        for (let tag = 0; tag < TAG_COUNT; tag += 1) scores[tag]! += weights[tag]!;
      }
      return scores;
    });
  }

  decode(features: readonly (readonly string[])[], breaks?: readonly boolean[]): BioTag[] {
    const length = features.length;
    if (length === 0) return [];
    const emissions = this.emissions(features);
    // Flat score and back-pointer tables: position * TAG_COUNT + tag.
    const score = new Float64Array(length * TAG_COUNT).fill(-Infinity);
    const back = new Int8Array(length * TAG_COUNT).fill(-1);
    const transitions = Array.from({ length: TAG_COUNT + 1 }, (_, row) => this.transition(row - 1));
    const first = emissions[0]!;
    for (let tag = 0; tag < TAG_COUNT; tag += 1) {
      if (ALLOWED[0]![tag]) score[tag] = first[tag]! + (transitions[0]?.[tag] ?? 0);
    }
    for (let position = 1; position < length; position += 1) {
      const emission = emissions[position]!;
      const base = position * TAG_COUNT;
      const broken = breaks?.[position] === true;
      const previousBase = base - TAG_COUNT;
      for (let previous = 0; previous < TAG_COUNT; previous += 1) {
        const before = score[previousBase + previous]!;
        if (before === -Infinity) continue;
        const allowed = ALLOWED[previous + 1]!;
        const transition = transitions[previous + 1];
        for (let tag = 0; tag < TAG_COUNT; tag += 1) {
          if (!allowed[tag] || (broken && INSIDE[tag])) continue;
          const candidate = before + (transition ? transition[tag]! : 0) + emission[tag]!;
          if (candidate > score[base + tag]!) {
            score[base + tag] = candidate;
            back[base + tag] = previous;
          }
        }
      }
    }
    let best = 0;
    const lastBase = (length - 1) * TAG_COUNT;
    for (let tag = 1; tag < TAG_COUNT; tag += 1) if (score[lastBase + tag]! > score[lastBase + best]!) best = tag;
    const tags: BioTag[] = new Array<BioTag>(length);
    for (let position = length - 1; position >= 0; position -= 1) {
      tags[position] = TAGS[best]!;
      best = back[position * TAG_COUNT + best]!;
    }
    return tags;
  }

  toFile(scale = 1000): ModelFile {
    const lines: string[] = [];
    for (const feature of [...this.weights.keys()].sort()) {
      const weights = this.weights.get(feature)!;
      const parts: string[] = [];
      for (let tag = 0; tag < TAG_COUNT; tag += 1) {
        const value = Math.round(weights[tag]! * scale);
        if (value !== 0) parts.push(`${tag}:${value}`);
      }
      if (parts.length > 0) lines.push(`${feature}\t${parts.join(' ')}`);
    }
    return { format: MODEL_FORMAT, tags: TAGS.join(' '), scale, weights: lines.join('\n') };
  }

  static fromFile(file: ModelFile): PerceptronModel {
    if (file.format !== MODEL_FORMAT || file.tags !== TAGS.join(' ')) {
      throw new Error(`NER model: expected format ${MODEL_FORMAT} with tags "${TAGS.join(' ')}", got ${file.format}`);
    }
    const weights = new Map<string, Float64Array>();
    for (const line of file.weights.split('\n')) {
      const tab = line.lastIndexOf('\t');
      if (tab <= 0) continue;
      const values = new Float64Array(TAG_COUNT);
      for (const part of line.slice(tab + 1).split(' ')) {
        const colon = part.indexOf(':');
        values[Number(part.slice(0, colon))] = Number(part.slice(colon + 1)) / file.scale;
      }
      weights.set(line.slice(0, tab), values);
    }
    return new PerceptronModel(weights);
  }
}

/** Mulberry32: a small, well-distributed seeded generator, so training runs are reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let index = out.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [out[index], out[other]] = [out[other]!, out[index]!];
  }
  return out;
}

export interface TrainOptions {
  epochs: number;
  seed: number;
  /** Features seen fewer times than this in training are left out of the model. */
  minCount: number;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = { epochs: 20, seed: 1, minCount: 1 };

export function trainPerceptron(instances: readonly Instance[], options: TrainOptions = DEFAULT_TRAIN_OPTIONS): PerceptronModel {
  const counts = new Map<string, number>();
  for (const instance of instances) for (const list of instance.features) for (const feature of list) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const kept = (feature: string): boolean => (counts.get(feature) ?? 0) >= options.minCount;
  const filtered: Instance[] = instances.map((instance) => ({
    tags: instance.tags,
    ...(instance.breaks ? { breaks: instance.breaks } : {}),
    features: instance.features.map((list) => list.filter(kept)),
  }));

  const weights = new Map<string, Float64Array>();
  const totals = new Map<string, Float64Array>();
  const vector = (map: Map<string, Float64Array>, feature: string): Float64Array => {
    let values = map.get(feature);
    if (!values) {
      values = new Float64Array(TAG_COUNT);
      map.set(feature, values);
    }
    return values;
  };
  const model = new PerceptronModel(weights);
  let step = 1;
  const update = (feature: string, tag: number, delta: number): void => {
    vector(weights, feature)[tag]! += delta;
    vector(totals, feature)[tag]! += step * delta;
  };
  const random = seededRandom(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch += 1) {
    for (const instance of shuffle(filtered, random)) {
      const predicted = model.decode(instance.features, instance.breaks);
      for (let position = 0; position < instance.tags.length; position += 1) {
        const gold = TAGS.indexOf(instance.tags[position]!);
        const guess = TAGS.indexOf(predicted[position]!);
        const goldPrevious = position === 0 ? START : instance.tags[position - 1]!;
        const guessPrevious = position === 0 ? START : predicted[position - 1]!;
        if (gold === guess && goldPrevious === guessPrevious) continue;
        update(`T:${goldPrevious}`, gold, 1);
        update(`T:${guessPrevious}`, guess, -1);
        if (gold === guess) continue;
        for (const feature of instance.features[position]!) {
          update(feature, gold, 1);
          update(feature, guess, -1);
        }
      }
      step += 1;
    }
  }
  const averaged = new Map<string, Float64Array>();
  for (const [feature, values] of weights) {
    const total = totals.get(feature)!;
    const out = new Float64Array(TAG_COUNT);
    let nonZero = false;
    for (let tag = 0; tag < TAG_COUNT; tag += 1) {
      out[tag] = values[tag]! - total[tag]! / step;
      if (Math.abs(out[tag]!) >= 5e-4) nonZero = true;
    }
    if (nonZero) averaged.set(feature, out);
  }
  return new PerceptronModel(averaged);
}
