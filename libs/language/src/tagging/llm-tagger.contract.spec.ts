/**
 * Contract of the external tagger against a local fake of OpenAI's chat-completions endpoint
 * (node:http on 127.0.0.1): bearer auth, the request body OpenAI documents (model, messages,
 * response_format json_schema with a strict schema), the chat.completion answer shape, 429 with
 * Retry-After, 500, slow answers and malformed content.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StoryTagger } from './llm-tagger';
import { mediaTopics } from './media-topics';
import type { TagInput } from './types';

interface Captured {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: {
    model?: string;
    temperature?: number;
    messages?: Array<{ role: string; content: string }>;
    response_format?: { type: string; json_schema?: { name: string; strict: boolean; schema: Record<string, unknown> } };
  };
}

type Reply = { status: number; headers?: Record<string, string>; body: unknown; delayMs?: number };

const KEY = 'sk-test-123';
const MODEL = 'gpt-4o-mini';

class FakeOpenAi {
  readonly requests: Captured[] = [];
  private replies: Array<(request: Captured) => Reply> = [];
  private server!: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const captured: Captured = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: JSON.parse(raw || '{}') as Captured['body'] };
        this.requests.push(captured);
        if (req.headers.authorization !== `Bearer ${KEY}`) {
          res.writeHead(401, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }));
          return;
        }
        const noReply = (): Reply => ({ status: 500, body: { error: { message: 'no reply queued' } } });
        const reply = (this.replies.shift() ?? noReply)(captured);
        const send = (): void => {
          if (res.destroyed) return;
          res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  queue(...replies: Array<(request: Captured) => Reply>): void {
    this.replies.push(...replies);
  }
}

/** A chat.completion object as OpenAI returns it. */
function completion(content: string): Reply {
  return {
    status: 200,
    body: {
      id: 'chatcmpl-fake1',
      object: 'chat.completion',
      created: 1_764_310_000,
      model: MODEL,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 900, completion_tokens: 120, total_tokens: 1020 },
    },
  };
}

const story: TagInput = {
  headline: 'Mongolia and the United States sign a minerals agreement',
  body: 'The foreign minister of Mongolia, Battsetseg Batmunkh, met Secretary of State Marco Rubio in Washington. Rio Tinto said the deal would help its Oyu Tolgoi copper mine.',
  language: 'en',
};

const goodAnswer = JSON.stringify({
  entities: [
    { name: 'Mongolia', type: 'place', surfaces: ['Mongolia'], wikidata: 'Q711', confidence: 0.98 },
    { name: 'Rio Tinto', type: 'organisation', surfaces: ['Rio Tinto'], wikidata: null, confidence: 0.9 },
    { name: 'Battsetseg Batmunkh', type: 'person', surfaces: ['Battsetseg Batmunkh'], wikidata: null, confidence: 0.9 },
    { name: 'Atlantis', type: 'place', surfaces: ['Atlantis'], wikidata: null, confidence: 0.4 },
    { name: 'Nobody', type: 'animal', surfaces: ['minister'], wikidata: null, confidence: 0.4 },
  ],
  topics: [
    { code: 'medtop:20000639', score: 0.9 },
    { code: 'medtop:04000000', score: 0.7 },
    { code: 'medtop:20000030', score: 0.5 },
    { code: 'medtop:99999999', score: 0.5 },
  ],
});

