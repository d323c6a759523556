/**
 * `eval intake <dir> [--json] [--ninjs-version V]`: pushes every file of a directory through the
 * real HTTP intake as a test partner and reports what was accepted, rejected (4xx, with the
 * problem code) and crashed (5xx or no answer). With SYNDICATION_URL set it uses that running
 * system (and SYNDICATION_API_KEY); otherwise it migrates the configured Postgres, provisions a
 * fresh partner (so earlier runs cannot turn into version conflicts) and starts the intake itself.
 */
import 'reflect-metadata';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { freePort } from '@syndication/testing';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig, loadConfig } from '@syndication/config';
import { ensureDatabase, newApiKeySecret, runMigrations, upsertApiKey, upsertPartner } from '@syndication/database';
import { IntakeApiModule } from '../../intake-api/src/app.module';
import { configureIntakeApp } from '../../intake-api/src/setup';
import type { EvalCommand } from './main';

interface FileResult {
  file: string;
  status: number;
  code?: string;
  detail?: string;
  errors?: Array<{ pointer: string; code: string; message: string }>;
  story?: Record<string, unknown>;
  stories?: Array<Record<string, unknown>>;
}


interface Target {
  url: string;
  apiKey: string;
  stop(): Promise<void>;
}

async function startIntake(): Promise<Target> {
  const port = await freePort();
  process.env['INTAKE_PORT'] = String(port);
  process.env['INTAKE_HOST'] = '127.0.0.1';
  process.env['LOG_LEVEL'] ??= 'error';
  const config = loadConfig();
  await ensureDatabase(config.database.url);
  await runMigrations(config.database.url);
  const app = await NestFactory.create<NestExpressApplication>(IntakeApiModule, { bodyParser: false, logger: ['error'] });
  await configureIntakeApp(app, app.get<AppConfig>(APP_CONFIG));
  await app.listen(port, '127.0.0.1');
  const db = app.get<DataSource>(getDataSourceToken());
  const slug = `eval-${randomBytes(4).toString('hex')}`;
  const partnerId = await upsertPartner(db.manager, slug, `Eval ${slug}`);
  const apiKey = await upsertApiKey(db.manager, partnerId, `k${randomBytes(6).toString('hex')}`, newApiKeySecret());
  return { url: `http://127.0.0.1:${port}`, apiKey, stop: () => app.close() };
}

/** The canonical fields of each stored story, read back through the status API. */
async function readStories(target: Target, ids: string[]): Promise<Array<Record<string, unknown>>> {
  const out: Array<Record<string, unknown>> = [];
  for (const id of ids) {
    const res = await fetch(`${target.url}/v1/stories/${id}`, { headers: { authorization: `Bearer ${target.apiKey}` } });
    if (!res.ok) continue;
    const view = (await res.json()) as { id: string; versions: Array<{ canonical: Record<string, unknown>; language: string; version: number }> };
    const v = view.versions[0];
    if (!v) continue;
    const { paragraphs, bodyHtml, ...fields } = v.canonical as { paragraphs?: string[]; bodyHtml?: string } & Record<string, unknown>;
    out.push({
      id: view.id,
      ...fields,
      language: v.language,
      version: v.version,
      paragraphs: paragraphs?.length ?? 0,
      body_text: (paragraphs ?? []).join('\n\n').slice(0, 300),
      body_html_chars: bodyHtml?.length ?? 0,
    });
  }
  return out;
}

function contentTypeFor(file: string, ninjsVersion: string | undefined): string {
  if (ninjsVersion && /\.json$/i.test(file)) return `application/ninjs+json; version=${ninjsVersion}`;
  // Everything else is left to the intake's detection, as a partner without a declared type would.
  return 'application/octet-stream';
}

export const intakeCommand: EvalCommand = {
  summary: 'push every file of <dir> through the HTTP intake; --ninjs-version V declares ninjs V',
  async run({ target, json, flags }) {
    if (!target) throw new Error('usage: eval intake <dir> [--json] [--ninjs-version V]');
    const dir = resolve(target);
    const files = readdirSync(dir)
      .filter((f) => !f.startsWith('.') && statSync(join(dir, f)).isFile())
      .sort();
    const ninjsVersion = flags['ninjs-version'];
    const external = process.env['SYNDICATION_URL'];
    const system: Target = external
      ? { url: external.replace(/\/$/, ''), apiKey: process.env['SYNDICATION_API_KEY'] ?? 'demo.demo-secret-change-me', stop: async () => undefined }
      : await startIntake();
    const results: FileResult[] = [];
    let accepted = 0;
    let rejected = 0;
    let crashed = 0;
    try {
      for (const file of files) {
        let r: FileResult;
        try {
          const res = await fetch(`${system.url}/v1/stories`, {
            method: 'POST',
            headers: { authorization: `Bearer ${system.apiKey}`, 'content-type': contentTypeFor(file, ninjsVersion) },
            body: readFileSync(join(dir, file)),
          });
          const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
          r = { file, status: res.status };
          if (res.status < 300) {
            const items = (body['items'] as Array<{ id: string }> | undefined) ?? [{ id: body['id'] as string }];
            const stories = await readStories(system, items.map((i) => i.id));
            r.story = stories[0];
            if (stories.length > 1) r.stories = stories;
            accepted++;
          } else if (res.status < 500) {
            r.code = body['code'] as string;
            r.detail = body['detail'] as string;
            r.errors = (body['errors'] as FileResult['errors'])?.slice(0, 5);
            rejected++;
          } else {
            r.code = body['code'] as string;
            crashed++;
          }
        } catch (err) {
          r = { file, status: 0, code: `no_response: ${(err as Error).message}` };
          crashed++;
        }
        results.push(r);
      }
    } finally {
      await system.stop();
    }
    const summary = { files: files.length, accepted, rejected, crashed, results };
    if (json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      return;
    }
    for (const r of results) {
      const what = r.story ? `${String(r.story['headline'] ?? '').slice(0, 70)}` : `${r.code ?? ''} ${r.errors?.[0]?.pointer ?? ''} ${r.detail ?? ''}`.slice(0, 120);
      process.stdout.write(`${String(r.status).padEnd(4)} ${r.file}  ${what}\n`);
    }
    process.stdout.write(`files ${files.length}: accepted ${accepted}, rejected ${rejected}, crashed ${crashed}\n`);
  },
};
