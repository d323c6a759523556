/**
 * Failed-login counting per user name and per client address (fixed window, in memory): past
 * OPS_LOGIN_MAX_FAILURES for one name, or five times that from one address (several people may
 * share an address), within OPS_LOGIN_WINDOW_SECONDS, logins are refused with 429 until the
 * window ends, password right or not. In memory per process:
 * with N dashboard replicas an attacker gets N times the budget, still far below what guessing
 * an argon2-hashed 12+ character password needs.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the keys may try again, or 0. Keys starting with `ip:` get five times the budget. */
  blockedFor(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const k of keys) {
      const f = this.failures.get(k);
      if (!f) continue;
      if (f.resetAt <= now) this.failures.delete(k);
      else if (f.count >= (k.startsWith('ip:') ? this.max * 5 : this.max)) wait = Math.max(wait, Math.ceil((f.resetAt - now) / 1000));
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
