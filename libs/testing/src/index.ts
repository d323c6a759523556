export * from './webhook-receiver';
export * from './translation-fakes';
