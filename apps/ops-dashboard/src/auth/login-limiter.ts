/**
 * Failed-login counting per client address and per user name (fixed window, in memory): past
 * OPS_LOGIN_MAX_FAILURES in OPS_LOGIN_WINDOW_SECONDS, logins from that address or for that name
 * are refused with 429 until the window ends, password right or not. In memory per process:
 * with N dashboard replicas an attacker gets N times the budget, still far below what guessing
 * an argon2-hashed 12+ character password needs.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the key may try again, or 0. */
  blockedFor(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const k of keys) {
      const f = this.failures.get(k);
      if (!f) continue;
      if (f.resetAt <= now) this.failures.delete(k);
      else if (f.count >= this.max) wait = Math.max(wait, Math.ceil((f.resetAt - now) / 1000));
    }
    return wait;
  }

  fail(keys: string[], now = Date.now()): void {
    for (const k of keys) {
      const f = this.failures.get(k);
      if (!f || f.resetAt <= now) this.failures.set(k, { count: 1, resetAt: now + this.windowMs });
      else f.count += 1;
    }
    if (this.failures.size > 10_000) for (const [k, f] of this.failures) if (f.resetAt <= now) this.failures.delete(k);
  }

  succeed(keys: string[]): void {
    for (const k of keys) this.failures.delete(k);
  }
}
