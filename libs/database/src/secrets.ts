/**
 * Secrets the server must read back in clear (a partner's HMAC signing secret: verifying an HMAC
 * needs the key, unlike an API key, which is stored as a digest) are sealed with AES-256-GCM
 * under SECRETS_KEY before they reach Postgres, so a database dump alone does not let anyone sign
 * as a partner. The additional data binds a sealed value to its key id: copied onto another row,
 * it no longer opens.
 *
 * Layout: version byte (1) | 12-byte IV | 16-byte tag | ciphertext.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretUnreadableError extends Error {}

export function sealSecret(key: Buffer, plaintext: string, boundTo: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

/** Throws SecretUnreadableError when the value was sealed under another key, for another id, or altered. */
export function openSecret(key: Buffer, sealed: Buffer, boundTo: string): string {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new SecretUnreadableError('unknown sealed secret format');
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(boundTo, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnreadableError('sealed secret does not open with SECRETS_KEY (another key, another key id, or altered)');
  }
}
