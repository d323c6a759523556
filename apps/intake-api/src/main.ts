/** Intake API: partners push stories over HTTP; pipeline events arrive on the Redis transport. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig, loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { IntakeApiModule } from './app.module';
import { configureIntakeApp } from './setup';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(IntakeApiModule, {
    bodyParser: false,
    logger: bootObservability('intake-api', loadConfig()),
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  await configureIntakeApp(app, config);
  await app.listen(config.intake.port, config.intake.host);
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`intake-api failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
