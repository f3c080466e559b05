import { getPool } from '@/lib/db';
import { parseId } from '@/lib/errors';
import { caller, json, readJson, refuse } from '@/lib/http';
import { createComment, listComments } from '@/server/comments';

type Context = { params: Promise<{ documentId: string }> };

/** Every thread and reply on a document, oldest first. */
export async function GET(request: Request, context: Context) {
  try {
    const documentId = parseId((await context.params).documentId, 'document');
    const claims = await caller(request);
    return json({ comments: await listComments(getPool(), claims, documentId) });
  } catch (error) {
    return refuse(error);
  }
}

/** A new thread on a passage, or a reply to a thread. */
export async function POST(request: Request, context: Context) {
  try {
    const documentId = parseId((await context.params).documentId, 'document');
    const claims = await caller(request);
    return json({ comment: await createComment(getPool(), claims, documentId, await readJson(request)) }, 201);
  } catch (error) {
    return refuse(error);
  }
}
