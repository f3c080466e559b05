import type { Pool } from '@quire/db';
import { withService } from '@quire/db/session';

/**
 * One attempt's hold on an export or import row. Every write says which attempt it comes from
 * (`attempts = <mine>`), so a worker that was given up for dead and comes back cannot overwrite a newer attempt.
 *
 * withService throughout: progress, status and results of a job are written by the worker alone (people may only
 * queue and cancel, see the export_jobs and import_jobs policies), and no person is signed in to a job.
 */

export type JobTable = 'export_jobs' | 'import_jobs';

/** A running attempt touches its row this often; a row left untouched for STALE_SECONDS belongs to a dead worker. */
export const HEARTBEAT_MS = 10_000;
export const STALE_SECONDS = 60;

export class Canceled extends Error {
  constructor() {
    super('canceled');
    this.name = 'Canceled';
  }
}

export interface Lease<Row> {
  row: Row;
  attempt: number;
  /** Writes progress (0..100), at most once per step of 5 and never backwards; throws Canceled once the writer canceled. */
  progress(percent: number): Promise<void>;
  /** Throws Canceled when the job was canceled (or taken over) meanwhile. */
  check(): Promise<void>;
  /** Runs `fn` on the row for this attempt only; false when the attempt no longer holds it. */
  write(sql: string, params: unknown[]): Promise<boolean>;
  release(): void;
}

/**
 * Takes a queued job: status queued -> running, one more attempt. Null when the job is not waiting: finished,
 * canceled, deleted, or running in another worker (a duplicate delivery) — the caller then does nothing.
 */
export async function claim<Row extends { attempts: number }>(pool: Pool, table: JobTable, id: string): Promise<Lease<Row> | null> {
  const row = await withService(pool, async (tx) => {
    const { rows } = await tx.query<Row>(
      `update public.${table} set status = 'running', attempts = attempts + 1, progress = 0, error = null,
              started_at = coalesce(started_at, now())
        where id = $1 and status = 'queued' returning *`,
      [id],
    );
    return rows[0] ?? null;
  });
  if (!row) return null;
  const attempt = row.attempts;
  let shown = 0;
  let canceled = false;
  const write = async (sql: string, params: unknown[]) =>
    withService(pool, async (tx) => {
      const { rowCount } = await tx.query(`${sql} and attempts = ${attempt} and status = 'running'`, params);
      return Boolean(rowCount);
    });
  const check = async () => {
    if (canceled) throw new Canceled();
    const still = await write(`update public.${table} set updated_at = now() where id = $1`, [id]);
    if (!still) {
      canceled = true;
      throw new Canceled();
    }
  };
  const timer = setInterval(() => {
    check().catch(() => {});
  }, HEARTBEAT_MS);
  timer.unref();
  return {
    row,
    attempt,
    check,
    write,
    async progress(percent) {
      if (canceled) throw new Canceled();
      const value = Math.max(0, Math.min(99, Math.floor(percent)));
      if (value < shown + 5) return;
      shown = value;
      if (!(await write(`update public.${table} set progress = $2 where id = $1`, [id, value]))) {
        canceled = true;
        throw new Canceled();
      }
    },
    release: () => clearInterval(timer),
  };
}

/**
 * What happens after an attempt threw something unexpected (the database or storage away, a bug): with retries
 * left, the row goes back to queued and the queue tries again after its backoff; on the last attempt it fails with
 * a message a writer can act on, and the error itself goes to the failure log for support.
 */
export async function afterError(lease: Lease<unknown>, table: JobTable, id: string, final: boolean, message: string): Promise<void> {
  if (final) {
    await lease.write(`update public.${table} set status = 'failed', error = $2, finished_at = now() where id = $1`, [id, message]);
  } else {
    await lease.write(`update public.${table} set status = 'queued', progress = 0 where id = $1`, [id]);
  }
}

/**
 * Puts jobs whose worker died (running, untouched for `staleSeconds`) back in the queue. Returns their ids so the
 * caller can send each a fresh queue entry; the claim above makes a duplicate delivery harmless.
 */
export async function requeueStale(pool: Pool, table: JobTable, staleSeconds: number): Promise<string[]> {
  return withService(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `update public.${table} set status = 'queued', progress = 0
        where status = 'running' and updated_at < now() - make_interval(secs => $1) returning id`,
      [staleSeconds],
    );
    return rows.map((r) => r.id);
  });
}
