import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { DOWNLOAD_LINK_SECONDS } from '@quire/domain/exports';
import { UserError, parseId, toUserError } from '../../lib/errors';
import { signExportLink } from './storage';

/**
 * A link to an exported file that works for DOWNLOAD_LINK_SECONDS. Whether the caller may have it is decided by
 * RLS on export_jobs (members of the project read its exports); the link itself is signed by the storage service.
 */
export async function exportDownloadLink(pool: Pool, claims: Claims, projectId: string, exportId: string): Promise<string> {
  const project = parseId(projectId, 'project');
  const job = parseId(exportId, 'export');
  let row: { status: string; storage_url: string | null; filename: string | null; expired: boolean } | undefined;
  try {
    row = await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query(
        `select status, storage_url, filename, coalesce(expires_at <= now(), false) as expired from public.export_jobs where id = $1 and project_id = $2`,
        [job, project],
      );
      return rows[0];
    });
  } catch (error) {
    throw toUserError(error);
  }
  if (!row) throw new UserError('That export does not exist, or you cannot see it.', 'not_found');
  if (row.status !== 'succeeded') throw new UserError('This export is not ready yet.', 'conflict');
  if (row.expired || !row.storage_url) throw new UserError('This file has expired. Export again to get a fresh copy.', 'expired');
  return signExportLink(row.storage_url, row.filename ?? 'export', DOWNLOAD_LINK_SECONDS);
}
