export * from './redis-transport';
export * from './pipeline-events';
