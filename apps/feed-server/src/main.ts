/** Feed server: serves each feed channel as RSS / Atom / JSON Feed, read from Postgres. */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig, loadConfig } from '@syndication/config';
import { bootObservability } from '@syndication/observability';
import { FeedServerModule } from './feed-server.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(FeedServerModule, {
    logger: bootObservability('feed-server', loadConfig()),
  });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  await app.listen(config.feeds.port, config.feeds.host);
}

// A failed boot is fatal and said so, not an unhandled rejection.
bootstrap().catch((err: unknown) => {
  process.stderr.write(`feed-server failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
