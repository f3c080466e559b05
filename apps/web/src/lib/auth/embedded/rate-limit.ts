import { withService } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';

/**
 * Failed sign-ins per key (an address, an email) in a sliding window, counted in Postgres
 * (`private.sign_in_failures`) so that every web instance on the same database enforces one limit. The database's
 * clock decides, so instances whose clocks drift still agree. With Supabase Auth its own limits apply instead.
 *
 * Checking and recording are separate statements, as they were in memory: two wrong passwords racing on two
 * instances can both be let through at the edge of the limit, never more than one per instance.
 */
export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

const MAX_KEY = 400;

export class FailureLimiter {
  constructor(
    private readonly pool: Pool,
    private readonly options: RateLimitOptions,
  ) {}

  /** Milliseconds until the key may try again, or 0 when it may now. */
  async retryAfter(key: string): Promise<number> {
    // why service: the failure log is the auth server's own bookkeeping, readable by no signed-in role
    return withService(this.pool, async (tx) => {
      // the max-th most recent failure still in the window; once it expires the key is below the limit again
      const { rows } = await tx.query<{ wait_ms: number }>(
        `select greatest(0, ceil(extract(epoch from expires_at - now()) * 1000))::float8 as wait_ms
           from private.sign_in_failures where key = $1 and expires_at > now()
          order by expires_at desc offset $2 limit 1`,
        [key.slice(0, MAX_KEY), this.options.max - 1],
      );
      return rows[0]?.wait_ms ?? 0;
    });
  }

  async fail(key: string): Promise<void> {
    await withService(this.pool, async (tx) => {
      await tx.query(`insert into private.sign_in_failures (key, expires_at) values ($1, now() + $2::float8 * interval '1 millisecond')`, [
        key.slice(0, MAX_KEY),
        this.options.windowMs,
      ]);
      // a flood of distinct keys must not grow the table without bound: each failure sweeps a bounded batch of
      // expired rows, so the table holds about one window's worth of failures
      await tx.query(
        `delete from private.sign_in_failures where ctid = any(array(
           select ctid from private.sign_in_failures where expires_at <= now() limit 200))`,
      );
    });
  }

  async reset(key: string): Promise<void> {
    await withService(this.pool, (tx) => tx.query('delete from private.sign_in_failures where key = $1', [key.slice(0, MAX_KEY)]));
  }
}
