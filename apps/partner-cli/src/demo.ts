/**
 * The demo partner that `npm start` provisions. Its key is public on purpose (a local demo);
 * production partners get random keys. DEMO_API_KEY overrides it.
 */
export const DEMO_PARTNER = 'demo';
export const DEMO_API_KEY = process.env['DEMO_API_KEY'] ?? 'demo.demo-secret-change-me';
