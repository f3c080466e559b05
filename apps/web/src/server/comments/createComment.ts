import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { createCommentInput, type CommentDto } from '@quire/domain/schemas';
import { UserError, parse, parseId, toUserError } from '../../lib/errors';
import { NOT_SHARED, loadComment } from './queries';

const REFUSAL = 'Viewers can read comments but not add them. Ask the owner for commenter access.';

/** A new thread on a passage (anchor + quote) or a reply to a thread (parentId). Commenters and up. */
export async function createComment(pool: Pool, claims: Claims, documentId: unknown, input: unknown): Promise<CommentDto> {
  const id = parseId(documentId, 'document');
  const comment = parse(createCommentInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const visible = await tx.query<{ project_id: string }>('select project_id from public.documents where id = $1', [id]);
      if (!visible.rows[0]) throw new UserError(NOT_SHARED, 'not_found');
      const isReply = 'parentId' in comment;
      if (isReply) {
        const parent = await tx.query('select 1 from public.comments where id = $1 and document_id = $2 and parent_id is null', [
          comment.parentId,
          id,
        ]);
        if (!parent.rowCount) throw new UserError('That thread no longer exists.', 'not_found');
      }
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.comments (project_id, document_id, user_id, parent_id, body, anchor, quote)
         values ($1, $2, (select auth.uid()), $3, $4, $5, $6) returning id`,
        [
          visible.rows[0].project_id,
          id,
          isReply ? comment.parentId : null,
          comment.body,
          isReply ? null : JSON.stringify(comment.anchor),
          isReply ? null : comment.quote,
        ],
      );
      return (await loadComment(tx, id, rows[0]!.id))!;
    });
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
}
