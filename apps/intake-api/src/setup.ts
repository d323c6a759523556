/** HTTP setup shared by main.ts and the test harness, so tests run the intake exactly as deployed. */
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@syndication/config';
import { redisTransportOptions } from '@syndication/events';
import { bodyErrorHandler, rawBodyMiddleware } from './http/raw-body';

export async function configureIntakeApp(app: NestExpressApplication, config: AppConfig): Promise<void> {
  app.disable('x-powered-by');
  app.use(rawBodyMiddleware(config.intake.maxBodyBytes), bodyErrorHandler);
  app.enableShutdownHooks();
  app.connectMicroservice(redisTransportOptions(config.redis.url), { inheritAppConfig: true });
  await app.startAllMicroservices();
}
