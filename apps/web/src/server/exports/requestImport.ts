import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { IMPORT_MAX_BYTES, importFormatOf, requestImportInput } from '@quire/domain/exports';
import { UserError, parse, toUserError } from '../../lib/errors';
import { enqueueImport } from './queue';

const REFUSAL = 'Only editors and the owner can import into this project.';

/**
 * Queues an import: the job, its file and its queue entry in one transaction. The bytes are only measured here; the
 * worker reads them (apps/worker/src/jobs/import-run.ts), so a corrupt or hostile file can never hurt the web server.
 */
export async function requestImport(
  pool: Pool,
  claims: Claims,
  input: { projectId: unknown; parentId?: unknown; filename: unknown; bytes: Uint8Array },
): Promise<{ id: string }> {
  const request = parse(requestImportInput, { projectId: input.projectId, parentId: input.parentId, filename: input.filename, size: input.bytes.byteLength });
  if (input.bytes.byteLength > IMPORT_MAX_BYTES) throw new UserError(`Files up to ${IMPORT_MAX_BYTES / 1024 / 1024} MB can be imported.`, 'invalid');
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows: allowed } = await tx.query<{ ok: boolean }>(`select private.has_role($1, null, 'editor') as ok`, [request.projectId]);
      if (!allowed[0]?.ok) throw new UserError(REFUSAL, 'forbidden');
      if (request.parentId) {
        const { rows } = await tx.query(`select 1 from public.documents where id = $1 and project_id = $2 and kind = 'folder'`, [request.parentId, request.projectId]);
        if (!rows[0]) throw new UserError('Import into a part of this project, or at the top.', 'invalid');
      }
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.import_jobs (project_id, parent_id, user_id, filename, format, size_bytes) values ($1, $2, $3, $4, $5, $6) returning id`,
        [request.projectId, request.parentId, claims.sub, request.filename, importFormatOf(request.filename), input.bytes.byteLength],
      );
      const id = rows[0]!.id;
      await tx.query(`insert into public.import_sources (job_id, bytes) values ($1, $2)`, [id, Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength)]);
      await enqueueImport(pool, tx, id);
      return { id };
    });
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
}
