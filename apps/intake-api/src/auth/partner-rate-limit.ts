/**
 * Per-partner request rate limit at the intake: a token bucket per partner, in this process.
 * One partner's burst is answered with 429 + Retry-After before it costs a database transaction,
 * so other partners keep their latency (reliability plan B45). In memory on purpose: the intake
 * never needs Redis on the request path; with N intake replicas behind a balancer the effective
 * limit is N times the configured one (set it per replica).
 */
export class PartnerRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** `ratePerSecond` 0 disables the limit. */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; answers how many seconds to wait when there is none (0 = allowed). */
  take(partnerId: string): number {
    if (this.ratePerSecond <= 0) return 0;
    const t = this.now();
    const b = this.buckets.get(partnerId) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.ratePerSecond);
    b.at = t;
    this.buckets.set(partnerId, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSecond));
  }
}
