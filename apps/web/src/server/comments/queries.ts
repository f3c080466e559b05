import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { CommentDto } from '@quire/domain/schemas';
import { UserError, parseId, toUserError } from '../../lib/errors';

// Profiles are readable for people who share a project (RLS); someone outside it shows as a collaborator.
const COMMENT_COLUMNS = `
  c.id, c.parent_id, c.user_id, c.body, c.anchor, c.quote, c.resolved_at, c.resolved_by, c.created_at, c.updated_at,
  coalesce(nullif(author.display_name, ''), split_part(author.email, '@', 1), 'A collaborator') as author_name,
  coalesce(nullif(resolver.display_name, ''), split_part(resolver.email, '@', 1)) as resolved_by_name`;

const COMMENT_JOINS = `
  left join public.user_profiles author on author.id = c.user_id
  left join public.user_profiles resolver on resolver.id = c.resolved_by`;

export const NOT_SHARED = 'This document does not exist or is not shared with you.';

type Row = Record<string, unknown>;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value == null ? null : String(value));

function toDto(row: Row): CommentDto {
  return {
    id: row.id as string,
    parentId: (row.parent_id as string | null) ?? null,
    userId: row.user_id as string,
    authorName: row.author_name as string,
    body: row.body as string,
    anchor: (row.anchor as CommentDto['anchor']) ?? null,
    quote: (row.quote as string | null) ?? null,
    resolvedAt: iso(row.resolved_at),
    resolvedBy: (row.resolved_by as string | null) ?? null,
    resolvedByName: (row.resolved_by_name as string | null) ?? null,
    createdAt: iso(row.created_at)!,
    updatedAt: iso(row.updated_at)!,
  };
}

/** One comment as the caller may see it, inside a transaction a command already holds. */
export async function loadComment(tx: Tx, documentId: string, commentId: string): Promise<CommentDto | null> {
  const { rows } = await tx.query(
    `select ${COMMENT_COLUMNS} from public.comments c ${COMMENT_JOINS} where c.id = $1 and c.document_id = $2`,
    [commentId, documentId],
  );
  return rows[0] ? toDto(rows[0]) : null;
}

/** Every thread and reply on a document, oldest first; Row Level Security decides who may read them. */
export async function listComments(pool: Pool, claims: Claims, documentId: unknown): Promise<CommentDto[]> {
  const id = parseId(documentId, 'document');
  try {
    return await withUser(pool, claims, async (tx) => {
      const visible = await tx.query('select 1 from public.documents where id = $1', [id]);
      if (!visible.rowCount) throw new UserError(NOT_SHARED, 'not_found');
      const { rows } = await tx.query(
        `select ${COMMENT_COLUMNS} from public.comments c ${COMMENT_JOINS}
          where c.document_id = $1 order by c.created_at, c.id limit 5000`,
        [id],
      );
      return rows.map(toDto);
    });
  } catch (error) {
    throw toUserError(error);
  }
}
