/**
 * Failed sign-ins per key (an address, an email) in a sliding window. Kept in memory: the embedded auth runs in the
 * one web process of a local install; with Supabase Auth its own limits apply instead.
 */
export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly options: RateLimitOptions) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.options.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  /** Milliseconds until the key may try again, or 0 when it may now. */
  retryAfter(key: string, now = Date.now()): number {
    const list = this.recent(key, now);
    if (list.length < this.options.max) return 0;
    return list[list.length - this.options.max]! + this.options.windowMs - now;
  }

  fail(key: string, now = Date.now()): void {
    const list = this.recent(key, now);
    list.push(now);
    this.failures.set(key, list);
    // a flood of distinct keys must not grow memory without bound
    if (this.failures.size > 50_000) {
      for (const k of this.failures.keys()) {
        this.failures.delete(k);
        if (this.failures.size <= 25_000) break;
      }
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }
}
