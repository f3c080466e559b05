import type { Pool } from '@quire/db/pool';
import type { Tx } from '@quire/db/session';
import { enqueueJob, ensureJobQueuesOnce } from '@quire/db/jobs';

/**
 * The queue side of a request: the job is sent inside the caller's transaction, so the row and its job commit
 * together. The job id is the row's id, so sending twice (a retried request) stores one job. Sending in a
 * transaction needs the queues to exist; the worker creates them when it starts, and the web server makes sure of
 * them too (once per process, on its own connection), so a request that comes before any worker has run is queued
 * rather than refused.
 */
export async function enqueueExport(pool: Pool, tx: Tx, exportId: string): Promise<void> {
  await ensureJobQueuesOnce(pool);
  await enqueueJob({ tx }, 'export-run', { exportId }, { id: exportId });
}

export async function enqueueImport(pool: Pool, tx: Tx, importId: string): Promise<void> {
  await ensureJobQueuesOnce(pool);
  await enqueueJob({ tx }, 'import-run', { importId }, { id: importId });
}
