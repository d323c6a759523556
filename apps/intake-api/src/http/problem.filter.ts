/** Maps every exception to problem+json: domain errors keep their code; nothing leaks a stack trace. */
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isInfrastructureOutage } from '@syndication/database';
import { FormatError } from '@syndication/formats';
import { intakeRejections } from '@syndication/observability';
import { PROBLEM_CONTENT_TYPE, ProblemError, problemBody } from './problem';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  429: 'Too many requests',
  503: 'Service unavailable',
};

@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const instance = req.originalUrl?.split('?')[0];
    let body;
    let headers: Record<string, string> = {};
    if (exception instanceof ProblemError) {
      body = problemBody({
        status: exception.status,
        code: exception.code,
        title: exception.title,
        detail: exception.detail,
        errors: exception.errors,
        instance,
      });
      headers = exception.headers;
    } else if (exception instanceof FormatError) {
      body = problemBody({
        status: exception.status,
        code: exception.code,
        title: TITLES[exception.status] ?? 'Invalid document',
        detail: exception.message,
        errors: exception.fields ?? [{ pointer: exception.pointer, code: exception.code, message: exception.message }],
        instance,
      });
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = status === 404 ? 'not_found' : status === 405 ? 'method_not_allowed' : `http_${status}`;
      body = problemBody({ status, code, title: TITLES[status] ?? exception.message, instance });
    } else {
      const err = exception instanceof Error ? exception : new Error(String(exception));
      // Storage that cannot be reached (down, starting up, out of connections, silent) is the
      // caller's signal to retry, not a bug; told by error code and class, never by wording.
      const unavailable = isInfrastructureOutage(exception);
      const status = unavailable ? 503 : 500;
      this.logger.error(`${req.method} ${instance} failed: ${err.message}`, unavailable ? undefined : err.stack);
      body = problemBody({
        status,
        code: unavailable ? 'unavailable' : 'internal_error',
        title: unavailable ? 'Service unavailable' : 'Internal error',
        detail: unavailable ? 'Storage is unavailable; nothing was accepted. Retry later.' : undefined,
        instance,
      });
      if (unavailable) headers['Retry-After'] = '5';
    }
    const partner = (req as Request & { partner?: { slug: string } }).partner?.slug ?? 'unknown';
    intakeRejections.inc({ partner, code: body.code, status: String(body.status) });
    res.status(body.status).set({ ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE }).send(JSON.stringify(body));
  }
}
