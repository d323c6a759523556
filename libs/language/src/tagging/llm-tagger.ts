/**
 * The pluggable external tagger: any OpenAI-compatible `POST {base}/chat/completions` endpoint
 * (OpenAI, vLLM, llama.cpp server, Ollama), asked for entities and IPTC Media Topics as JSON under
 * a `json_schema` response format whose topic codes are an enum of the offered subset (the two top
 * levels of the vocabulary plus the offline tagger's codes and their narrower concepts).
 *
 * `StoryTagger` runs the offline tagger, then the external one within its timeout, and merges the
 * two by id (entities by Wikidata QID, else by canonical name; topics by code). Every tag keeps its
 * source: offline components name themselves ("gazetteer", "rules"), external tags say
 * `llm:<model>`, and a tag both found lists both ("gazetteer+llm:<model>"). Whatever the endpoint
 * answers, the stage does not fail: unknown or retired codes, entities whose surface is not in the
 * text and malformed JSON are dropped with a recorded reason; an outage, a 5xx or a timeout leaves
 * the offline result alone, also with a reason.
 */
import type { EntityMention, EntityType, ExtractedEntity, TaggingResult, TopicTag } from '@syndication/contracts';
import { mediaTopics } from './media-topics';
import { HEADLINE_SEPARATOR, tagStory } from './tagger';
import { slugify } from './text';
import type { TagInput } from './types';

export interface LlmTaggerOptions {
  /** Base URL including the version prefix, e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Budget for the whole external call, retries included. */
  timeoutMs: number;
}

/** Why something from the external tagger was not used. */
export interface DroppedTag {
  kind: 'entity' | 'topic' | 'answer';
  value: string;
  reason: string;
}

export interface TaggingOutcome {
  result: TaggingResult;
  /** What the external tagger contributed: absent when none is configured. */
  external?: { source: string; status: 'merged' | 'failed'; dropped: DroppedTag[]; error?: string };
}

const ENTITY_TYPES: readonly EntityType[] = ['person', 'organisation', 'place'];
const MAX_TEXT = 12_000;
const QID = /^Q[1-9]\d*$/;
/** A 429's Retry-After beyond this share of the remaining budget is not waited for. */
const MAX_RETRY_SHARE = 0.5;

export class LlmTaggerError extends Error {}

interface LlmEntity {
  name?: unknown;
  type?: unknown;
  surfaces?: unknown;
  wikidata?: unknown;
  confidence?: unknown;
}
interface LlmTopic {
  code?: unknown;
  score?: unknown;
}

/** The topic codes offered to the model: top two levels plus the offline codes and their children. */
export function offeredCodes(offline: readonly TopicTag[]): string[] {
  const vocabulary = mediaTopics();
  const offlineCodes = new Set(offline.map((topic) => topic.code));
  const codes: string[] = [];
  for (const concept of vocabulary.all()) {
    const depth = vocabulary.ancestors(concept.code).length;
    if (depth <= 1 || offlineCodes.has(concept.code) || (concept.broader !== null && offlineCodes.has(concept.broader))) codes.push(concept.code);
  }
  return codes;
}

export function responseSchema(codes: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['entities', 'topics'],
    properties: {
      entities: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'type', 'surfaces', 'wikidata', 'confidence'],
          properties: {
            name: { type: 'string', description: 'Canonical English name, e.g. "Battsetseg Batmunkh"' },
            type: { type: 'string', enum: ENTITY_TYPES },
            surfaces: { type: 'array', items: { type: 'string' }, description: 'Exact spellings as they occur in the text' },
            wikidata: { type: ['string', 'null'], description: 'Wikidata QID such as "Q711", or null when unsure' },
            confidence: { type: 'number' },
          },
        },
      },
      topics: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'score'],
          properties: { code: { type: 'string', enum: codes }, score: { type: 'number' } },
        },
      },
    },
  };
}

export function systemPrompt(codes: readonly string[]): string {
  const vocabulary = mediaTopics();
  const list = codes.map((code) => `${code} ${vocabulary.get(code)?.name ?? ''}`).join('\n');
  return [
    'You tag news stories. Answer only with JSON matching the given schema.',
    'entities: the people, organisations and places the story is about; for each, its canonical English name,',
    'its type (person, organisation or place), every spelling it has in the text exactly as written (surfaces),',
    'its Wikidata QID when you are sure of it (else null) and your confidence between 0 and 1.',
    'topics: the most specific IPTC Media Topics that apply, with a score between 0 and 1, chosen only from this list:',
    list,
  ].join('\n');
}

export class OpenAiCompatibleTagger {
  readonly source: string;
  private readonly baseUrl: string;

