/** `GET /openapi.json`: the intake's OpenAPI 3.1 document (Swagger UI at /docs renders the same). */
import { Controller, Get, Inject } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { openApiDocument } from './openapi.document';

@Controller()
export class OpenApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.document = openApiDocument(config.intake.publicUrl);
  }

  @Get('openapi.json')
  get() {
    return this.document;
  }
}
