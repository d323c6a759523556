import { nextRetry, RETRY_SCHEDULES } from './retry-schedule';

describe('per-kind retry schedules', () => {
  it('webhooks retry for about three days with jitter, then give up', () => {
    const schedule = RETRY_SCHEDULES.webhook!;
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(70);
    expect(total / 3_600_000).toBeLessThan(80);
    expect(nextRetry('webhook', 1, undefined, { random: () => 0 })).toEqual({ action: 'retry', delayMs: 4_000 });
    expect(nextRetry('webhook', 1, undefined, { random: () => 1 })).toEqual({ action: 'retry', delayMs: 6_000 });
    expect(nextRetry('webhook', schedule.length + 1)).toEqual({ action: 'give_up' });
    expect(nextRetry('webhook', 2, undefined, { scale: 0.001, random: () => 0.5 })).toEqual({ action: 'retry', delayMs: 300 });
  });

  it('a longer Retry-After wins, but the attempt cap still ends the loop', () => {
    expect(nextRetry('webhook', 2, 3_600_000, { random: () => 0.5 })).toEqual({ action: 'retry', delayMs: 3_600_000 });
    expect(nextRetry('webhook', 10, 1_000)).toEqual({ action: 'give_up' });
  });

  it('kinds without a schedule keep the global policy', () => {
    expect(nextRetry('telegram', 1)).toEqual({ action: 'default' });
  });
});
