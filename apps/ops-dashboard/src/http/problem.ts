/**
 * RFC 9457 problem+json for the ops API, with a stable `code`; pages get a plain HTML error or,
 * when the visitor has no session, a redirect to the login page.
 */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { escapeHtml } from './html';

export class OpsProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const unauthenticated = () => new OpsProblem(401, 'unauthenticated', 'Unauthorized', 'Log in (session cookie) or send the operator token (Authorization: Bearer <OPS_API_TOKEN>)');
export const forbidden = (detail = 'Your role does not allow this action') => new OpsProblem(403, 'forbidden', 'Forbidden', detail);
export const csrfRefused = () => new OpsProblem(403, 'csrf_token_invalid', 'Forbidden', 'State-changing requests need the session\'s CSRF token (X-CSRF-Token header or _csrf field)');
export const badRequest = (code: string, detail: string) => new OpsProblem(422, code, 'Unprocessable content', detail);
export const notFound = (detail = 'Not found') => new OpsProblem(404, 'not_found', 'Not found', detail);

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/ops/api/') || req.path === '/ops/events' || (req.headers.accept ?? '').includes('application/json');
}

@Catch()
export class OpsProblemFilter implements ExceptionFilter {
  catch(err: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    let p: OpsProblem;
    if (err instanceof OpsProblem) p = err;
    else if (err instanceof HttpException) {
      const status = err.getStatus();
      p = new OpsProblem(status, status === 404 ? 'not_found' : 'http_error', err.name, err.message);
    } else {
      p = new OpsProblem(500, 'internal_error', 'Internal error', 'Something went wrong; see the dashboard log');
      // eslint-disable-next-line no-console
      console.error(err);
    }
    if (res.headersSent) return;
    const isHtmx = req.headers['hx-request'] === 'true';
    if (p.status === 401 && !wantsJson(req) && !isHtmx) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    for (const [k, v] of Object.entries(p.headers)) res.setHeader(k, v);
    if (wantsJson(req) && !isHtmx) {
      res.status(p.status).type('application/problem+json').send(JSON.stringify({ type: `about:blank#${p.code}`, title: p.title, status: p.status, code: p.code, detail: p.detail }));
      return;
    }
    // htmx swaps 2xx only by default; the client script shows errors in the flash area.
    res.status(p.status).type('text/html').send(`<div class="flash error" role="alert"><strong>${p.status} ${escapeHtml(p.title)}</strong> ${escapeHtml(p.detail)}</div>`);
  }
}
