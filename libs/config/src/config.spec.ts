import { DEFAULT_TOPIC_ROUTING_THRESHOLD } from '@syndication/contracts';
import { ConfigError, DEV_SECRETS_KEY, loadConfig } from './config';

describe('translation provider configuration', () => {
  it('orders configured providers hosted-first by default, Apertium last', () => {
    const c = loadConfig({
      APERTIUM_URL: 'http://127.0.0.1:2737',
      DEEPL_API_KEY: 'k:fx',
      DEEPL_URL: 'http://127.0.0.1:9/deepl',
      LIBRETRANSLATE_URL: 'http://127.0.0.1:5000',
      OPENAI_TRANSLATE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_TRANSLATE_MODEL: 'qwen2.5',
    });
    expect(c.translation.order).toEqual(['deepl', 'openai', 'libretranslate', 'apertium']);
    expect(c.translation.deepl).toEqual({ authKey: 'k:fx', url: 'http://127.0.0.1:9/deepl' });
    expect(c.translation.openai).toEqual({ url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5' });
  });

  it('takes TRANSLATION_PROVIDERS as the order, and refuses a provider it cannot configure', () => {
    const env = { APERTIUM_URL: 'http://127.0.0.1:2737', AZURE_TRANSLATOR_KEY: 'k', AZURE_TRANSLATOR_REGION: 'westeurope' };
    expect(loadConfig({ ...env, TRANSLATION_PROVIDERS: 'apertium, azure' }).translation.order).toEqual(['apertium', 'azure']);
    expect(() => loadConfig({ ...env, TRANSLATION_PROVIDERS: 'google,apertium' })).toThrow(/TRANSLATION_PROVIDERS: google named but not configured/);
    expect(() => loadConfig({ TRANSLATION_PROVIDERS: 'babelfish' })).toThrow(ConfigError);
  });

  it('reads per-pair chains, per-provider limits and the waits', () => {
    const env = { APERTIUM_URL: 'http://127.0.0.1:2737', DEEPL_API_KEY: 'k', LIBRETRANSLATE_URL: 'http://127.0.0.1:5000' };
    const c = loadConfig({
      ...env,
      TRANSLATION_CHAIN_ru_uk: 'apertium, deepl',
      TRANSLATION_LIMITS: 'deepl:concurrency=2,rps=5,cpm=500000,wait=3; apertium:concurrency=1',
      TRANSLATION_MAX_WAIT_SECONDS: '20',
      TRANSLATION_WAIT_SECONDS: '120',
      ROUTE_DEADLINE_POLL_MS: '500',
    });
    expect(c.translation.pairChains).toEqual({ 'ru-uk': ['apertium', 'deepl'] });
    expect(c.translation.limits).toEqual({ deepl: { concurrency: 2, requestsPerSecond: 5, charsPerMinute: 500000, maxWaitSeconds: 3 }, apertium: { concurrency: 1 } });
    expect(c.translation).toMatchObject({ maxWaitSeconds: 20, waitSeconds: 120 });
    expect(c.relay.routeDeadlinePollMs).toBe(500);
    expect(() => loadConfig({ ...env, TRANSLATION_CHAIN_ru_uk: 'google' })).toThrow(/TRANSLATION_CHAIN_ru_uk: google not among the providers in use/);
    expect(() => loadConfig({ ...env, TRANSLATION_PROVIDERS: 'apertium', TRANSLATION_CHAIN_ru_uk: 'deepl,apertium' })).toThrow(/TRANSLATION_CHAIN_ru_uk/);
    expect(() => loadConfig({ ...env, TRANSLATION_LIMITS: 'deepl:speed=3' })).toThrow(/TRANSLATION_LIMITS: deepl: unknown limit "speed"/);
    expect(() => loadConfig({ ...env, TRANSLATION_LIMITS: 'babelfish:rps=1' })).toThrow(/unknown provider "babelfish"/);
    expect(() => loadConfig({ ...env, TRANSLATION_LIMITS: 'deepl:concurrency=1.5' })).toThrow(/concurrency must be an integer/);
  });

  it('configures Google with a token endpoint instead of a fixed token', () => {
    const c = loadConfig({ GOOGLE_TRANSLATE_PROJECT: 'p', GOOGLE_TRANSLATE_TOKEN_URL: 'http://169.254.169.254/computeMetadata/v1/instance/service-accounts/default/token' });
    expect(c.translation.google).toMatchObject({ project: 'p', tokenUrl: expect.stringContaining('/token') });
    expect(c.translation.order).toEqual(['google']);
  });
});

describe('request signing and admin configuration', () => {
  it('defaults to a 300 s window, the public development secrets key and no admin API', () => {
    const c = loadConfig({});
    expect(c.auth.signatureWindowSeconds).toBe(300);
    expect(c.auth.secretsKey).toHaveLength(32);
    expect(c.auth.secretsKeyIsDevDefault).toBe(true);
    expect(c.auth.adminToken).toBeUndefined();
  });

  it('takes a real secrets key and admin token', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const c = loadConfig({ SECRETS_KEY: key, ADMIN_TOKEN: 'a-long-enough-admin-token-0123', SIGNATURE_WINDOW_SECONDS: '60' });
    expect(c.auth.secretsKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(c.auth.secretsKeyIsDevDefault).toBe(false);
    expect(c.auth.adminToken).toBe('a-long-enough-admin-token-0123');
    expect(c.auth.signatureWindowSeconds).toBe(60);
  });

  it('refuses to start in production without its own SECRETS_KEY, naming the variable', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEY: required when NODE_ENV=production \(unset\)/);
    expect(() => loadConfig({ NODE_ENV: 'production', SECRETS_KEY: DEV_SECRETS_KEY })).toThrow(/SECRETS_KEY: .*public development key/);
    const key = Buffer.alloc(32, 3).toString('base64');
    expect(loadConfig({ NODE_ENV: 'production', SECRETS_KEY: key }).auth.secretsKeyIsDevDefault).toBe(false);
    // Outside production the development default still lets `npm start` and the tests run.
    expect(loadConfig({ NODE_ENV: 'development' }).auth.secretsKeyIsDevDefault).toBe(true);
  });

  it('builds the key ring: SECRETS_KEY first, then SECRETS_KEY_PREVIOUS in order', () => {
    const [a, b, c] = [1, 2, 3].map((n) => Buffer.alloc(32, n));
    const cfg = loadConfig({ SECRETS_KEY: a!.toString('base64'), SECRETS_KEY_PREVIOUS: `${b!.toString('base64')}, ${c!.toString('base64')}` });
    expect(cfg.auth.secretsKey.equals(a!)).toBe(true);
    expect(cfg.auth.secretsKeys.map((k) => k[0])).toEqual([1, 2, 3]);
    expect(loadConfig({}).auth.secretsKeys).toHaveLength(1);
    expect(() => loadConfig({ SECRETS_KEY_PREVIOUS: `${b!.toString('base64')},short` })).toThrow(/SECRETS_KEY_PREVIOUS/);
  });

  it.each([
    ['SECRETS_KEY', Buffer.alloc(16).toString('base64')],
    ['SECRETS_KEY', 'not base64 at all!'],
    ['ADMIN_TOKEN', 'short'],
    ['ADMIN_TOKEN', 'has spaces in it but is long enough'],
    ['SIGNATURE_WINDOW_SECONDS', '0'],
    ['SIGNATURE_WINDOW_SECONDS', '86400'],
  ])('refuses %s=%j, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});

describe('external tagger configuration', () => {
  it('is off by default', () => {
    expect(loadConfig({}).tagging).toEqual({ topicRoutingThreshold: DEFAULT_TOPIC_ROUTING_THRESHOLD });
    expect(loadConfig({ TOPIC_ROUTING_THRESHOLD: '0.35' }).tagging.topicRoutingThreshold).toBe(0.35);
    expect(() => loadConfig({ TOPIC_ROUTING_THRESHOLD: '1.5' })).toThrow(/TOPIC_ROUTING_THRESHOLD/);
  });

  it('takes the URL, model, key and timeout of an OpenAI-compatible endpoint', () => {
    const config = loadConfig({
      TAGGER_LLM_URL: 'http://127.0.0.1:11434/v1',
      TAGGER_LLM_MODEL: 'qwen2.5',
      TAGGER_LLM_KEY: 'sk-test',
      TAGGER_LLM_TIMEOUT_MS: '2000',
    });
    expect(config.tagging.llm).toEqual({ url: 'http://127.0.0.1:11434/v1', model: 'qwen2.5', key: 'sk-test', timeoutMs: 2000 });
    expect(loadConfig({ TAGGER_LLM_URL: 'http://127.0.0.1:11434/v1', TAGGER_LLM_MODEL: 'm' }).tagging.llm?.timeoutMs).toBe(15_000);
  });

  it('refuses half a configuration and bad values', () => {
    expect(() => loadConfig({ TAGGER_LLM_URL: 'http://127.0.0.1:11434/v1' })).toThrow(/TAGGER_LLM_URL and TAGGER_LLM_MODEL/);
    expect(() => loadConfig({ TAGGER_LLM_MODEL: 'm' })).toThrow(ConfigError);
    expect(() => loadConfig({ TAGGER_LLM_URL: 'not a url', TAGGER_LLM_MODEL: 'm' })).toThrow(/TAGGER_LLM_URL/);
    expect(() => loadConfig({ TAGGER_LLM_URL: 'http://x/v1', TAGGER_LLM_MODEL: 'm', TAGGER_LLM_TIMEOUT_MS: '0' })).toThrow(/TAGGER_LLM_TIMEOUT_MS/);
  });
});

describe('outbound configuration', () => {
  it('builds the outbound SSRF policy: refusing by default, allowlist checked at boot', () => {
    expect(loadConfig({}).outbound).toMatchObject({ allowPrivate: false, cidrs: [] });
    const c = loadConfig({ OUTBOUND_ALLOWLIST: '127.0.0.0/8, ::1, feeds.internal', OUTBOUND_ALLOW_PRIVATE: 'false' });
    expect(c.outbound.cidrs).toHaveLength(2);
    expect([...c.outbound.hosts]).toEqual(['feeds.internal']);
    expect(loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'true' }).outbound.allowPrivate).toBe(true);
    expect(() => loadConfig({ OUTBOUND_ALLOWLIST: '10.0.0.0/99' })).toThrow(/OUTBOUND_ALLOWLIST/);
    expect(() => loadConfig({ OUTBOUND_ALLOW_PRIVATE: 'yes' })).toThrow(/OUTBOUND_ALLOW_PRIVATE/);
  });
});

describe('publisher reliability configuration', () => {
  it('leases with a 15 s margin and has no fault point by default', () => {
    const c = loadConfig({});
    expect(c.publisher.leaseMarginMs).toBe(15_000);
    expect(c.faults).toEqual({});
  });

  it('takes a named fault point with its once-file, and refuses an unknown point', () => {
    expect(loadConfig({ FAULT_POINT: 'after_send', FAULT_POINT_ONCE_FILE: '/tmp/fired', PUBLISH_LEASE_MARGIN_MS: '2000' })).toMatchObject({
      faults: { point: 'after_send', onceFile: '/tmp/fired' },
      publisher: { leaseMarginMs: 2_000 },
    });
    expect(() => loadConfig({ FAULT_POINT: 'during_lunch' })).toThrow(/FAULT_POINT/);
  });
});
