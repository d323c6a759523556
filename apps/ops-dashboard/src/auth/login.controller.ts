/**
 * Log in and out. The login form is protected against login CSRF with a double-submit token (a
 * random cookie echoed in the form); failed logins are limited per address and per name; a
 * success creates a server-side session and sets it as an HttpOnly, SameSite=Strict cookie.
 * Logins and logouts are written to the audit log.
 */
import { Body, Controller, Get, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@syndication/config';
import { createOpsSession, deleteOpsSession, recordAudit, verifyOpsLogin } from '@syndication/database';
import { OpsProblem } from '../http/problem';
import { loginPage } from '../pages/views';
import { LoginLimiter } from './login-limiter';
import { NeedsRole, Public } from './ops-auth.guard';
import { SESSION_COOKIE, type OpsRequest } from './ops-auth';

const LOGIN_CSRF_COOKIE = 'ops_login_csrf';

/** Only local paths: a `next` pointing elsewhere would make the login an open redirect. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/ops(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/ops';
}

@Controller()
export class LoginController {
  private readonly limiter: LoginLimiter;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.limiter = new LoginLimiter(config.dashboard.loginMaxFailures, config.dashboard.loginWindowMs);
  }

  private cookieOpts(maxAgeMs: number) {
    return { httpOnly: true, sameSite: 'strict' as const, secure: this.config.dashboard.cookieSecure, path: '/', maxAge: maxAgeMs };
  }

  private form(res: Response, status: number, opts: { error?: string; next: string; username?: string }) {
    const csrf = randomBytes(24).toString('base64url');
    res.cookie(LOGIN_CSRF_COOKIE, csrf, this.cookieOpts(3_600_000));
    res.status(status).type('text/html').send(loginPage({ ...opts, csrf }));
  }

  @Get('login')
  @Public()
  login(@Res() res: Response, @Query('next') next?: string) {
    this.form(res, 200, { next: safeNext(next) });
  }

  @Post('login')
  @Public()
  async doLogin(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    const next = safeNext(body?.['next']);
    const username = typeof body?.['username'] === 'string' ? body['username'].trim().toLowerCase().slice(0, 64) : '';
    const password = typeof body?.['password'] === 'string' ? body['password'] : '';
    const sent = typeof body?.['_csrf'] === 'string' ? body['_csrf'] : '';
    const expected = (req as Request & { cookies?: Record<string, string> }).cookies?.[LOGIN_CSRF_COOKIE] ?? '';
    if (!expected || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected))) {
      return this.form(res, 403, { error: 'The form expired; please try again.', next, username });
    }
    const keys = [`ip:${req.ip ?? ''}`, `user:${username}`];
    const wait = this.limiter.blockedFor(keys);
    if (wait > 0) {
      res.setHeader('Retry-After', String(wait));
      return this.form(res, 429, { error: `Too many failed logins; try again in ${Math.ceil(wait / 60)} min.`, next, username });
    }
    const user = username && password ? await verifyOpsLogin(this.db, username, password) : null;
    if (!user) {
      this.limiter.fail(keys);
      return this.form(res, 401, { error: 'Wrong user name or password.', next, username });
    }
    this.limiter.succeed(keys);
    const ttl = this.config.dashboard.sessionTtlMs;
    const { token } = await this.db.transaction(async (m) => {
      const s = await createOpsSession(m, user.id, ttl, { ...(req.ip ? { ip: req.ip } : {}), ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}) });
      await recordAudit(m, { actor: user.username, actorType: 'user', action: 'auth.login', targetType: 'ops_user', targetId: user.id, ...(req.ip ? { ip: req.ip } : {}) });
      return s;
    });
    res.clearCookie(LOGIN_CSRF_COOKIE, { path: '/' });
    res.cookie(SESSION_COOKIE, token, this.cookieOpts(ttl));
    res.redirect(303, next);
  }

  @Post('logout')
  @NeedsRole('viewer')
  async logout(@Req() req: OpsRequest, @Res() res: Response) {
    const token = (req as Request & { cookies?: Record<string, string> }).cookies?.[SESSION_COOKIE];
    if (!token || req.ops?.via !== 'session') throw new OpsProblem(400, 'no_session', 'Bad request', 'Not logged in with a session');
    await this.db.transaction(async (m) => {
      await deleteOpsSession(m, token);
      await recordAudit(m, { actor: req.ops!.actor, actorType: 'user', action: 'auth.logout', ...(req.ip ? { ip: req.ip } : {}) });
    });
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/login');
  }
}
