import { PartnerRateLimiter } from './partner-rate-limit';

describe('PartnerRateLimiter', () => {
  it('allows a burst, then asks the partner to wait, and refills with time', () => {
    let now = 0;
    const limiter = new PartnerRateLimiter(2, 3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1);
    now += 500; // one token back at 2/s
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThanOrEqual(1);
  });

  it('keeps partners apart', () => {
    const limiter = new PartnerRateLimiter(1, 1, () => 0);
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    expect(limiter.take('b')).toBe(0);
  });

  it('is off at rate 0', () => {
    const limiter = new PartnerRateLimiter(0, 0, () => 0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });
});
