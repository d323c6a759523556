/**
 * Releases routes whose translation wait has run out. A 'wait' route holds a version's
 * deliveries for its translations until `story_version.route_due_at`; if the translate stage is
 * still busy then (an engine that never answers, a long 429), this sweep routes the version with
 * what is ready, and the late languages follow when they land (routeVersion). routeVersion is
 * idempotent and serialised on the version row, so overlapping sweeps would be safe; the leader
 * lock only keeps N relays from doing the same reads N times.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { LeaderLockService } from '@syndication/database';
import { PipelineEvents } from '@syndication/events';
import { routeVersion, type RoutingOptions } from '@syndication/routing';

@Injectable()
export class RouteDeadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RouteDeadlines.name);
  private readonly routing: RoutingOptions;
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: PipelineEvents,
    private readonly leader: LeaderLockService,
  ) {
    this.routing = { defaultWaitSeconds: config.translation.waitSeconds };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.relay.routeDeadlinePollMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Routes every version whose deadline has passed; returns how many were released. */
  async runOnce(): Promise<number> {
    if (this.busy) return 0;
    this.busy = true;
    try {
      if (!(await this.leader.tryLead('route-deadlines'))) return 0;
      const due: Array<{ id: string }> = await this.db.query(
        'SELECT id FROM story_version WHERE route_due_at <= now() ORDER BY route_due_at LIMIT 200',
      );
      let released = 0;
      for (const { id } of due) {
        const result = await this.db.transaction((m) => routeVersion(m, id, this.routing));
        if (!result.routed) continue;
        released += 1;
        this.events.emit({ storyId: result.storyId, versionId: id, stage: 'route', status: 'done', detail: { deliveries: result.deliveries, skipped: result.skipped, deadline: true } });
      }
      return released;
    } catch (err) {
      this.logger.warn(`route deadline sweep failed: ${(err as Error).message}`);
      return 0;
    } finally {
      this.busy = false;
    }
  }
}
