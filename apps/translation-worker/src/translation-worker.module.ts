import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigModule } from '@syndication/config';
import { DatabaseModule } from '@syndication/database';
import { PipelineEventsModule } from '@syndication/events';
import { ApertiumProvider, TranslationRegistry, type TranslationProvider } from '@syndication/language';
import { WorkerModule } from '@syndication/queue';
import { TranslateProcessor } from './translate.processor';

/** Providers in preference order; adding a hosted engine means adding it here, before Apertium. */
@Module({
  providers: [
    {
      provide: TranslationRegistry,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const providers: TranslationProvider[] = [];
        if (config.translation.apertiumUrl) providers.push(new ApertiumProvider(config.translation.apertiumUrl));
        return new TranslationRegistry(providers);
      },
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
