/**
 * The demo partner that `npm start` provisions. Its key is public on purpose (a local demo);
 * production partners get random keys. DEMO_API_KEY overrides it.
 */
export const DEMO_PARTNER = 'demo';
export const DEMO_API_KEY = process.env['DEMO_API_KEY'] ?? 'demo.demo-secret-change-me';

/** The demo partner's HMAC signing key (see README, "Signed requests"); public like the API key. */
export const DEMO_SIGNING_KEY_ID = 'demo-hmac';
export const DEMO_SIGNING_SECRET = 'demo-hmac-secret-change-me';

/** `npm start` enables the admin API with this token unless ADMIN_TOKEN is set. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token-change-me';
