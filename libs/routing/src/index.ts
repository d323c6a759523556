export * from './rules';
export * from './route-version';
