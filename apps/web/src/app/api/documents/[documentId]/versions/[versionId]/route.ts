import { withUser } from '@quire/db/session';
import { UserError } from '@/lib/errors';
import { getPool } from '@/lib/db';
import { caller, documentIdOf, idOf, json, refuse } from '../../comments/http';
import { SUMMARY_COLUMNS, toSummary } from '../model';

type Context = { params: Promise<{ documentId: string; versionId: string }> };

/** One version for preview and comparison: its ProseMirror JSON and plain text, never the Yjs state. */
export async function GET(request: Request, context: Context) {
  try {
    const params = await context.params;
    const documentId = documentIdOf(params);
    const versionId = idOf(params.versionId, 'version');
    const claims = await caller(request);
    const version = await withUser(getPool(), claims, async (tx) => {
      const { rows } = await tx.query(
        `select ${SUMMARY_COLUMNS}, v.content, v.plain_text
           from public.document_versions v left join public.user_profiles p on p.id = v.user_id
          where v.id = $1 and v.document_id = $2`,
        [versionId, documentId],
      );
      if (!rows[0]) throw new UserError('That version no longer exists (older versions are pruned by plan).', 'not_found');
      return { ...toSummary(rows[0]), content: rows[0].content ?? null, plainText: (rows[0].plain_text as string) ?? '' };
    });
    return json({ version });
  } catch (error) {
    return refuse(error);
  }
}
