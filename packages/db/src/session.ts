import type { Pool, PoolClient } from './pool';

/** The JWT claims Supabase's PostgREST hands to Postgres; `sub` is the user id. */
export interface Claims {
  sub: string;
  role?: string;
  email?: string;
  aud?: string | string[];
  session_id?: string;
  [claim: string]: unknown;
}

export type Tx = PoolClient;

async function inTransaction<T>(pool: Pool, setup: (tx: Tx) => Promise<unknown>, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await setup(client);
    const result = await fn(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Runs fn as the signed-in user, exactly as PostgREST does for Supabase: the `authenticated` role and
 * `request.jwt.claims` set for this transaction only, so Row Level Security decides every row.
 */
export function withUser<T>(pool: Pool, claims: Claims, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const role = claims.role === 'anon' ? 'anon' : 'authenticated';
  return inTransaction(
    pool,
    (tx) =>
      tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.jwt.claim.sub', $3, true)`, [
        role,
        JSON.stringify({ ...claims, role }),
        claims.sub ?? '',
      ]),
    fn,
  );
}

/** Runs fn as a visitor who is not signed in (role `anon`). */
export function withAnon<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(
    pool,
    (tx) => tx.query(`select set_config('role', 'anon', true), set_config('request.jwt.claims', '{"role":"anon"}', true)`),
    fn,
  );
}

/** The service role and its claims, for the current transaction only or for the rest of the session. */
const serviceRole = (scope: 'transaction' | 'session') => {
  const local = scope === 'transaction';
  return `select set_config('role', 'service_role', ${local}), set_config('request.jwt.claims', '{"role":"service_role"}', ${local})`;
};

/**
 * Bypasses Row Level Security. Only for jobs, webhooks and the server's own bookkeeping; every call site says why.
 */
export function withService<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(pool, (tx) => tx.query(serviceRole('transaction')), fn);
}

/**
 * One connection that stays in the service role for its whole life, for a writer that commits small batches many
 * times a second (the collab update log). Each statement is its own transaction, so a single-statement write costs
 * one round trip instead of withService's four (begin, role, statement, commit). The connection never goes back to
 * the pool, because its session role would outlive the caller; after any error it is dropped and the next query
 * opens a fresh one.
 */
export class ServiceConnection {
  private client: Promise<PoolClient> | null = null;

  constructor(private readonly pool: Pool) {}

  async query<R extends Record<string, unknown>>(text: string, values: unknown[]): Promise<R[]> {
    this.client ??= this.open();
    const opening = this.client;
    try {
      const client = await opening;
      return (await client.query<R>(text, values)).rows;
    } catch (error) {
      this.drop(opening, error);
      throw error;
    }
  }

  /** Closes the connection; a later query opens a new one. */
  close(): void {
    if (this.client) this.drop(this.client);
  }

  private open(): Promise<PoolClient> {
    const opening: Promise<PoolClient> = (async () => {
      const client = await this.pool.connect();
      // A checked-out client has no idle listener from the pool: a lost server would otherwise crash the process.
      client.on('error', (error) => this.drop(opening, error));
      try {
        await client.query(serviceRole('session'));
        return client;
      } catch (error) {
        client.release(true);
        throw error;
      }
    })();
    return opening;
  }

  private drop(opening: Promise<PoolClient>, error?: unknown): void {
    if (this.client === opening) this.client = null;
    opening.then(
      (client) => {
        try {
          client.release(error instanceof Error ? error : true);
        } catch {
          // Already released by an earlier error.
        }
      },
      () => {},
    );
  }
}
