import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigModule, type TranslationConfig, type TranslationProviderName } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { PipelineEventsModule } from '@syndication/events';
import {
  ApertiumProvider,
  AzureTranslatorProvider,
  DeepLProvider,
  GoogleTranslateProvider,
  LibreTranslateProvider,
  OpenAiTranslateProvider,
  TranslationRegistry,
  type TranslationProvider,
} from '@syndication/language';
import { WorkerModule } from '@syndication/queue';
import { TranslateProcessor } from './translate.processor';

/** One adapter per configured engine; config validation guarantees the settings exist. */
export function buildProviders(t: TranslationConfig): TranslationProvider[] {
  const build: Record<TranslationProviderName, () => TranslationProvider | undefined> = {
    deepl: () => t.deepl && new DeepLProvider({ authKey: t.deepl.authKey, ...(t.deepl.url ? { serverUrl: t.deepl.url } : {}) }),
    azure: () => t.azure && new AzureTranslatorProvider({ key: t.azure.key, ...(t.azure.url ? { baseUrl: t.azure.url } : {}), ...(t.azure.region ? { region: t.azure.region } : {}) }),
    google: () =>
      t.google &&
      new GoogleTranslateProvider({ project: t.google.project, location: t.google.location, accessToken: t.google.token, ...(t.google.url ? { baseUrl: t.google.url } : {}) }),
    libretranslate: () => t.libretranslate && new LibreTranslateProvider({ baseUrl: t.libretranslate.url, ...(t.libretranslate.apiKey ? { apiKey: t.libretranslate.apiKey } : {}) }),
    openai: () => t.openai && new OpenAiTranslateProvider({ baseUrl: t.openai.url, model: t.openai.model, ...(t.openai.key ? { apiKey: t.openai.key } : {}) }),
    apertium: () => (t.apertiumUrl ? new ApertiumProvider(t.apertiumUrl) : undefined),
  };
  return t.order.map((name) => build[name]()).filter((p): p is TranslationProvider => p !== undefined);
}

/** Providers in preference order (TRANSLATION_PROVIDERS, else hosted engines before Apertium). */
@Module({
  providers: [
    {
      provide: TranslationRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new TranslationRegistry(buildProviders(config.translation)),
    },
  ],
  exports: [TranslationRegistry],
})
class TranslationProvidersModule {}

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    WorkerModule.forHandlers([TranslateProcessor], [TranslationProvidersModule, PipelineEventsModule]),
  ],
})
export class TranslationWorkerModule {}
