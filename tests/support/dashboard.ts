/** Boots the ops dashboard in this process next to a running system, exactly as its main.ts does. */
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { OpsDashboardModule } from '../../apps/ops-dashboard/src/ops-dashboard.module';
import { configureDashboardApp } from '../../apps/ops-dashboard/src/setup';
import { freePort } from './ports';

export interface RunningDashboard {
  url: string;
  app: NestExpressApplication;
  stop(): Promise<void>;
}

/** Call after startSystem (it reads the same environment: database, Redis prefix, OPS_* variables). */
export async function startDashboard(env: Record<string, string> = {}): Promise<RunningDashboard> {
  const port = await freePort();
  Object.assign(process.env, { DASHBOARD_PORT: String(port), ...env });
  const app = await NestFactory.create<NestExpressApplication>(OpsDashboardModule, { bodyParser: false, logger: ['error', 'warn'] });
  await configureDashboardApp(app);
  await app.listen(port, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, app, stop: () => app.close() };
}
