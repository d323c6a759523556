/**
 * bull-board (@bull-board/express) as the raw-queue tab, behind the dashboard's session: viewers
 * get a board whose queue adapters are in `readOnlyMode` (/ops/queues/view), operators one that
 * can retry and clean jobs (/ops/queues/manage). bull-board's own API calls carry no CSRF token,
 * so state changes there must come from this origin (Origin / Sec-Fetch-Site checked) on top of
 * the SameSite=Strict session cookie. Each job links back to its story page via externalJobUrl.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Response } from 'express';
import type { Queue } from 'bullmq';
import { roleAtLeast, type OpsRole } from '@syndication/database';
import { OpsAuth, type OpsRequest } from '../auth/ops-auth';
import { forbidden, OpsProblem } from '../http/problem';

function guard(auth: OpsAuth, role: OpsRole) {
  return (req: OpsRequest, res: Response, next: NextFunction) => {
    void (async () => {
      const safe = req.method === 'GET' || req.method === 'HEAD';
      try {
        const p = await auth.identify(req);
        if (!p) {
          res.redirect(303, `/login?next=${encodeURIComponent('/ops/queues')}`);
          return;
        }
        if (!safe) {
          const site = req.headers['sec-fetch-site'];
          const origin = req.headers.origin;
          const sameOrigin = site === 'same-origin' || (typeof origin === 'string' && origin === `${req.protocol}://${req.headers.host}`);
          if (!sameOrigin) throw new OpsProblem(403, 'cross_origin_refused', 'Forbidden', 'Queue actions must come from the dashboard itself');
        }
        if (!roleAtLeast(p.role, role)) throw forbidden(`The writable queue board needs the ${role} role`);
        next();
      } catch (err) {
        const p = err instanceof OpsProblem ? err : new OpsProblem(500, 'internal_error', 'Internal error', 'auth check failed');
        res.status(p.status).type('application/problem+json').send(JSON.stringify({ title: p.title, status: p.status, code: p.code, detail: p.detail }));
      }
    })();
  };
}

export function mountBullBoard(app: NestExpressApplication, queues: Queue[]): void {
  const auth = app.get(OpsAuth);
  for (const [path, readOnlyMode, role] of [['/ops/queues/view', true, 'viewer'], ['/ops/queues/manage', false, 'operator']] as const) {
    const server = new ExpressAdapter();
    server.setBasePath(path);
    createBullBoard({
      queues: queues.map(
        (q) =>
          new BullMQAdapter(q, {
            readOnlyMode,
            allowRetries: !readOnlyMode,
            externalJobUrl: (job) => ({ displayText: 'story', href: `/ops/stories?q=${encodeURIComponent(String((job.data as Record<string, unknown> | undefined)?.['versionId'] ?? (job.data as Record<string, unknown> | undefined)?.['deliveryId'] ?? ''))}` }),
          }),
      ),
      serverAdapter: server,
      options: { uiConfig: { boardTitle: readOnlyMode ? 'Queues (read-only)' : 'Queues' } },
    });
    app.use(path, guard(auth, role), server.getRouter());
  }
}
