/**
 * HTTP setup of the dashboard, shared by main.ts and the tests: helmet with a strict CSP (scripts
 * and styles from this origin only, no inline script, no eval), cookies, the assets shipped with
 * the app (htmx from node_modules, our CSS and JS), bull-board behind the session, problem+json.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { OpsProblemFilter } from './http/problem';
import { OpsService } from './ops/ops.service';
import { mountBullBoard } from './queues/bull-board';

/** apps/ops-dashboard/assets, from the sources (tests) or from dist/ (npm start, the image). */
export function assetsDir(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    const candidate = join(dir, 'apps', 'ops-dashboard', 'assets');
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, 'assets', 'app.js')) && dir.endsWith('ops-dashboard')) return join(dir, 'assets');
  }
  throw new Error('ops dashboard assets not found (apps/ops-dashboard/assets)');
}

const strict = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
});
// bull-board's React UI sets inline styles; scripts stay same-origin only.
const queueBoard = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
});

export async function configureDashboardApp(app: NestExpressApplication): Promise<void> {
  app.disable('x-powered-by');
  app.use((req: Request, res: Response, next: NextFunction) => (req.path.startsWith('/ops/queues/') ? queueBoard : strict)(req, res, next));
  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));
  app.use(express.json({ limit: '256kb' }));
  const assets = assetsDir();
  const htmx = require.resolve('htmx.org/dist/htmx.min.js');
  app.use('/ops/assets/htmx.min.js', (_req: Request, res: Response) => res.type('application/javascript').sendFile(htmx, { maxAge: '1h' }));
  app.use('/ops/assets', express.static(assets, { maxAge: '5m', index: false }));
  mountBullBoard(app, app.get(OpsService).queues);
  app.useGlobalFilters(new OpsProblemFilter());
  app.enableShutdownHooks();
}
