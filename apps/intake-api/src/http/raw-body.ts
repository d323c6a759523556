/**
 * Intake reads every body as raw bytes: signatures (intake issue) are computed over the exact
 * bytes, and the format is chosen from the Content-Type, never guessed. Body-parser errors
 * (too large, bad encoding) happen before Nest's filters see the request, so they are turned
 * into problem+json here.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem';

export function rawBodyMiddleware(limitBytes: number) {
  return express.raw({ type: () => true, limit: limitBytes });
}

export function bodyErrorHandler(err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction): void {
  if (!err.type && !err.status) return next(err);
  const tooLarge = err.type === 'entity.too.large' || err.status === 413;
  const body = problemBody({
    status: tooLarge ? 413 : 400,
    code: tooLarge ? 'payload_too_large' : 'unreadable_body',
    title: tooLarge ? 'Payload too large' : 'Unreadable body',
    detail: tooLarge ? 'The body exceeds the size limit' : 'The request body could not be read',
    instance: req.originalUrl.split('?')[0],
  });
  res.status(body.status).set('Content-Type', PROBLEM_CONTENT_TYPE);
  if (tooLarge) res.set('Connection', 'close');
  res.send(JSON.stringify(body));
}
