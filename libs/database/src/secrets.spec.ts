import { randomBytes } from 'node:crypto';
import { SecretUnreadableError, openSecret, sealSecret, sealedKeyIndex } from './secrets';

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

describe('sealed secrets across a key rotation', () => {
  const previous = randomBytes(32);
  const current = randomBytes(32);

  it('opens values sealed under a previous key through the ring, and seals new ones with the current key only', () => {
    const old = sealSecret(previous, 'hsec_old', 'hk_1');
    expect(() => openSecret(current, old, 'hk_1')).toThrow(SecretUnreadableError);
    expect(openSecret([current, previous], old, 'hk_1')).toBe('hsec_old');
    expect(sealedKeyIndex([current, previous], old, 'hk_1')).toBe(1);

    const fresh = sealSecret(current, 'hsec_new', 'hk_2');
    expect(openSecret([current, previous], fresh, 'hk_2')).toBe('hsec_new');
    expect(sealedKeyIndex([current, previous], fresh, 'hk_2')).toBe(0);
    // Once the previous key is dropped from the ring, only what was re-sealed still opens.
    expect(() => openSecret([current], old, 'hk_1')).toThrow(SecretUnreadableError);
    expect(() => openSecret([previous], fresh, 'hk_2')).toThrow(SecretUnreadableError);
  });

  it('keeps the binding to the key id whatever key opens it', () => {
    const old = sealSecret(previous, 'hsec_old', 'hk_1');
    expect(() => openSecret([current, previous], old, 'hk_other')).toThrow(SecretUnreadableError);
    expect(sealedKeyIndex([current, previous], old, 'hk_other')).toBeUndefined();
  });
});
