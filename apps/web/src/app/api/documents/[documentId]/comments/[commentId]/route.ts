import { withUser } from '@quire/db/session';
import { UserError, parse } from '@/lib/errors';
import { getPool } from '@/lib/db';
import { caller, documentIdOf, idOf, json, readJson, refuse } from '../http';
import { loadComment, updateCommentInput } from '../model';

type Context = { params: Promise<{ documentId: string; commentId: string }> };

/**
 * Edit one's own comment, or resolve / reopen a thread. The policies let authors and editors update; the schema's
 * trigger keeps bodies to their authors and records who resolved. A refused update affects no row, so the row is
 * looked up first to tell "not yours" from "not there".
 */
export async function PATCH(request: Request, context: Context) {
  try {
    const params = await context.params;
    const documentId = documentIdOf(params);
    const commentId = idOf(params.commentId, 'comment');
    const claims = await caller(request);
    const input = parse(updateCommentInput, await readJson(request));
    const comment = await withUser(getPool(), claims, async (tx) => {
      const existing = await loadComment(tx, documentId, commentId);
      if (!existing) throw new UserError('That comment no longer exists.', 'not_found');
      let result;
      if ('body' in input) {
        if (existing.userId !== claims.sub) throw new UserError('Only the author can edit a comment.', 'forbidden');
        result = await tx.query('update public.comments set body = $3 where id = $1 and document_id = $2', [commentId, documentId, input.body]);
      } else {
        if (existing.parentId) throw new UserError('Resolve the thread, not a reply.', 'invalid');
        result = await tx.query(
          `update public.comments set resolved_at = case when $3 then coalesce(resolved_at, now()) else null end
            where id = $1 and document_id = $2`,
          [commentId, documentId, input.resolved],
        );
      }
      if (!result.rowCount) throw new UserError('Only editors and the author can change this thread.', 'forbidden');
      return loadComment(tx, documentId, commentId);
    });
    return json({ comment });
  } catch (error) {
    return refuse(error, { forbidden: 'Only editors and the author can change this thread.' });
  }
}

/** Delete one's own comment, or (editors) anyone's; deleting a thread takes its replies with it. */
export async function DELETE(request: Request, context: Context) {
  try {
    const params = await context.params;
    const documentId = documentIdOf(params);
    const commentId = idOf(params.commentId, 'comment');
    const claims = await caller(request);
    await withUser(getPool(), claims, async (tx) => {
      const existing = await loadComment(tx, documentId, commentId);
      if (!existing) throw new UserError('That comment no longer exists.', 'not_found');
      const result = await tx.query('delete from public.comments where id = $1 and document_id = $2', [commentId, documentId]);
      if (!result.rowCount) throw new UserError('Only editors and the author can delete this comment.', 'forbidden');
    });
    return json({ deleted: commentId });
  } catch (error) {
    return refuse(error, { forbidden: 'Only editors and the author can delete this comment.' });
  }
}
