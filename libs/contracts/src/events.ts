/**
 * Pipeline events published on the `@nestjs/microservices` Redis transport. They are
 * notifications for live views (the story status stream), never the carrier of work: losing one
 * loses nothing, since Postgres holds the state and the timeline.
 */
import type { Stage } from './pipeline';

export const PIPELINE_EVENT_PATTERN = 'pipeline.stage';

export interface PipelineEvent {
  /**
   * The emitting installation's queue prefix. The Redis pub/sub channel is shared by everything on
   * one Redis, so consumers keep only their own installation's events.
   */
  installation: string;
  storyId: string;
  versionId: string;
  stage: Stage;
  status: 'started' | 'done' | 'failed' | 'skipped' | 'retrying';
  /** Delivery id, language, channel... whatever narrows the event. */
  detail?: Record<string, unknown>;
  at: string;
}
