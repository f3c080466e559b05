import type { Tx } from '@quire/db/session';
import { enqueueJob } from '@quire/db/jobs';

/**
 * The queue side of a request: the job is sent inside the caller's transaction, so the row and its job commit
 * together. The job id is the row's id, so sending twice (a retried request) stores one job.
 */
export async function enqueueExport(tx: Tx, exportId: string): Promise<void> {
  await enqueueJob({ tx }, 'export-run', { exportId }, { id: exportId });
}

export async function enqueueImport(tx: Tx, importId: string): Promise<void> {
  await enqueueJob({ tx }, 'import-run', { importId }, { id: importId });
}
