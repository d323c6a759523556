/** HTTP setup shared by main.ts and the test harness, so tests run the intake exactly as deployed. */
import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '@syndication/config';
import { resilientRedisServer } from '@syndication/events';
import { bodyErrorHandler, rawBodyMiddleware } from './http/raw-body';
import { openApiDocument } from './openapi/openapi.document';

export async function configureIntakeApp(app: NestExpressApplication, config: AppConfig): Promise<void> {
  app.disable('x-powered-by');
  app.use(rawBodyMiddleware(config.intake.maxBodyBytes), bodyErrorHandler);
  // Swagger UI's assets come from the installed swagger-ui-dist; the validator badge (an outside
  // service) is off, so the page needs nothing from the network.
  SwaggerModule.setup('docs', app, openApiDocument(config.intake.publicUrl) as unknown as OpenAPIObject, {
    raw: false,
    customSiteTitle: 'Syndication intake API',
    swaggerOptions: { validatorUrl: null },
  });
  if (config.auth.secretsKeyIsDevDefault) {
    new Logger('Intake').warn('SECRETS_KEY is the public development default: set your own before holding real partner secrets (README)');
  }
  app.enableShutdownHooks();
  // Returns without waiting for Redis: the intake accepts stories (outbox) while Redis is down.
  app.connectMicroservice(resilientRedisServer(config.redis.url), { inheritAppConfig: true });
  await app.startAllMicroservices();
}
