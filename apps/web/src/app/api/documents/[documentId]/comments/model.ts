import type { Tx } from '@quire/db/session';
import type { CommentDto } from '@quire/domain/schemas';

export { createCommentInput, updateCommentInput } from '@quire/domain/schemas';

// Profiles are readable for people who share a project (RLS); someone outside it shows as a collaborator.
export const COMMENT_COLUMNS = `
  c.id, c.parent_id, c.user_id, c.body, c.anchor, c.quote, c.resolved_at, c.resolved_by, c.created_at, c.updated_at,
  coalesce(nullif(author.display_name, ''), split_part(author.email, '@', 1), 'A collaborator') as author_name,
  coalesce(nullif(resolver.display_name, ''), split_part(resolver.email, '@', 1)) as resolved_by_name`;

export const COMMENT_JOINS = `
  left join public.user_profiles author on author.id = c.user_id
  left join public.user_profiles resolver on resolver.id = c.resolved_by`;

type Row = Record<string, unknown>;

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value == null ? null : String(value));

export function toDto(row: Row): CommentDto {
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

export async function loadComment(tx: Tx, documentId: string, commentId: string): Promise<CommentDto | null> {
  const { rows } = await tx.query(
    `select ${COMMENT_COLUMNS} from public.comments c ${COMMENT_JOINS} where c.id = $1 and c.document_id = $2`,
    [commentId, documentId],
  );
  return rows[0] ? toDto(rows[0]) : null;
}
