/**
 * Secrets the server must read back in clear (a partner's HMAC signing secret: verifying an HMAC
 * needs the key, unlike an API key, which is stored as a digest) are sealed with AES-256-GCM
 * under SECRETS_KEY before they reach Postgres, so a database dump alone does not let anyone sign
 * as a partner. The additional data binds a sealed value to its key id: copied onto another row,
 * it no longer opens. Rotation: new seals always use the current key; opening tries the
 * current key, then the previous ones (SECRETS_KEY_PREVIOUS).
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

/**
 * Opens a sealed value with `keys`: one key, or a key ring (the current SECRETS_KEY first, then
 * the keys it replaced, SECRETS_KEY_PREVIOUS), tried in order, so values sealed before a rotation
 * keep opening until they are re-sealed. GCM authenticates, so a wrong key never yields garbage:
 * it fails and the next key is tried. Throws SecretUnreadableError when no key opens the value
 * (sealed under another key, for another id, or altered).
 */
export function openSecret(keys: Buffer | readonly Buffer[], sealed: Buffer, boundTo: string): string {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) throw new SecretUnreadableError('unknown sealed secret format');
  const opened = openedWith(keys, sealed, boundTo);
  if (!opened) throw new SecretUnreadableError('sealed secret does not open with SECRETS_KEY or SECRETS_KEY_PREVIOUS (another key, another key id, or altered)');
  return opened.plaintext;
}

/**
 * Which key of the ring opens the value (0 = the current one), or undefined: lets a caller
 * re-seal values still under a previous key (`sealSecret` always uses the key it is given).
 */
export function sealedKeyIndex(keys: Buffer | readonly Buffer[], sealed: Buffer, boundTo: string): number | undefined {
  if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) return undefined;
  return openedWith(keys, sealed, boundTo)?.index;
}

function openedWith(keys: Buffer | readonly Buffer[], sealed: Buffer, boundTo: string): { plaintext: string; index: number } | undefined {
  const ring = Buffer.isBuffer(keys) ? [keys] : keys;
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  for (const [index, key] of ring.entries()) {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return { plaintext: Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'), index };
    } catch {
      // Not this key; the next one may be the one it was sealed under.
    }
  }
  return undefined;
}
