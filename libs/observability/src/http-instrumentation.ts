/**
 * One interceptor for every HTTP app: a SERVER span per request (the root of a story's trace) and
 * a log context carrying the request id. The handler subscribes inside the span's context, so the
 * intake's transaction, and the outbox rows it writes, see it as the active span.
 */
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { Observable } from 'rxjs';
import { withLogContext } from './log-context';
import { tracer } from './tracing';

interface HttpRequestLike {
  method: string;
  url: string;
  route?: { path?: string };
  headers: Record<string, string | string[] | undefined>;
  id?: string;
}
interface HttpResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): void;
}

@Injectable()
export class HttpTraceInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest<HttpRequestLike>();
    const res = ctx.switchToHttp().getResponse<HttpResponseLike>();
    const header = req.headers['x-request-id'];
    const requestId = (typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : undefined) ?? req.id ?? randomUUID();
    req.id = requestId;
    res.setHeader('X-Request-Id', requestId);
    const route = req.route?.path ?? req.url.split('?')[0] ?? '/';
    const span = tracer().startSpan(`${req.method} ${route}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': req.method, 'http.route': route, 'url.path': req.url.split('?')[0] ?? '/', 'request.id': requestId },
    });
    const active = trace.setSpan(context.active(), span);
    return new Observable((subscriber) => {
      const finish = (status: number, error?: unknown) => {
        span.setAttribute('http.response.status_code', status);
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, ...(error instanceof Error ? { message: error.message } : {}) });
        span.end();
      };
      return context.with(active, () =>
        withLogContext({ requestId }, () =>
          next.handle().subscribe({
            next: (v) => subscriber.next(v),
            error: (e: unknown) => {
              // Exception filters set the response status after this point; an HttpException carries it.
              finish((e as { getStatus?: () => number }).getStatus?.() ?? 500, e);
              subscriber.error(e);
            },
            complete: () => {
              finish(res.statusCode);
              subscriber.complete();
            },
          }),
        ),
      );
    });
  }
}
