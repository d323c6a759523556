export * from './canonical';
export * from './plain-text';
export * from './ninjs';
