export * from './pipeline';
export * from './events';
export * from './language';
export * from './story';
export * from './lifecycle';
export * from './feeds';
