/**
 * Picks the translation provider for a language pair: providers are tried in the configured
 * order (e.g. a hosted engine first, Apertium as the offline fallback).
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
    let unavailable: unknown;
    for (const provider of this.providers) {
      try {
        if (await provider.supports(source, target)) return provider;
      } catch (err) {
        unavailable ??= err;
      }
    }
    if (unavailable !== undefined) throw unavailable;
    throw new TranslationUnsupportedError(
      source,
      target,
      this.providers.length ? `none of ${this.names.join(', ')} supports it` : 'no providers configured',
    );
  }
}
