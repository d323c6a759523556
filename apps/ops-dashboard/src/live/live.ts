/**
 * Live updates: one poll of Postgres per second for the whole process (newest stage_event and
 * audit_event ids, and which stories moved), broadcast to every open page over SSE. Postgres is
 * the source of every change (intake, workers, poller, operators), so nothing is missed that a
 * Redis event would have carried, and the poll runs only while someone is watching.
 */
import { Controller, Injectable, Logger, type OnModuleDestroy, Sse, type MessageEvent } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { interval, map, merge, Observable, Subject } from 'rxjs';
import type { DataSource } from 'typeorm';
import { changesSince } from '@syndication/database';

export interface Change {
  eventId: string;
  auditId: string;
  storyIds: string[];
}

const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

@Injectable()
export class LiveChanges implements OnModuleDestroy {
  private readonly logger = new Logger(LiveChanges.name);
  private readonly changes = new Subject<Change>();
  private watchers = 0;
  private timer?: NodeJS.Timeout;
  private last?: { eventId: string; auditId: string };

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  stream(): Observable<Change> {
    return new Observable<Change>((sub) => {
      const s = this.changes.subscribe(sub);
      if (++this.watchers === 1) this.start();
      return () => {
        s.unsubscribe();
        if (--this.watchers === 0) this.stop();
      };
    });
  }

  private start(): void {
    const tick = async () => {
      try {
        const c = await changesSince(this.db, this.last?.eventId ?? '-1');
        const moved = this.last && (c.eventId !== this.last.eventId || c.auditId !== this.last.auditId);
        this.last = { eventId: c.eventId, auditId: c.auditId };
        if (moved) this.changes.next(c);
      } catch (err) {
        this.logger.warn(`live poll failed: ${(err as Error).message}`);
      }
      if (this.watchers > 0) this.timer = setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.last = undefined;
  }

  onModuleDestroy(): void {
    this.watchers = 0;
    this.stop();
    this.changes.complete();
  }
}

@Controller('ops')
export class LiveController {
  constructor(private readonly live: LiveChanges) {}

  /** `event: change` with {eventId, auditId, storyIds}; a comment-like heartbeat keeps proxies open. */
  @Sse('events')
  events(): Observable<MessageEvent> {
    return merge(
      this.live.stream().pipe(map((c): MessageEvent => ({ type: 'change', id: c.eventId, data: c }))),
      interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'heartbeat', data: {} }))),
    );
  }
}
