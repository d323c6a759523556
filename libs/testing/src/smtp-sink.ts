/**
 * An in-process SMTP server (smtp-server, the same project as nodemailer) that keeps every message
 * it accepts, raw, for tests to parse (mailparser) and for the `npm start` demo to write out as
 * .eml files. Optional AUTH (PLAIN/LOGIN without TLS, loopback only) and scripted faults: a
 * temporary or permanent refusal at the end of DATA, or a server that takes the message and never
 * answers (the sender's "lost answer": the mail exists, the sender cannot know).
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  receivedAt: number;
}

export type SmtpFault = { kind: 'reject'; code: number; message: string } | { kind: 'swallow' };

export interface SmtpSink {
  host: string;
  port: number;
  messages: SinkMessage[];
  failNext(...faults: SmtpFault[]): void;
  stop(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Required credentials; without them AUTH is optional and any sender is accepted. */
  auth?: { username: string; password: string };
  port?: number;
  onMessage?: (m: SinkMessage) => void;
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const faults: SmtpFault[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: !opts.auth,
    logger: false,
    onAuth(auth, _session, cb) {
      if (opts.auth && auth.username === opts.auth.username && auth.password === opts.auth.password) return cb(null, { user: auth.username });
      return cb(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const fault = faults.shift();
        if (fault?.kind === 'reject') return cb(Object.assign(new Error(fault.message), { responseCode: fault.code }));
        const m: SinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          receivedAt: Date.now(),
        };
        messages.push(m);
        opts.onMessage?.(m);
        // Swallow: keep the message and never answer the final dot.
        if (fault?.kind === 'swallow') return;
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    failNext: (...f) => void faults.push(...f),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
