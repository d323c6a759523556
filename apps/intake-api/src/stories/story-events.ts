/**
 * Live story status: pipeline events arrive from the workers over the @nestjs/microservices
 * Redis transport and are fanned out to the partners' SSE streams. This is a notification path
 * only; a client that misses an event re-reads GET /v1/stories/:id.
 */
import { Controller, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { EventPattern, Payload } from '@nestjs/microservices';
import { Subject, type Observable, filter } from 'rxjs';
import { PIPELINE_EVENT_PATTERN, type PipelineEvent } from '@syndication/contracts';

@Injectable()
export class StoryEventsHub {
  private readonly events = new Subject<PipelineEvent>();

  publish(event: PipelineEvent): void {
    this.events.next(event);
  }

  forStory(storyId: string): Observable<PipelineEvent> {
    return this.events.pipe(filter((e) => e.storyId === storyId));
  }
}

@Controller()
export class StoryEventsConsumer {
  constructor(
    private readonly hub: StoryEventsHub,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @EventPattern(PIPELINE_EVENT_PATTERN)
  onPipelineEvent(@Payload() event: PipelineEvent): void {
    // Other installations sharing this Redis publish on the same channel.
    if (event.installation === this.config.redis.prefix) this.hub.publish(event);
  }
}
