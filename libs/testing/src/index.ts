export * from './webhook-receiver';
export * from './translation-fakes';
export * from './ports';
export * from './fake-telegram';
export * from './smtp-sink';
export * from './fake-mastodon';
export * from './fault';