  constructor(private readonly options: LlmTaggerOptions) {
    this.source = `llm:${options.model}`;
    this.baseUrl = options.baseUrl.replace(/\/+$/u, '');
  }

  /** The model's tags for a story, validated against the text and the vocabulary. */
  async tag(input: TagInput, offline: TaggingResult): Promise<{ entities: ExtractedEntity[]; topics: TopicTag[]; dropped: DroppedTag[] }> {
    const codes = offeredCodes(offline.topics);
    const text = `${input.headline}${HEADLINE_SEPARATOR}${input.body}`;
    const content = await this.complete(codes, text.slice(0, MAX_TEXT), input.language);
    return this.validate(content, text, new Set(codes), offline);
  }

  private async complete(codes: readonly string[], text: string, language: string): Promise<string> {
    const deadline = Date.now() + this.options.timeoutMs;
    const body = JSON.stringify({
      model: this.options.model,
      temperature: 0,
      messages: [
        { role: 'system', content: systemPrompt(codes) },
        { role: 'user', content: `Story language: ${language}\n\n${text}` },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'news_tags', strict: true, schema: responseSchema(codes) } },
    });
    for (let attempt = 0; ; attempt += 1) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new LlmTaggerError('timed out');
      let response: Response;
      try {
        response = await fetch(`${this.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body,
          signal: AbortSignal.timeout(remaining),
        });
      } catch (error) {
        const name = (error as { name?: unknown } | null)?.name;
        throw new LlmTaggerError(name === 'TimeoutError' || name === 'AbortError' ? 'timed out' : 'unreachable');
      }
      const answer = await response.text().catch(() => '');
      if (response.status === 429 && attempt === 0) {
        // One retry when the endpoint says how long to wait and that fits the budget.
        const waitMs = retryAfterMs(response.headers.get('retry-after'));
        if (waitMs !== undefined && waitMs <= (deadline - Date.now()) * MAX_RETRY_SHARE) {
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          continue;
        }
      }
      if (!response.ok) throw new LlmTaggerError(`HTTP ${response.status}`);
      let parsed: { choices?: Array<{ message?: { content?: unknown; refusal?: unknown } }> };
      try {
        parsed = JSON.parse(answer) as typeof parsed;
      } catch {
        throw new LlmTaggerError('response is not JSON');
      }
      const message = parsed.choices?.[0]?.message;
      if (typeof message?.refusal === 'string' && message.refusal) throw new LlmTaggerError(`model refused: ${message.refusal.slice(0, 200)}`);
      if (typeof message?.content !== 'string') throw new LlmTaggerError('answer has no message content');
      return message.content;
    }
  }

  private validate(
    content: string,
    text: string,
    offered: ReadonlySet<string>,
    offline: TaggingResult,
  ): { entities: ExtractedEntity[]; topics: TopicTag[]; dropped: DroppedTag[] } {
    const dropped: DroppedTag[] = [];
    let parsed: { entities?: unknown; topics?: unknown };
    try {
      // Some servers wrap JSON in a fenced block despite the response format.
      parsed = JSON.parse(content.replace(/^\s*```(?:json)?\s*|\s*```\s*$/gu, '')) as typeof parsed;
    } catch {
      throw new LlmTaggerError('message content is not JSON');
    }
    if (!parsed || typeof parsed !== 'object') throw new LlmTaggerError('message content is not a JSON object');

    const vocabulary = mediaTopics();
    const topics: TopicTag[] = [];
    for (const raw of Array.isArray(parsed.topics) ? (parsed.topics as LlmTopic[]) : []) {
      const code = typeof raw?.code === 'string' ? raw.code : '';
      const concept = vocabulary.get(code);
      if (!concept) {
        dropped.push({ kind: 'topic', value: String(raw?.code), reason: vocabulary.isRetired(code) ? 'retired code' : 'unknown code' });
        continue;
      }
      if (!offered.has(code)) {
        dropped.push({ kind: 'topic', value: code, reason: 'code not in the offered list' });
        continue;
      }
      if (topics.some((topic) => topic.code === code)) continue;
      topics.push({ code, name: concept.name, score: unitScore(raw.score), ancestors: [...vocabulary.ancestors(code)], source: this.source });
    }

    const entities: ExtractedEntity[] = [];
    for (const raw of Array.isArray(parsed.entities) ? (parsed.entities as LlmEntity[]) : []) {
      const name = typeof raw?.name === 'string' ? raw.name.trim() : '';
      const type = ENTITY_TYPES.find((candidate) => candidate === raw?.type);
      if (!name || !type) {
        dropped.push({ kind: 'entity', value: name || JSON.stringify(raw).slice(0, 100), reason: 'missing name or unknown type' });
        continue;
      }
      const surfaces = Array.isArray(raw.surfaces) ? raw.surfaces.filter((s): s is string => typeof s === 'string' && s.trim().length > 0) : [];
      const mentions = findMentions(text, surfaces.length ? surfaces : [name]);
      if (mentions.length === 0) {
        dropped.push({ kind: 'entity', value: name, reason: 'no surface form found in the text' });
        continue;
      }
      const wikidata = typeof raw.wikidata === 'string' && QID.test(raw.wikidata) ? raw.wikidata : null;
      const known = offline.entities.find((entity) => entity.name.toLowerCase() === name.toLowerCase());
      const id = wikidata ?? known?.id ?? `${type}:${slugify(name)}`;
      const existing = entities.find((entity) => entity.id === id);
      if (existing) {
        existing.mentions = mergeMentions(existing.mentions, mentions);
        continue;
      }
      entities.push({ id, type, name, mentions, confidence: unitScore(raw.confidence), source: this.source });
    }
    return { entities, topics, dropped };
  }
}

function unitScore(value: unknown): number {
  const number = typeof value === 'number' && Number.isFinite(value) ? value : 0.5;
  return Math.round(Math.min(1, Math.max(0.01, number)) * 100) / 100;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Every whole-word occurrence of each surface form, so offsets point into the text the tagger saw. */
export function findMentions(text: string, surfaces: readonly string[]): EntityMention[] {
  const mentions = new Map<number, EntityMention>();
  for (const surface of [...new Set(surfaces)].sort((a, b) => b.length - a.length)) {
    let from = 0;
    for (;;) {
      const offset = text.indexOf(surface, from);
      if (offset < 0) break;
      from = offset + surface.length;
      const before = text[offset - 1] ?? ' ';
      const after = text[offset + surface.length] ?? ' ';
      if (/[\p{L}\p{N}]/u.test(before) || /[\p{L}\p{N}]/u.test(after)) continue;
      const covered = [...mentions.values()].some((m) => offset >= m.offset && offset < m.offset + m.surface.length);
      if (!covered) mentions.set(offset, { surface, offset });
    }
  }
  return [...mentions.values()].sort((a, b) => a.offset - b.offset);
}

function mergeMentions(a: readonly EntityMention[], b: readonly EntityMention[]): EntityMention[] {
  const byOffset = new Map<number, EntityMention>();
  for (const mention of [...a, ...b]) if (!byOffset.has(mention.offset)) byOffset.set(mention.offset, mention);
  return [...byOffset.values()].sort((x, y) => x.offset - y.offset);
}

function joinSources(a: string, b: string): string {
  return [...new Set([...a.split('+'), ...b.split('+')])].join('+');
}

/** Offline and external tags united by id; each keeps every source that found it. */
export function mergeTagging(offline: TaggingResult, external: { entities: readonly ExtractedEntity[]; topics: readonly TopicTag[] }): TaggingResult {
  const entities = offline.entities.map((entity) => ({ ...entity, mentions: [...entity.mentions] }));
  for (const incoming of external.entities) {
    const same = entities.find((entity) => entity.id === incoming.id);
    if (same) {
      same.mentions = mergeMentions(same.mentions, incoming.mentions);
      same.confidence = Math.max(same.confidence, incoming.confidence);
      same.source = joinSources(same.source, incoming.source);
    } else {
      entities.push({ ...incoming });
    }
  }
  const topics = offline.topics.map((topic) => ({ ...topic }));
  for (const incoming of external.topics) {
    const same = topics.find((topic) => topic.code === incoming.code);
    if (same) {
      same.score = Math.max(same.score, incoming.score);
      same.source = joinSources(same.source, incoming.source);
    } else {
      topics.push({ ...incoming });
    }
  }
  topics.sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
  return { ...offline, entities, topics };
}

/** The tagging stage's tagger: offline always, the external one on top when configured. */
export class StoryTagger {
  private readonly external: OpenAiCompatibleTagger | undefined;

  constructor(llm?: LlmTaggerOptions) {
    this.external = llm ? new OpenAiCompatibleTagger(llm) : undefined;
  }

  async tag(input: TagInput): Promise<TaggingOutcome> {
    const offline = tagStory(input);
    if (!this.external) return { result: offline };
    const source = this.external.source;
    try {
      const found = await this.external.tag(input, offline);
      return { result: mergeTagging(offline, found), external: { source, status: 'merged', dropped: found.dropped } };
    } catch (error) {
      // Any failure of the external service leaves the offline tags, never a failed stage.
      const message = error instanceof Error ? error.message : String(error);
      return { result: offline, external: { source, status: 'failed', dropped: [], error: message } };
    }
  }
}
