/** Outbound network access: the SSRF guard (address policy) and bounded, guarded HTTP requests. */
export * from './address-policy';
export * from './guarded-request';
