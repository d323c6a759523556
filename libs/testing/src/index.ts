export * from './webhook-receiver';
export * from './translation-fakes';
export * from './ports';
export * from './fault';
