import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { strongest, type ProjectRole, type ShareRole } from '@quire/domain/roles';
import {
  createDocumentInput,
  deleteDocumentInput,
  id as idSchema,
  moveDocumentInput,
  renameDocumentInput,
  reorderDocumentsInput,
  type DocumentKind,
} from '@quire/domain/schemas';
import { UserError, parse, toUserError } from '../lib/errors';

export interface DocumentNode {
  id: string;
  parentId: string | null;
  kind: DocumentKind;
  title: string;
  position: number;
  wordCount: number;
  updatedAt: string;
  /** What the caller may do with this document (their project role or a share, whichever is stronger). */
  canEdit: boolean;
}

const STRUCTURE_REFUSAL = 'Only editors and the owner can change the manuscript\u2019s structure.';

/** Every document of the project the caller may read, in tree order (parents before children, siblings by position). */
export async function listDocuments(pool: Pool, claims: Claims, projectId: string): Promise<DocumentNode[]> {
  const parsed = idSchema.safeParse(projectId);
  if (!parsed.success) return [];
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select id, parent_id, kind, title, position, word_count, updated_at,
              private.has_role(project_id, id, 'editor') as can_edit
         from public.documents where project_id = $1
        order by position, created_at, id`,
      [parsed.data],
    );
    return rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      kind: r.kind,
      title: r.title,
      position: r.position,
      wordCount: r.word_count,
      updatedAt: (r.updated_at as Date).toISOString(),
      canEdit: r.can_edit,
    }));
  });
}

export interface DocumentDetail {
  id: string;
  projectId: string;
  projectTitle: string;
  title: string;
  kind: DocumentKind;
  wordCount: number;
  updatedAt: string;
  projectRole: ProjectRole | null;
  shareRole: ShareRole | null;
  /** The stronger of the two; what the editor will enforce. */
  role: ProjectRole | null;
  canEdit: boolean;
}

export async function getDocument(pool: Pool, claims: Claims, documentId: string): Promise<DocumentDetail | null> {
  const parsed = idSchema.safeParse(documentId);
  if (!parsed.success) return null;
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select d.id, d.project_id, p.title as project_title, d.title, d.kind, d.word_count, d.updated_at,
              pm.role as project_role, dc.role as share_role
         from public.documents d
         join public.projects p on p.id = d.project_id
         left join public.project_members pm on pm.project_id = d.project_id and pm.user_id = (select auth.uid())
         left join public.document_collaborators dc on dc.document_id = d.id and dc.user_id = (select auth.uid())
        where d.id = $1`,
      [parsed.data],
    );
    const r = rows[0];
    if (!r) return null;
    const role = strongest(r.project_role, r.share_role);
    return {
      id: r.id,
      projectId: r.project_id,
      projectTitle: r.project_title,
      title: r.title,
      kind: r.kind,
      wordCount: r.word_count,
      updatedAt: (r.updated_at as Date).toISOString(),
      projectRole: r.project_role,
      shareRole: r.share_role,
      role,
      canEdit: role === 'owner' || role === 'editor',
    };
  });
}

export async function createDocument(pool: Pool, claims: Claims, input: unknown): Promise<{ id: string }> {
  const { projectId, parentId, kind, title } = parse(createDocumentInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.documents (project_id, user_id, parent_id, kind, title, position, content)
         select $1, $2, $3, $4, $5,
                coalesce((select max(position) + 1 from public.documents where project_id = $1 and parent_id is not distinct from $3), 0),
                '{"type":"doc","content":[{"type":"paragraph"}]}'::jsonb
         returning id`,
        [projectId, claims.sub, parentId, kind, title],
      );
      return { id: rows[0]!.id };
    });
  } catch (error) {
    throw toUserError(error, { forbidden: STRUCTURE_REFUSAL });
  }
}

export async function renameDocument(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { documentId, title } = parse(renameDocumentInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('update public.documents set title = $2 where id = $1', [documentId, title]);
      if (!rowCount) throw new UserError('Only editors and the owner can rename documents.', 'forbidden');
    });
  } catch (error) {
    throw toUserError(error, { forbidden: STRUCTURE_REFUSAL });
  }
}

export async function deleteDocument(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { documentId } = parse(deleteDocumentInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.documents where id = $1', [documentId]);
      if (!rowCount) throw new UserError('Only editors and the owner can delete documents.', 'forbidden');
    });
  } catch (error) {
    throw toUserError(error, { forbidden: STRUCTURE_REFUSAL });
  }
}

async function applyOrder(tx: Tx, projectId: string, parentId: string | null, orderedIds: string[]) {
  const { rows } = await tx.query<{ id: string }>(
    'select id from public.documents where project_id = $1 and parent_id is not distinct from $2',
    [projectId, parentId],
  );
  const siblings = new Set(rows.map((r) => r.id));
  if (siblings.size !== orderedIds.length || new Set(orderedIds).size !== orderedIds.length || orderedIds.some((id) => !siblings.has(id))) {
    throw new UserError('The outline changed while you were moving things. Reload the page and try again.', 'conflict');
  }
  const { rowCount } = await tx.query(
    `update public.documents d set position = o.ord::int - 1
       from unnest($2::uuid[]) with ordinality as o(id, ord)
      where d.id = o.id and d.project_id = $1 and d.position is distinct from o.ord::int - 1`,
    [projectId, orderedIds],
  );
  const { rows: changed } = await tx.query<{ n: number }>(
    `select count(*)::int as n from public.documents d join unnest($2::uuid[]) with ordinality as o(id, ord) on d.id = o.id
      where d.project_id = $1 and d.position <> o.ord::int - 1`,
    [projectId, orderedIds],
  );
  // RLS turns a viewer's update into "no rows"; any position left unchanged means we were not allowed.
  if (changed[0]!.n > 0) throw new UserError(STRUCTURE_REFUSAL, 'forbidden');
  return rowCount ?? 0;
}

/** Sets the order of one parent's children (drag and drop sends the whole new order). */
export async function reorderDocuments(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, parentId, orderedIds } = parse(reorderDocumentsInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>(`select private.has_role($1, null, 'editor') as ok`, [projectId]);
      if (!rows[0]?.ok) throw new UserError(STRUCTURE_REFUSAL, 'forbidden');
      await applyOrder(tx, projectId, parentId, orderedIds);
    });
  } catch (error) {
    throw toUserError(error, { forbidden: STRUCTURE_REFUSAL });
  }
}

/** One step up or down among its siblings (keyboard shortcut and move buttons). */
export async function moveDocument(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { documentId, direction } = parse(moveDocumentInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ project_id: string; parent_id: string | null; ok: boolean }>(
        `select project_id, parent_id, private.has_role(project_id, null, 'editor') as ok from public.documents where id = $1`,
        [documentId],
      );
      const doc = rows[0];
      if (!doc) throw new UserError('That document no longer exists.', 'not_found');
      if (!doc.ok) throw new UserError(STRUCTURE_REFUSAL, 'forbidden');
      const { rows: siblings } = await tx.query<{ id: string }>(
        `select id from public.documents where project_id = $1 and parent_id is not distinct from $2 order by position, created_at, id`,
        [doc.project_id, doc.parent_id],
      );
      const order = siblings.map((s) => s.id);
      const at = order.indexOf(documentId);
      const to = direction === 'up' ? at - 1 : at + 1;
      if (at < 0 || to < 0 || to >= order.length) return;
      [order[at], order[to]] = [order[to]!, order[at]!];
      await applyOrder(tx, doc.project_id, doc.parent_id, order);
    });
  } catch (error) {
    throw toUserError(error, { forbidden: STRUCTURE_REFUSAL });
  }
}
