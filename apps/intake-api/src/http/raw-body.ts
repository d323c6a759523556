/**
 * Intake reads every body as raw bytes: signatures (intake issue) are computed over the exact
 * bytes, and the format is chosen from the Content-Type, never guessed. Body-parser errors
 * (too large, bad encoding) happen before Nest's filters see the request, so they are turned
 * into problem+json here.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem';

export function rawBodyMiddleware(limitBytes: number) {
  const raw = express.raw({ type: () => true, limit: limitBytes });
  return (req: Request, res: Response, next: NextFunction): void => {
    // A declared length over the limit is refused at once, and the connection closed: body-parser
    // would answer only after draining the whole declared body, so a client announcing 5 MB and
    // sending it slowly (or never) would hold the request open.
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      sendBodyProblem(req, res, true);
      res.on('finish', () => req.socket.destroy());
      return;
    }
    raw(req, res, next);
  };
}

export function bodyErrorHandler(err: Error & { status?: number; type?: string }, req: Request, res: Response, next: NextFunction): void {
  if (!err.type && !err.status) return next(err);
  sendBodyProblem(req, res, err.type === 'entity.too.large' || err.status === 413);
}

function sendBodyProblem(req: Request, res: Response, tooLarge: boolean): void {
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
