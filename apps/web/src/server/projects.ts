import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { ProjectRole } from '@quire/domain/roles';
import {
  createProjectInput,
  deleteProjectInput,
  id as idSchema,
  renameProjectInput,
  templateDocuments,
  transferProjectInput,
  type TemplateDocument,
} from '@quire/domain/schemas';
import { UserError, parse, toUserError } from '../lib/errors';
import { cleanUpPicturesSoon } from './storage/garbage';
import { countWords, jsonToPlainText, type ProseMirrorJSON } from '@quire/domain/manuscript';

/** A project as the dashboard shows it. `role` is null when the viewer only has documents shared with them. */
export interface ProjectSummary {
  id: string;
  title: string;
  kind: 'novel' | 'screenplay' | 'blog_post';
  role: ProjectRole | null;
  isOwner: boolean;
  ownerName: string | null;
  wordCount: number;
  documentCount: number;
  memberCount: number;
  lastActivityAt: string;
}

export interface TemplateSummary {
  id: string;
  slug: string;
  name: string;
  kind: 'novel' | 'screenplay' | 'blog_post';
  description: string;
  documentCount: number;
}

export const PROJECT_KIND_LABELS: Record<ProjectSummary['kind'], string> = {
  novel: 'Novel',
  screenplay: 'Screenplay',
  blog_post: 'Blog post',
};

function sub(claims: Claims): string {
  return claims.sub;
}

export async function listProjects(pool: Pool, claims: Claims): Promise<ProjectSummary[]> {
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select p.id, p.title, p.kind, pm.role, p.user_id = (select auth.uid()) as is_owner,
              nullif(op.display_name, '') as owner_name, p.last_activity_at,
              coalesce(d.words, 0)::int as word_count, coalesce(d.docs, 0)::int as document_count,
              (select count(*) from public.project_members m where m.project_id = p.id)::int as member_count
         from public.projects p
         left join public.project_members pm on pm.project_id = p.id and pm.user_id = (select auth.uid())
         left join public.user_profiles op on op.id = p.user_id
         left join lateral (select sum(word_count) as words, count(*) as docs from public.documents where project_id = p.id) d on true
        order by p.last_activity_at desc, p.created_at desc`,
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      role: r.role,
      isOwner: r.is_owner,
      ownerName: r.owner_name,
      wordCount: r.word_count,
      documentCount: r.document_count,
      memberCount: r.member_count,
      lastActivityAt: (r.last_activity_at as Date).toISOString(),
    }));
  });
}

export async function listTemplates(pool: Pool, claims: Claims): Promise<TemplateSummary[]> {
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select id, slug, name, kind, description, documents from public.document_templates
        order by case kind when 'novel' then 1 when 'screenplay' then 2 else 3 end, name`,
    );
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      name: r.name,
      kind: r.kind,
      description: r.description,
      documentCount: countTemplateDocuments(r.documents),
    }));
  });
}

function countTemplateDocuments(documents: unknown): number {
  const parsed = templateDocuments.safeParse(documents);
  if (!parsed.success) return 0;
  const count = (list: TemplateDocument[]): number => list.reduce((n, d) => n + 1 + count(d.children ?? []), 0);
  return count(parsed.data);
}

