import { randomBytes } from 'node:crypto';
import { SecretUnreadableError, openSecret, sealSecret } from './secrets';

describe('sealed secrets', () => {
  const key = randomBytes(32);

  it('round-trips, with a fresh IV each time', () => {
    const a = sealSecret(key, 'hsec_abc', 'hk_1');
    const b = sealSecret(key, 'hsec_abc', 'hk_1');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('hsec_abc'))).toBe(false);
    expect(openSecret(key, a, 'hk_1')).toBe('hsec_abc');
  });

  it('does not open under another key, for another key id, or altered', () => {
    const sealed = sealSecret(key, 'hsec_abc', 'hk_1');
    expect(() => openSecret(randomBytes(32), sealed, 'hk_1')).toThrow(SecretUnreadableError);
    expect(() => openSecret(key, sealed, 'hk_2')).toThrow(SecretUnreadableError);
    const altered = Buffer.from(sealed);
    altered[altered.length - 1]! ^= 1;
    expect(() => openSecret(key, altered, 'hk_1')).toThrow(SecretUnreadableError);
    expect(() => openSecret(key, Buffer.from([9, 1, 2]), 'hk_1')).toThrow(SecretUnreadableError);
  });
});
