import { AuthFailureLimiter } from './auth-failure-limit';

describe('AuthFailureLimiter', () => {
  it('allows the limit, then refuses until the oldest failure is a minute old', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(3, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('10.0.0.1', 'k1')).toBe(0);
      limiter.fail('10.0.0.1', 'k1');
      now += 1000;
    }
    expect(limiter.retryAfter('10.0.0.1', 'k1')).toBe(57);
    now = 60_001;
    expect(limiter.retryAfter('10.0.0.1', 'k1')).toBe(0);
  });

  it('keeps clients and key ids apart, and is off at 0', () => {
    const limiter = new AuthFailureLimiter(1, () => 0);
    limiter.fail('10.0.0.1', 'k1');
    expect(limiter.retryAfter('10.0.0.1', 'k1')).toBeGreaterThan(0);
    expect(limiter.retryAfter('10.0.0.1', 'k2')).toBe(0);
    expect(limiter.retryAfter('10.0.0.2', 'k1')).toBe(0);
    const off = new AuthFailureLimiter(0, () => 0);
    for (let i = 0; i < 100; i++) off.fail('10.0.0.1', 'k1');
    expect(off.retryAfter('10.0.0.1', 'k1')).toBe(0);
  });
});
