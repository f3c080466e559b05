import { withService } from '@quire/db/session';
import { defineJob, type JobContext } from '../job';
import { requeueStale, STALE_SECONDS } from './exports/lease';
import { exportStore } from './exports/storage';

const BATCH = 100;

/**
 * The exports' housekeeping, every minute:
 *  - an export or import whose worker died mid-run (running, no heartbeat for `staleSeconds`) goes back to the queue
 *    with a fresh queue entry, so it resumes within a minute or two instead of waiting for the queue's expiry;
 *  - exported files past their plan's keep-until date are deleted from storage; the history row stays, marked expired.
 */
export async function sweepExports({ staleSeconds }: { staleSeconds: number }, ctx: Pick<JobContext, 'pool' | 'logger' | 'enqueue'>) {
  const exports = await requeueStale(ctx.pool, 'export_jobs', staleSeconds);
  for (const exportId of exports) await ctx.enqueue('export-run', { exportId });
  const imports = await requeueStale(ctx.pool, 'import_jobs', staleSeconds);
  for (const importId of imports) await ctx.enqueue('import-run', { importId });
  if (exports.length || imports.length) ctx.logger.warn({ exports, imports }, 'resumed jobs whose worker stopped');

  let expired = 0;
  for (;;) {
    // withService: expiry applies to every project, and only the worker may clear storage_url
    const due = await withService(ctx.pool, (tx) =>
      tx.query<{ id: string; storage_url: string }>(
        `select id, storage_url from public.export_jobs where storage_url is not null and expires_at <= now() order by expires_at limit ${BATCH}`,
      ),
    );
    if (due.rows.length === 0) break;
    await exportStore().remove(due.rows.map((r) => r.storage_url));
    await withService(ctx.pool, (tx) =>
      tx.query(`update public.export_jobs set storage_url = null where id = any($1::uuid[])`, [due.rows.map((r) => r.id)]),
    );
    expired += due.rows.length;
    if (due.rows.length < BATCH) break;
  }
  if (expired) ctx.logger.info({ expired }, 'expired export files removed');
  return { resumedExports: exports.length, resumedImports: imports.length, expired };
}

export const exportsSweep = defineJob({
  name: 'exports-sweep',
  retry: { limit: 1, delaySeconds: 30, backoff: false },
  expireInSeconds: 5 * 60,
  concurrency: 1,
  schedule: { cron: '* * * * *', payload: { staleSeconds: STALE_SECONDS } },
  handler: (data, ctx) => sweepExports(data, ctx),
});
