export * from './webhook-receiver';
export * from './translation-fakes';
export * from './ports';
export * from './tcp-proxy';
export * from './redis-server';
