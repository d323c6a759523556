import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig, ConfigModule, type TranslationConfig, type TranslationProviderName } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { ObservabilityModule } from '@syndication/observability';
import { PipelineEventsModule } from '@syndication/events';
import {
  ApertiumProvider,
  AzureTranslatorProvider,
  DeepLProvider,
  GoogleTranslateProvider,
  LibreTranslateProvider,
  LimitedProvider,
  OpenAiTranslateProvider,
  RedisProviderLimiter,
  TranslationRegistry,
  metadataTokenSource,
  type ProviderGate,
  type TranslationProvider,
} from '@syndication/language';
import { WorkerModule, createRedis } from '@syndication/queue';
import { TranslateProcessor } from './translate.processor';

/** One adapter per configured engine; config validation guarantees the settings exist. */
export function buildProviders(t: TranslationConfig): TranslationProvider[] {
  const build: Record<TranslationProviderName, () => TranslationProvider | undefined> = {
    deepl: () => t.deepl && new DeepLProvider({ authKey: t.deepl.authKey, ...(t.deepl.url ? { serverUrl: t.deepl.url } : {}) }),
    azure: () => t.azure && new AzureTranslatorProvider({ key: t.azure.key, ...(t.azure.url ? { baseUrl: t.azure.url } : {}), ...(t.azure.region ? { region: t.azure.region } : {}) }),
    google: () =>
      t.google &&
      new GoogleTranslateProvider({
        project: t.google.project,
        location: t.google.location,
        ...(t.google.tokenUrl ? { tokenSource: metadataTokenSource(t.google.tokenUrl) } : { accessToken: t.google.token! }),
        ...(t.google.url ? { baseUrl: t.google.url } : {}),
      }),
    libretranslate: () => t.libretranslate && new LibreTranslateProvider({ baseUrl: t.libretranslate.url, ...(t.libretranslate.apiKey ? { apiKey: t.libretranslate.apiKey } : {}) }),
    openai: () => t.openai && new OpenAiTranslateProvider({ baseUrl: t.openai.url, model: t.openai.model, ...(t.openai.key ? { apiKey: t.openai.key } : {}) }),
    apertium: () => (t.apertiumUrl ? new ApertiumProvider(t.apertiumUrl) : undefined),
  };
  return t.order.map((name) => build[name]()).filter((p): p is TranslationProvider => p !== undefined);
}

/** Each adapter behind the shared per-provider limits (TRANSLATION_LIMITS) and 429 cool-downs. */
export function limitProviders(providers: TranslationProvider[], gate: ProviderGate, t: TranslationConfig): TranslationProvider[] {
  return providers.map((p) => new LimitedProvider(p, gate, (t.limits[p.name as TranslationProviderName]?.maxWaitSeconds ?? t.maxWaitSeconds) * 1000));
}

const LIMITER_REDIS = Symbol('LIMITER_REDIS');

/** Providers in preference order (TRANSLATION_PROVIDERS, else hosted engines before Apertium). */
@Module({
  providers: [
    {
      provide: LIMITER_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRedis(config.redis.url, 'worker'),
    },
    {
      provide: TranslationRegistry,
      inject: [APP_CONFIG, LIMITER_REDIS],
      useFactory: (config: AppConfig, redis: Redis) => {
        const gate = new RedisProviderLimiter(redis, config.redis.prefix, config.translation.limits);
        return new TranslationRegistry(limitProviders(buildProviders(config.translation), gate, config.translation));
      },
    },
  ],
  exports: [TranslationRegistry],
})
class TranslationProvidersModule implements OnApplicationShutdown {
  constructor(@Inject(LIMITER_REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Module({
  imports: [
    ConfigModule,
    DatabaseModule,
    ObservabilityModule.forRoot({ service: 'translation-worker', http: 'standalone' }),
    WorkerModule.forHandlers([TranslateProcessor], [TranslationProvidersModule, PipelineEventsModule]),
  ],
})
export class TranslationWorkerModule {}
