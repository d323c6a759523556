import type { LanguageCode } from '@syndication/contracts';
import { TranslationProviderError, TranslationUnsupportedError, type TranslationProvider } from './provider';
import { TranslationRegistry } from './registry';

function provider(name: string, pairs: string[] | Error): TranslationProvider {
  return {
    name,
    limits: { maxSegments: 10, maxCharsPerCall: 1000, multiTarget: false, html: false },
    supports: async (source: LanguageCode, target: LanguageCode) => {
      if (pairs instanceof Error) throw pairs;
      return pairs.includes(`${source}-${target}`);
    },
    translate: async ({ segments }) => ({ segments }),
  };
}

describe('TranslationRegistry', () => {
  it('returns the first provider that supports the pair', async () => {
    const registry = new TranslationRegistry([provider('deepl', ['en-de']), provider('apertium', ['ru-uk', 'en-de'])]);
    expect((await registry.resolve('en', 'de')).name).toBe('deepl');
    expect((await registry.resolve('ru', 'uk')).name).toBe('apertium');
  });

  it('throws TranslationUnsupportedError when no provider supports the pair', async () => {
    const registry = new TranslationRegistry([provider('apertium', ['ru-uk'])]);
    await expect(registry.resolve('ru', 'en')).rejects.toBeInstanceOf(TranslationUnsupportedError);
    await expect(new TranslationRegistry([]).resolve('ru', 'en')).rejects.toBeInstanceOf(TranslationUnsupportedError);
  });

  it('skips a provider that cannot be asked, and rethrows its error rather than calling the pair unsupported', async () => {
    const outage = new TranslationProviderError('apertium', 'unreachable', { retryable: true });
    const registry = new TranslationRegistry([provider('apertium', outage), provider('libre', ['ru-uk'])]);
    expect((await registry.resolve('ru', 'uk')).name).toBe('libre');
    await expect(registry.resolve('ru', 'en')).rejects.toBe(outage);
  });

  it('lists every provider of a pair in preference order, leaving out skipped ones', async () => {
    const registry = new TranslationRegistry([provider('deepl', ['ru-uk']), provider('libre', ['ru-en']), provider('apertium', ['ru-uk'])]);
    expect((await registry.chain('ru', 'uk')).map((p) => p.name)).toEqual(['deepl', 'apertium']);
    expect((await registry.chain('ru', 'uk', new Set(['deepl']))).map((p) => p.name)).toEqual(['apertium']);
    await expect(registry.chain('ru', 'uk', new Set(['deepl', 'apertium']))).rejects.toBeInstanceOf(TranslationUnsupportedError);
  });

  it('uses a given chain instead of the configured order, ignoring names it does not know', async () => {
    const registry = new TranslationRegistry([provider('deepl', ['ru-uk']), provider('libre', ['ru-uk']), provider('apertium', ['ru-uk'])]);
    expect((await registry.chain('ru', 'uk', new Set(), ['apertium', 'google', 'deepl'])).map((p) => p.name)).toEqual(['apertium', 'deepl']);
    expect((await registry.chain('ru', 'uk', new Set(['apertium']), ['apertium', 'deepl'])).map((p) => p.name)).toEqual(['deepl']);
    await expect(registry.chain('ru', 'uk', new Set(), ['google'])).rejects.toThrow(/names no configured provider/);
  });
});
