import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { saveVersionInput, type VersionSummary } from '@quire/domain/schemas';
import { UserError, parse, parseId, toUserError } from '../../lib/errors';
import { SUMMARY_COLUMNS, SUMMARY_FROM, toSummary } from './queries';

/**
 * Names the document as it was last stored. The editor asks the collab server first (it snapshots the live state,
 * including edits not yet written to the row); this is the way in for scripts and for when the live connection is down.
 */
export async function saveVersion(pool: Pool, claims: Claims, documentId: unknown, input: unknown): Promise<VersionSummary> {
  const id = parseId(documentId, 'document');
  const { label } = parse(saveVersionInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.document_versions (document_id, project_id, user_id, label, reason, yjs_state, content, plain_text, word_count)
         select d.id, d.project_id, (select auth.uid()), $2, 'manual', d.yjs_state, d.content, d.plain_text, d.word_count
           from public.documents d where d.id = $1
         returning id`,
        [id, label],
      );
      if (!rows[0]) throw new UserError('This document does not exist or is not shared with you.', 'not_found');
      const saved = await tx.query(`select ${SUMMARY_COLUMNS} from ${SUMMARY_FROM} where v.id = $1`, [rows[0].id]);
      return toSummary(saved.rows[0]);
    });
  } catch (error) {
    throw toUserError(error, { forbidden: 'Only editors can save versions.' });
  }
}
