import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { updateCommentInput, type CommentDto } from '@quire/domain/schemas';
import { UserError, parse, parseId, toUserError } from '../../lib/errors';
import { loadComment } from './queries';

// The two shapes a change to a comment can take; each is its own command below.
const [editInput, resolveInput] = updateCommentInput.options;

const REFUSAL = 'Only editors and the author can change this thread.';

/**
 * The policies let authors and editors update; the schema's trigger keeps bodies to their authors and records who
 * resolved. A refused update affects no row, so the row is looked up first to tell "not yours" from "not there".
 */
async function change(
  pool: Pool,
  claims: Claims,
  documentId: unknown,
  commentId: unknown,
  apply: (tx: Tx, existing: CommentDto, ids: { documentId: string; commentId: string }) => Promise<number | null>,
): Promise<CommentDto> {
  const ids = { documentId: parseId(documentId, 'document'), commentId: parseId(commentId, 'comment') };
  try {
    return await withUser(pool, claims, async (tx) => {
      const existing = await loadComment(tx, ids.documentId, ids.commentId);
      if (!existing) throw new UserError('That comment no longer exists.', 'not_found');
      if (!(await apply(tx, existing, ids))) throw new UserError(REFUSAL, 'forbidden');
      return (await loadComment(tx, ids.documentId, ids.commentId))!;
    });
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
}

/** Rewrites one's own comment. */
export async function editComment(pool: Pool, claims: Claims, documentId: unknown, commentId: unknown, input: unknown): Promise<CommentDto> {
  const { body } = parse(editInput, input);
  return change(pool, claims, documentId, commentId, async (tx, existing, ids) => {
    if (existing.userId !== claims.sub) throw new UserError('Only the author can edit a comment.', 'forbidden');
    const result = await tx.query('update public.comments set body = $3 where id = $1 and document_id = $2', [ids.commentId, ids.documentId, body]);
    return result.rowCount;
  });
}

/** Resolves or reopens a thread (never a reply); resolving twice keeps the first time. */
export async function setThreadResolved(pool: Pool, claims: Claims, documentId: unknown, commentId: unknown, input: unknown): Promise<CommentDto> {
  const { resolved } = parse(resolveInput, input);
  return change(pool, claims, documentId, commentId, async (tx, existing, ids) => {
    if (existing.parentId) throw new UserError('Resolve the thread, not a reply.', 'invalid');
    const result = await tx.query(
      `update public.comments set resolved_at = case when $3 then coalesce(resolved_at, now()) else null end
        where id = $1 and document_id = $2`,
      [ids.commentId, ids.documentId, resolved],
    );
    return result.rowCount;
  });
}

/** What PATCH on a comment carries: a new body, or a resolved flag. */
export async function updateComment(pool: Pool, claims: Claims, documentId: unknown, commentId: unknown, input: unknown): Promise<CommentDto> {
  const parsed = parse(updateCommentInput, input);
  return 'body' in parsed
    ? editComment(pool, claims, documentId, commentId, parsed)
    : setThreadResolved(pool, claims, documentId, commentId, parsed);
}
