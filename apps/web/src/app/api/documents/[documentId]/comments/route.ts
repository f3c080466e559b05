import { withUser } from '@quire/db/session';
import { UserError, parse } from '@/lib/errors';
import { getPool } from '@/lib/db';
import { caller, documentIdOf, json, readJson, refuse } from './http';
import { COMMENT_COLUMNS, COMMENT_JOINS, createCommentInput, loadComment, toDto } from './model';

type Context = { params: Promise<{ documentId: string }> };

/** Every thread and reply on a document, oldest first; Row Level Security decides who may read them. */
export async function GET(request: Request, context: Context) {
  try {
    const documentId = documentIdOf(await context.params);
    const claims = await caller(request);
    const comments = await withUser(getPool(), claims, async (tx) => {
      const visible = await tx.query('select 1 from public.documents where id = $1', [documentId]);
      if (!visible.rowCount) throw new UserError('This document does not exist or is not shared with you.', 'not_found');
      const { rows } = await tx.query(
        `select ${COMMENT_COLUMNS} from public.comments c ${COMMENT_JOINS}
          where c.document_id = $1 order by c.created_at, c.id limit 5000`,
        [documentId],
      );
      return rows.map(toDto);
    });
    return json({ comments });
  } catch (error) {
    return refuse(error);
  }
}

/** A new thread on a passage (anchor + quote) or a reply to a thread (parentId). Commenters and up. */
export async function POST(request: Request, context: Context) {
  try {
    const documentId = documentIdOf(await context.params);
    const claims = await caller(request);
    const input = parse(createCommentInput, await readJson(request));
    const comment = await withUser(getPool(), claims, async (tx) => {
      const visible = await tx.query('select project_id from public.documents where id = $1', [documentId]);
      if (!visible.rowCount) throw new UserError('This document does not exist or is not shared with you.', 'not_found');
      const isReply = 'parentId' in input;
      if (isReply) {
        const parent = await tx.query('select resolved_at from public.comments where id = $1 and document_id = $2 and parent_id is null', [
          input.parentId,
          documentId,
        ]);
        if (!parent.rowCount) throw new UserError('That thread no longer exists.', 'not_found');
      }
      const { rows } = await tx.query(
        `insert into public.comments (project_id, document_id, user_id, parent_id, body, anchor, quote)
         values ($1, $2, (select auth.uid()), $3, $4, $5, $6) returning id`,
        [
          visible.rows[0].project_id,
          documentId,
          isReply ? input.parentId : null,
          input.body,
          isReply ? null : JSON.stringify(input.anchor),
          isReply ? null : input.quote,
        ],
      );
      return loadComment(tx, documentId, rows[0].id);
    });
    return json({ comment }, 201);
  } catch (error) {
    return refuse(error, { forbidden: 'Viewers can read comments but not add them. Ask the owner for commenter access.' });
  }
}
