/**
 * The request signature scheme (v1), as documented in the README ("Signed requests"). Pure
 * functions: what is signed, how the headers are read, how a signature is checked. The guard
 * adds the key lookup, the timestamp window and the nonce table.
 *
 * Signing input: nine lines, each ending in "\n", then the exact body bytes:
 *
 *   v1
 *   <METHOD>                 upper case
 *   <request target>         path and query exactly as sent, e.g. /v1/stories?x=1
 *   <X-Signature-Timestamp>  Unix seconds
 *   <X-Signature-Nonce>      16-128 of [A-Za-z0-9_-], never reused by the partner
 *   <Content-Type>           as sent, or empty
 *   <X-Story-Id>             as sent, or empty
 *   <X-Story-Version>        as sent, or empty
 *   <Idempotency-Key>        as sent, or empty
 *   <body bytes>
 *
 * The headers that change how a body is read (its format, its identity, its retry key) are bound,
 * so none can be swapped under a valid signature. `X-Signature: v1=<base64>` carries
 * HMAC-SHA256(secret as UTF-8 bytes, input) or Ed25519(private key, input).
 */
import { createHmac, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const SIGNATURE_SCHEME = 'v1';

export const SIGNATURE_HEADERS = {
  keyId: 'x-signature-key-id',
  timestamp: 'x-signature-timestamp',
  nonce: 'x-signature-nonce',
  signature: 'x-signature',
} as const;

/** Bound headers, in signing-input order. */
export const SIGNED_HEADERS = ['content-type', 'x-story-id', 'x-story-version', 'idempotency-key'] as const;

export interface SignatureHeaders {
  keyId: string;
  timestamp: number;
  nonce: string;
  signature: Buffer;
}

export type SignatureHeaderProblem =
  | { code: 'missing_signature'; header: string; message: string }
  | { code: 'invalid_signature'; header: string; message: string };

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** True when the request attempts a signature at all (any of the four headers present). */
export function hasSignatureHeaders(headers: IncomingHttpHeaders): boolean {
  return Object.values(SIGNATURE_HEADERS).some((h) => headers[h] !== undefined);
}

/** Reads the four headers, or names the first one missing or malformed. */
export function readSignatureHeaders(headers: IncomingHttpHeaders): SignatureHeaders | SignatureHeaderProblem {
  for (const name of Object.values(SIGNATURE_HEADERS)) {
    if (!single(headers, name)) return { code: 'missing_signature', header: name, message: `${name} is required on a signed request` };
  }
  const keyId = single(headers, SIGNATURE_HEADERS.keyId)!.trim();
  const ts = single(headers, SIGNATURE_HEADERS.timestamp)!.trim();
  const nonce = single(headers, SIGNATURE_HEADERS.nonce)!.trim();
  const sig = single(headers, SIGNATURE_HEADERS.signature)!.trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) return { code: 'invalid_signature', header: SIGNATURE_HEADERS.keyId, message: 'a key id is 1-64 of [A-Za-z0-9_-]' };
  if (!/^[0-9]{1,12}$/.test(ts)) return { code: 'invalid_signature', header: SIGNATURE_HEADERS.timestamp, message: 'Unix time in whole seconds' };
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) return { code: 'invalid_signature', header: SIGNATURE_HEADERS.nonce, message: '16-128 of [A-Za-z0-9_-]' };
  const m = /^v1=([A-Za-z0-9+/_-]{20,200}={0,2})$/.exec(sig);
  if (!m?.[1]) return { code: 'invalid_signature', header: SIGNATURE_HEADERS.signature, message: 'expected v1=<base64 signature>' };
  return { keyId, timestamp: Number(ts), nonce, signature: Buffer.from(m[1], 'base64') };
}

export interface SignedRequestParts {
  method: string;
  target: string;
  timestamp: number | string;
  nonce: string;
  /** Header values by lower-case name; absent ones sign as empty lines. */
  headers: Partial<Record<(typeof SIGNED_HEADERS)[number], string | undefined>>;
  body: Buffer;
}

export function signingInput(p: SignedRequestParts): Buffer {
  const lines = [SIGNATURE_SCHEME, p.method.toUpperCase(), p.target, String(p.timestamp), p.nonce, ...SIGNED_HEADERS.map((h) => p.headers[h] ?? '')];
  return Buffer.concat([Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8'), p.body]);
}

/** Constant-time: the comparison does not stop at the first differing byte. */
export function verifyHmac(secret: string, input: Buffer, signature: Buffer): boolean {
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(input).digest();
  // The length of an HMAC-SHA256 is public (32 bytes); only equal lengths can be compared.
  return signature.length === expected.length && timingSafeEqual(signature, expected);
}

export function verifyEd25519(publicKeySpkiDer: Buffer, input: Buffer, signature: Buffer): boolean {
  if (signature.length !== 64) return false;
  try {
    return verifySignature(null, input, { key: publicKeySpkiDer, format: 'der', type: 'spki' }, signature);
  } catch {
    return false;
  }
}
