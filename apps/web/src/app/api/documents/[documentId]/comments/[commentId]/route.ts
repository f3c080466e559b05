import { getPool } from '@/lib/db';
import { parseId } from '@/lib/errors';
import { caller, json, readJson, refuse } from '@/lib/http';
import { deleteComment, updateComment } from '@/server/comments';

type Context = { params: Promise<{ documentId: string; commentId: string }> };

async function ids(context: Context) {
  const params = await context.params;
  return { documentId: parseId(params.documentId, 'document'), commentId: parseId(params.commentId, 'comment') };
}

/** Edit one's own comment ({ body }), or resolve / reopen a thread ({ resolved }). */
export async function PATCH(request: Request, context: Context) {
  try {
    const { documentId, commentId } = await ids(context);
    const claims = await caller(request);
    return json({ comment: await updateComment(getPool(), claims, documentId, commentId, await readJson(request)) });
  } catch (error) {
    return refuse(error);
  }
}

/** Delete one's own comment, or (editors) anyone's, with its replies. */
export async function DELETE(request: Request, context: Context) {
  try {
    const { documentId, commentId } = await ids(context);
    const claims = await caller(request);
    return json(await deleteComment(getPool(), claims, documentId, commentId));
  } catch (error) {
    return refuse(error);
  }
}
