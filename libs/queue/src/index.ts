export * from './connection';
export * from './job-options';
export * from './producer';
export * from './stage-worker';
export * from './worker.module';
