export * from './prng';
export * from './tcp-proxy';
export * from './redis-server';
export * from './supervisor';
export * from './endpoints';
export * from './load';
export * from './checker';
export * from './system';
