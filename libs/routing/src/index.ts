export * from './rules';
export * from './route-version';
export * from './lifecycle';
export * from './withdraw';
