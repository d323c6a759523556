/**
 * Partner-side request signing (scheme v1, README "Signed requests"), written from the partner's
 * point of view and independently of the intake's verifier, so the tests that sign with it check
 * the two against each other rather than a shared helper against itself.
 */
import { createHmac, createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

export type SigningKey = { keyId: string; hmacSecret: string } | { keyId: string; privateKey: KeyObject | string };

export interface RequestToSign {
  method: string;
  /** Path and query exactly as they will be sent. */
  target: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Defaults: now, and 16 random bytes as hex. */
  timestamp?: number;
  nonce?: string;
}

const BOUND_HEADERS = ['content-type', 'x-story-id', 'x-story-version', 'idempotency-key'];

export function signingString(req: RequestToSign, timestamp: number, nonce: string): Buffer {
  const lower = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const head = ['v1', req.method.toUpperCase(), req.target, String(timestamp), nonce, ...BOUND_HEADERS.map((h) => lower[h] ?? '')]
    .map((line) => `${line}\n`)
    .join('');
  const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

/** The four X-Signature headers for this request. */
export function signatureHeaders(key: SigningKey, req: RequestToSign): Record<string, string> {
  const timestamp = req.timestamp ?? Math.floor(Date.now() / 1000);
  const nonce = req.nonce ?? randomBytes(16).toString('hex');
  const input = signingString(req, timestamp, nonce);
  const signature =
    'hmacSecret' in key
      ? createHmac('sha256', Buffer.from(key.hmacSecret, 'utf8')).update(input).digest()
      : sign(null, input, typeof key.privateKey === 'string' ? createPrivateKey(key.privateKey) : key.privateKey);
  return {
    'x-signature-key-id': key.keyId,
    'x-signature-timestamp': String(timestamp),
    'x-signature-nonce': nonce,
    'x-signature': `v1=${signature.toString('base64')}`,
  };
}