describe('StoryTagger with an OpenAI-compatible endpoint (contract, local fake)', () => {
  const fake = new FakeOpenAi();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => fake.requests.splice(0));

  const tagger = (timeoutMs = 5_000, apiKey = KEY): StoryTagger => new StoryTagger({ baseUrl: fake.url, apiKey, model: MODEL, timeoutMs });

  it('sends the documented request: bearer key, model, messages and a strict json_schema with the offered codes', async () => {
    fake.queue(() => completion(goodAnswer));
    await tagger().tag(story);
    const [request] = fake.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.body.model).toBe(MODEL);
    expect(request?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request?.body.messages?.[1]?.content).toContain('Battsetseg Batmunkh');
    const format = request?.body.response_format;
    expect(format?.type).toBe('json_schema');
    expect(format?.json_schema).toMatchObject({ name: 'news_tags', strict: true });
    const schema = format?.json_schema?.schema as { properties: { topics: { items: { properties: { code: { enum: string[] } } } } } };
    const codes = schema.properties.topics.items.properties.code.enum;
    expect(codes).toContain('medtop:11000000');
    expect(codes).toContain('medtop:20000639'); // the offline tagger's code
    expect(codes.every((code) => mediaTopics().get(code) !== undefined)).toBe(true);
    expect(request?.body.messages?.[0]?.content).toContain('medtop:11000000 politics');
  });

  it('merges by id, keeps every source, and drops invalid codes and entities with a reason', async () => {
    fake.queue(() => completion(goodAnswer));
    const { result, external } = await tagger().tag(story);
    const mongolia = result.entities.find((e) => e.id === 'Q711');
    expect(mongolia?.source).toBe(`gazetteer+llm:${MODEL}`);
    expect(result.entities.filter((e) => e.id === 'Q711')).toHaveLength(1);
    // Matched to the gazetteer entry by canonical name, not duplicated under a new id.
    expect(result.entities.find((e) => e.id === 'person:battsetseg-batmunkh')?.source).toContain(`llm:${MODEL}`);
    const rio = result.entities.find((e) => e.name === 'Rio Tinto');
    expect(rio).toMatchObject({ id: 'organisation:rio-tinto', type: 'organisation' });
    expect(rio?.source).toContain(`llm:${MODEL}`);
    expect(rio?.mentions).toEqual([{ surface: 'Rio Tinto', offset: `${story.headline}\n\n`.length + story.body.indexOf('Rio Tinto') }]);
    const diplomacy = result.topics.find((t) => t.code === 'medtop:20000639');
    expect(diplomacy?.source).toBe(`rules+llm:${MODEL}`);
    expect(result.topics.find((t) => t.code === 'medtop:04000000')).toMatchObject({ source: `llm:${MODEL}`, ancestors: [] });
    expect(result.topics.map((t) => t.code)).not.toContain('medtop:20000030');
    expect(external?.status).toBe('merged');
    expect(external?.dropped).toEqual(
      expect.arrayContaining([
        { kind: 'topic', value: 'medtop:20000030', reason: 'retired code' },
        { kind: 'topic', value: 'medtop:99999999', reason: 'unknown code' },
        { kind: 'entity', value: 'Atlantis', reason: 'no surface form found in the text' },
        { kind: 'entity', value: 'Nobody', reason: 'missing name or unknown type' },
      ]),
    );
  });

  it('waits for Retry-After after a 429 and then uses the answer', async () => {
    fake.queue(
      () => ({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } } }),
      () => completion(goodAnswer),
    );
    const started = Date.now();
    const { external } = await tagger().tag(story);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.requests).toHaveLength(2);
    expect(external?.status).toBe('merged');
  });

  it('does not wait past its budget for a long Retry-After: offline tags only, with the reason', async () => {
    fake.queue(() => ({ status: 429, headers: { 'retry-after': '60' }, body: { error: { message: 'Rate limit reached' } } }));
    const { result, external } = await tagger(2_000).tag(story);
    expect(external).toMatchObject({ status: 'failed', error: 'HTTP 429' });
    expect(result.entities.every((e) => !e.source.includes('llm:'))).toBe(true);
    expect(result.entities.length).toBeGreaterThan(0);
  });

  it('falls back to the offline tags on a 500, on a timeout and on a wrong key', async () => {
    fake.queue(() => ({ status: 500, body: { error: { message: 'The server had an error while processing your request.' } } }));
    expect((await tagger().tag(story)).external).toMatchObject({ status: 'failed', error: 'HTTP 500' });

    fake.queue(() => ({ ...completion(goodAnswer), delayMs: 1_500 }));
    const slow = await tagger(300).tag(story);
    expect(slow.external).toMatchObject({ status: 'failed', error: 'timed out' });
    expect(slow.result.topics.every((t) => t.source === 'rules')).toBe(true);

    expect((await tagger(5_000, 'sk-wrong').tag(story)).external).toMatchObject({ status: 'failed', error: 'HTTP 401' });
  });

  it('records malformed JSON content as a failure and keeps the offline tags', async () => {
    fake.queue(() => completion('{"entities": [ {"name": "Mongolia"'));
    const { result, external } = await tagger().tag(story);
    expect(external).toMatchObject({ status: 'failed', error: 'message content is not JSON' });
    expect(result.entities.find((e) => e.id === 'Q711')?.source).toBe('gazetteer');
  });

  it('is not called at all when no endpoint is configured', async () => {
    const outcome = await new StoryTagger().tag(story);
    expect(outcome.external).toBeUndefined();
    expect(fake.requests).toHaveLength(0);
    expect(outcome.result.entities.map((e) => e.id)).toContain('Q711');
  });
});
