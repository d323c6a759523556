/**
 * The auth-failure limit: refused credentials per (client address, key id) in a sliding minute,
 * in this process. Past the limit a request naming that key id from that address is answered
 * 429 before its key is looked up, so guessing secrets (or just hammering the intake with junk
 * credentials) costs neither a database round trip nor a useful answer. In memory on purpose,
 * like the partner rate limit: the intake never needs Redis on the request path; with N replicas
 * an attacker gets N times the limit, still far from a useful guessing rate.
 */
export class AuthFailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private sweptAt = 0;

  /** `perMinute` 0 disables the limit. */
  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Seconds until another attempt is allowed for this client and key id (0 = allowed now). */
  retryAfter(ip: string, keyId: string): number {
    if (this.perMinute <= 0) return 0;
    const recent = this.recent(this.key(ip, keyId));
    if (recent.length < this.perMinute) return 0;
    return Math.max(1, Math.ceil((recent[0]! + 60_000 - this.now()) / 1000));
  }

  fail(ip: string, keyId: string): void {
    if (this.perMinute <= 0) return;
    const key = this.key(ip, keyId);
    const recent = this.recent(key);
    recent.push(this.now());
    // Only the last `perMinute` matter for the decision; the bound keeps a flood from growing it.
    if (recent.length > this.perMinute) recent.splice(0, recent.length - this.perMinute);
    this.failures.set(key, recent);
    this.sweep();
  }

  private key(ip: string, keyId: string): string {
    return `${ip}\u0000${keyId}`;
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - 60_000;
    return (this.failures.get(key) ?? []).filter((t) => t > cutoff);
  }

  /** Forgets quiet clients once a minute, so random key ids cannot grow the map without bound. */
  private sweep(): void {
    const t = this.now();
    if (t - this.sweptAt < 60_000) return;
    this.sweptAt = t;
    for (const [key, times] of this.failures) if (times.every((x) => x <= t - 60_000)) this.failures.delete(key);
  }
}
