import { Controller, Get } from '@nestjs/common';

@Controller('health')
export class FeedHealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
