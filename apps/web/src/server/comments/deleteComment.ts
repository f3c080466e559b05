import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { UserError, parseId, toUserError } from '../../lib/errors';
import { loadComment } from './queries';

const REFUSAL = 'Only editors and the author can delete this comment.';

/** Deletes one's own comment, or (editors) anyone's; deleting a thread takes its replies with it. */
export async function deleteComment(pool: Pool, claims: Claims, documentId: unknown, commentId: unknown): Promise<{ deleted: string }> {
  const ids = { documentId: parseId(documentId, 'document'), commentId: parseId(commentId, 'comment') };
  try {
    await withUser(pool, claims, async (tx) => {
      const existing = await loadComment(tx, ids.documentId, ids.commentId);
      if (!existing) throw new UserError('That comment no longer exists.', 'not_found');
      const result = await tx.query('delete from public.comments where id = $1 and document_id = $2', [ids.commentId, ids.documentId]);
      if (!result.rowCount) throw new UserError(REFUSAL, 'forbidden');
    });
    return { deleted: ids.commentId };
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
}