async function insertTemplateDocuments(tx: Tx, projectId: string, userId: string, list: TemplateDocument[], parentId: string | null, depth = 0) {
  if (depth > 8) return;
  for (const [position, doc] of list.entries()) {
    const content = doc.content ?? { type: 'doc', content: [{ type: 'paragraph' }] };
    const text = jsonToPlainText(content as ProseMirrorJSON | null);
    const { rows } = await tx.query<{ id: string }>(
      `insert into public.documents (project_id, user_id, parent_id, kind, title, position, content, plain_text, word_count)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
      [projectId, userId, parentId, doc.kind, doc.title.trim() || 'Untitled', position, content, text, countWords(text)],
    );
    await insertTemplateDocuments(tx, projectId, userId, doc.children ?? [], rows[0]!.id, depth + 1);
  }
}

/** Creates the project and the template's starter documents in one transaction: all of it or nothing. */
export async function createProject(pool: Pool, claims: Claims, input: unknown): Promise<{ id: string }> {
  const { title, templateId } = parse(createProjectInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows: templates } = await tx.query('select id, kind, documents from public.document_templates where id = $1', [templateId]);
      const template = templates[0];
      if (!template) throw new UserError('That template is no longer available. Pick another one.', 'not_found');
      const { rows } = await tx.query<{ id: string }>(
        'insert into public.projects (user_id, template_id, title, kind) values ($1, $2, $3, $4) returning id',
        [sub(claims), template.id, title, template.kind],
      );
      const projectId = rows[0]!.id;
      const documents = templateDocuments.safeParse(template.documents);
      if (documents.success) await insertTemplateDocuments(tx, projectId, sub(claims), documents.data, null);
      return { id: projectId };
    });
  } catch (error) {
    throw toUserError(error, { forbidden: 'You cannot create projects with this account.' });
  }
}

export interface ProjectDetail {
  id: string;
  title: string;
  kind: ProjectSummary['kind'];
  ownerId: string;
  ownerName: string | null;
  ownerTier: 'free' | 'pro' | 'team';
  role: ProjectRole | null;
  lastActivityAt: string;
  wordCount: number;
}

/** The project if the caller may see it (RLS), with their role in it; null when it does not exist for them. */
export async function getProject(pool: Pool, claims: Claims, projectId: string): Promise<ProjectDetail | null> {
  const parsed = idSchema.safeParse(projectId);
  if (!parsed.success) return null;
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select p.id, p.title, p.kind, p.user_id, nullif(op.display_name, '') as owner_name, private.owner_tier(p.id) as owner_tier,
              pm.role, p.last_activity_at,
              (select coalesce(sum(word_count), 0)::int from public.documents where project_id = p.id) as word_count
         from public.projects p
         left join public.project_members pm on pm.project_id = p.id and pm.user_id = (select auth.uid())
         left join public.user_profiles op on op.id = p.user_id
        where p.id = $1`,
      [parsed.data],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      title: r.title,
      kind: r.kind,
      ownerId: r.user_id,
      ownerName: r.owner_name,
      ownerTier: r.owner_tier,
      role: r.role,
      lastActivityAt: (r.last_activity_at as Date).toISOString(),
      wordCount: r.word_count,
    };
  });
}

export async function renameProject(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, title } = parse(renameProjectInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('update public.projects set title = $2 where id = $1', [projectId, title]);
      if (!rowCount) throw new UserError('Only the owner and editors can rename this project.', 'forbidden');
    });
  } catch (error) {
    throw toUserError(error);
  }
}

export async function deleteProject(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, confirmTitle } = parse(deleteProjectInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ title: string }>('select title from public.projects where id = $1', [projectId]);
      const project = rows[0];
      if (!project) throw new UserError('This project no longer exists.', 'not_found');
      if (project.title.trim() !== confirmTitle.trim()) {
        throw new UserError('The title you typed does not match. Type it exactly to confirm.', 'invalid', {
          confirmTitle: 'Type the project title exactly.',
        });
      }
      const { rowCount } = await tx.query('delete from public.projects where id = $1', [projectId]);
      if (!rowCount) throw new UserError('Only the project\u2019s owner can delete it.', 'forbidden');
    });
    // its characters' and locations' pictures were queued by the cascade; have them removed now
    cleanUpPicturesSoon(pool);
  } catch (error) {
    throw toUserError(error);
  }
}

/**
 * Makes a member the owner of record (their plan then sets the project's limits); the previous owner stays as an
 * editor. An account that owns a project others work in cannot be deleted until it does this or deletes the project.
 */
export async function transferProject(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, newOwnerId } = parse(transferProjectInput, input);
  try {
    await withUser(pool, claims, (tx) => tx.query('select public.transfer_project($1, $2)', [projectId, newOwnerId]));
  } catch (error) {
    throw toUserError(error);
  }
}

export async function getMyTier(pool: Pool, claims: Claims): Promise<'free' | 'pro' | 'team'> {
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query<{ tier: 'free' | 'pro' | 'team' }>(
      'select subscription_tier as tier from public.user_profiles where id = (select auth.uid())',
    );
    return rows[0]?.tier ?? 'free';
  });
}
