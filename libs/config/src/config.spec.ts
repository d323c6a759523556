import { ConfigError, loadConfig } from './config';

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
