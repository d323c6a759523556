/**
 * The ids a log line should carry (request, story, version, job, delivery), held per async call
 * chain. HTTP middleware and the stage-worker wrapper open a context; anything logged inside it,
 * however deep, is stamped with those ids without passing them around.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  partner?: string;
  storyId?: string;
  versionId?: string;
  deliveryId?: string;
  jobId?: string;
  queue?: string;
}

const store = new AsyncLocalStorage<LogContext>();

export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return store.run({ ...store.getStore(), ...ctx }, fn);
}

/** Adds ids to the current context (e.g. the story id once the handler knows it). */
export function addLogContext(ctx: LogContext): void {
  const current = store.getStore();
  if (current) Object.assign(current, ctx);
}

export function currentLogContext(): LogContext | undefined {
  return store.getStore();
}
