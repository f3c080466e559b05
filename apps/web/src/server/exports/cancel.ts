import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { UserError, parseId, toUserError } from '../../lib/errors';

const REFUSAL = 'Only the person who asked for it, or the owner, can cancel this.';

/**
 * Cancels an export that has not finished. The worker checks the job's state before it starts, before it stores the
 * file and when it finishes, so a canceled export leaves no file behind (see apps/worker/src/jobs/export-run.ts).
 */
export async function cancelExport(pool: Pool, claims: Claims, projectId: string, exportId: string): Promise<void> {
  await cancel(pool, claims, 'export_jobs', parseId(projectId, 'project'), parseId(exportId, 'export'));
}

/** Cancels an import still waiting in the queue; one already reading its file finishes (or fails) whole. */
export async function cancelImport(pool: Pool, claims: Claims, projectId: string, importId: string): Promise<void> {
  await cancel(pool, claims, 'import_jobs', parseId(projectId, 'project'), parseId(importId, 'import'));
}

async function cancel(pool: Pool, claims: Claims, table: 'export_jobs' | 'import_jobs', projectId: string, jobId: string) {
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query(`update public.${table} set status = 'canceled' where id = $1 and project_id = $2`, [jobId, projectId]);
      if (rowCount) return;
      const { rows } = await tx.query<{ status: string }>(`select status from public.${table} where id = $1 and project_id = $2`, [jobId, projectId]);
      if (!rows[0]) throw new UserError('That job no longer exists.', 'not_found');
      if (rows[0].status === 'canceled') return;
      if (rows[0].status === 'succeeded' || rows[0].status === 'failed') throw new UserError('This job has already finished.', 'conflict');
      if (table === 'import_jobs' && rows[0].status === 'running') throw new UserError('This import is already being read; it will finish in a moment.', 'conflict');
      throw new UserError(REFUSAL, 'forbidden');
    });
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
}
