/**
 * Picks the translation providers for a language pair: providers are tried in the configured
 * order (e.g. a hosted engine first, Apertium as the offline fallback). `chain` gives every
 * provider that serves the pair, so the stage can fall back when the first one fails or answers
 * with something unusable.
 */
import type { LanguageCode } from '@syndication/contracts';
import { TranslationUnsupportedError, type TranslationProvider } from './provider';

export class TranslationRegistry {
  private readonly providers: readonly TranslationProvider[];

  constructor(providers: readonly TranslationProvider[]) {
    this.providers = [...providers];
  }

  get names(): string[] {
    return this.providers.map((p) => p.name);
  }

  /**
   * The first provider that supports the pair. If none does but one could not be asked (its
   * server is down), that provider's error is rethrown instead of "unsupported": the pair may
   * well be supported, and the job should retry rather than fail for good.
   */
  async resolve(source: LanguageCode, target: LanguageCode): Promise<TranslationProvider> {
    const [first] = await this.chain(source, target);
    return first!;
  }

  /**
   * Every provider that supports the pair, in preference order, leaving out `skip` (e.g. paused
   * for a spent quota). A provider that cannot be asked is left out too, unless no provider is
   * left, in which case its error is thrown (retry later) rather than "unsupported".
   * `order` (a route's or the pair's chain) replaces the configured order: only the providers it
   * names are used, in its order; names of providers that are not configured are ignored.
   */
  async chain(source: LanguageCode, target: LanguageCode, skip: ReadonlySet<string> = new Set(), order?: readonly string[]): Promise<TranslationProvider[]> {
    let unavailable: unknown;
    const found: TranslationProvider[] = [];
    const candidates = order ? order.map((name) => this.providers.find((p) => p.name === name)).filter((p): p is TranslationProvider => p !== undefined) : this.providers;
    if (order && !candidates.length) {
      throw new TranslationUnsupportedError(source, target, `the chain ${order.join(', ')} names no configured provider`);
    }
    const answers = await Promise.all(
      candidates
        .filter((p) => !skip.has(p.name))
        .map(async (provider) => {
          try {
            return { provider, ok: await provider.supports(source, target) };
          } catch (err) {
            return { provider, ok: false, err };
          }
        }),
    );
    for (const a of answers) {
      if (a.ok) found.push(a.provider);
      else if ('err' in a) unavailable ??= a.err;
    }
    if (found.length) return found;
    if (unavailable !== undefined) throw unavailable;
    const tried = candidates.map((p) => p.name);
    throw new TranslationUnsupportedError(source, target, tried.length ? `none of ${tried.join(', ')} supports it` : 'no providers configured');
  }
}
