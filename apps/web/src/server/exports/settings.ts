import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { exportSettingsInput } from '@quire/domain/exports';
import { UserError, parse, toUserError } from '../../lib/errors';

const REFUSAL = 'Only the owner can decide whether viewers may export.';

/** The owner's switch: may viewers (and people a document was shared with as viewers) export what they read? */
export async function setExportSettings(pool: Pool, claims: Claims, input: unknown): Promise<{ viewersMayExport: boolean }> {
  const { projectId, viewersMayExport } = parse(exportSettingsInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>(`select private.has_role($1, null, 'owner') as ok`, [projectId]);
      if (!rows[0]?.ok) throw new UserError(REFUSAL, 'forbidden');
      await tx.query(
        `insert into public.export_settings (project_id, viewers_may_export, updated_by) values ($1, $2, $3)
         on conflict (project_id) do update set viewers_may_export = excluded.viewers_may_export, updated_by = excluded.updated_by`,
        [projectId, viewersMayExport, claims.sub],
      );
      return { viewersMayExport };
    });
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
}
