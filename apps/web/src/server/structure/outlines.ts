import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import {
  childrenOf,
  createOutlineInput,
  createSectionInput,
  GENERATOR_FIELDS,
  GENERATOR_READ_ONLY,
  keyBetween,
  moveRefusal,
  moveSectionInput,
  outlineToMarkdown,
  sectionRef,
  updateOutlineInput,
  updateSectionInput,
  type SectionKind,
  type SectionStatus,
} from '@quire/domain/structure';
import { UserError, parse } from '../../lib/errors';
import { EDIT_REFUSAL, lockBoard, structureError, updateVersioned } from './versioned';

export interface OutlineDto {
  id: string;
  projectId: string;
  title: string;
  summary: string;
  source: 'manual' | 'generated' | 'imported';
  /** what generated it, shown read-only */
  generator: { model: string | null; temperature: number | null; prompt: string | null } | null;
  version: number;
  sectionCount: number;
}

export interface SectionDto {
  id: string;
  outlineId: string;
  parentId: string | null;
  rank: string;
  kind: SectionKind;
  title: string;
  summary: string;
  status: SectionStatus;
  targetWordCount: number | null;
  documentId: string | null;
  documentTitle: string | null;
  documentWords: number | null;
  version: number;
  updatedAt: string;
}

export interface LinkableDocument {
  id: string;
  title: string;
  kind: string;
  wordCount: number;
}

export interface OutlineBoard {
  outline: OutlineDto;
  outlines: Array<Pick<OutlineDto, 'id' | 'title'>>;
  sections: SectionDto[];
  documents: LinkableDocument[];
  canEdit: boolean;
}

const OUTLINE_COLUMNS = `o.id, o.project_id, o.title, o.summary, o.source, o.model, o.temperature, o.prompt, o.version,
  (select count(*) from public.outline_sections s where s.outline_id = o.id)::int as section_count`;

function toOutline(r: Record<string, any>): OutlineDto {
  const generated = r.model !== null || r.temperature !== null || r.prompt !== null;
  return {
    id: r.id,
    projectId: r.project_id,
    title: r.title,
    summary: r.summary,
    source: r.source,
    generator: generated ? { model: r.model, temperature: r.temperature === null ? null : Number(r.temperature), prompt: r.prompt } : null,
    version: r.version,
    sectionCount: r.section_count,
  };
}

const SECTION_SELECT = `select s.id, s.outline_id, s.parent_id, s.rank, s.kind, s.title, s.summary, s.status, s.target_word_count,
    s.document_id, d.title as document_title, d.word_count as document_words, s.version, s.updated_at
  from public.outline_sections s left join public.documents d on d.id = s.document_id`;

function toSection(r: Record<string, any>): SectionDto {
  return {
    id: r.id,
    outlineId: r.outline_id,
    parentId: r.parent_id,
    rank: r.rank,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    status: r.status,
    targetWordCount: r.target_word_count,
    documentId: r.document_id,
    documentTitle: r.document_title ?? null,
    documentWords: r.document_id ? (r.document_words ?? 0) : null,
    version: r.version,
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

export async function loadSection(tx: Tx, sectionId: string): Promise<SectionDto | null> {
  const { rows } = await tx.query(`${SECTION_SELECT} where s.id = $1`, [sectionId]);
  return rows[0] ? toSection(rows[0]) : null;
}

async function canEdit(tx: Tx, projectId: string): Promise<boolean> {
  const { rows } = await tx.query(
    `select role from public.project_members where project_id = $1 and user_id = (select auth.uid())`,
    [projectId],
  );
  return rows[0]?.role === 'owner' || rows[0]?.role === 'editor';
}

export async function listOutlines(pool: Pool, claims: Claims, projectId: string): Promise<OutlineDto[]> {
  const project = idSchema.parse(projectId);
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(`select ${OUTLINE_COLUMNS} from public.outlines o where o.project_id = $1 order by o.rank, o.created_at, o.id`, [project]);
    return rows.map(toOutline);
  });
}

/** One outline with every section and the documents a section may link to; null when the caller cannot see it. */
export async function getOutlineBoard(pool: Pool, claims: Claims, projectId: string, outlineId: string): Promise<OutlineBoard | null> {
  const project = idSchema.safeParse(projectId);
  const outline = idSchema.safeParse(outlineId);
  if (!project.success || !outline.success) return null;
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(`select ${OUTLINE_COLUMNS} from public.outlines o where o.project_id = $1 order by o.rank, o.created_at, o.id`, [project.data]);
    const current = rows.find((r) => r.id === outline.data);
    if (!current) return null;
    const sections = await tx.query(`${SECTION_SELECT} where s.outline_id = $1 order by s.rank, s.id`, [outline.data]);
    const documents = await tx.query(
      `select id, title, kind, word_count from public.documents where project_id = $1 and kind <> 'folder' order by position, created_at, id`,
      [project.data],
    );
    return {
      outline: toOutline(current),
      outlines: rows.map((r) => ({ id: r.id, title: r.title })),
      sections: sections.rows.map(toSection),
      documents: documents.rows.map((d) => ({ id: d.id, title: d.title, kind: d.kind, wordCount: d.word_count })),
      canEdit: await canEdit(tx, project.data),
    };
  });
}

export async function createOutline(pool: Pool, claims: Claims, input: unknown): Promise<OutlineDto> {
  const { projectId, title } = parse(createOutlineInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      await lockBoard(tx, `outlines:${projectId}`);
      const last = await tx.query(`select max(rank) as rank from public.outlines where project_id = $1`, [projectId]);
      const { rows } = await tx.query(
        `insert into public.outlines (project_id, title, rank) values ($1, $2, $3) returning id`,
        [projectId, title, keyBetween(last.rows[0]?.rank ?? null, null)],
      );
      const created = await tx.query(`select ${OUTLINE_COLUMNS} from public.outlines o where o.id = $1`, [rows[0].id]);
      return toOutline(created.rows[0]);
    });
  } catch (error) {
    throw structureError(error);
  }
}

export async function updateOutline(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<OutlineDto> {
  const asked = (input as { patch?: unknown } | null)?.patch;
  if (asked && typeof asked === 'object' && GENERATOR_FIELDS.some((field) => field in asked)) throw new UserError(GENERATOR_READ_ONLY, 'forbidden');
  const { outlineId, version, patch } = parse(updateOutlineInput, input);
  try {
    return await withUser(pool, claims, (tx) =>
      updateVersioned(tx, {
        table: 'outlines',
        id: outlineId,
        projectId,
        version,
        set: patch,
        what: 'outline',
        forbidden: EDIT_REFUSAL,
        load: async (t, id) => {
          const { rows } = await t.query(`select ${OUTLINE_COLUMNS} from public.outlines o where o.id = $1`, [id]);
          return rows[0] ? toOutline(rows[0]) : null;
        },
      }),
    );
  } catch (error) {
    throw structureError(error);
  }
}

/** The order key for a section placed after `afterId` (null: first; undefined: last) among `parentId`'s children. */
async function placeIn(tx: Tx, outlineId: string, parentId: string | null, afterId: string | null | undefined, moving?: string): Promise<string> {
  const { rows } = await tx.query<{ id: string; parent_id: string | null; rank: string }>(
    `select id, parent_id, rank from public.outline_sections where outline_id = $1 and parent_id is not distinct from $2 and id is distinct from $3`,
    [outlineId, parentId, moving ?? null],
  );
  const siblings = childrenOf(rows.map((r) => ({ id: r.id, parentId: r.parent_id, rank: r.rank })), parentId);
  if (afterId === undefined) return keyBetween(siblings.at(-1)?.rank ?? null, null);
  if (afterId === null) return keyBetween(null, siblings[0]?.rank ?? null);
  const at = siblings.findIndex((s) => s.id === afterId);
  if (at < 0) throw new UserError('The section to place it after has moved or gone. Reload and try again.', 'conflict');
  return keyBetween(siblings[at]!.rank, siblings[at + 1]?.rank ?? null);
}

export async function createSection(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<SectionDto> {
  const { outlineId, parentId, afterId, kind, title, summary } = parse(createSectionInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const outline = await tx.query('select 1 from public.outlines where id = $1 and project_id = $2', [outlineId, projectId]);
      if (!outline.rowCount) throw new UserError('This outline no longer exists.', 'not_found');
      await lockBoard(tx, `outline:${outlineId}`);
      const rank = await placeIn(tx, outlineId, parentId, afterId);
      const { rows } = await tx.query(
        `insert into public.outline_sections (outline_id, project_id, parent_id, kind, title, summary, rank)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [outlineId, projectId, parentId, kind, title, summary, rank],
      );
      return (await loadSection(tx, rows[0].id))!;
    });
  } catch (error) {
    throw structureError(error);
  }
}

const SECTION_COLUMNS: Record<string, string> = {
  title: 'title',
  summary: 'summary',
  kind: 'kind',
  status: 'status',
  targetWordCount: 'target_word_count',
  documentId: 'document_id',
};

export async function updateSection(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<SectionDto> {
  const { sectionId, version, patch } = parse(updateSectionInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[SECTION_COLUMNS[key]!] = value;
  try {
    return await withUser(pool, claims, async (tx) => {
      if (patch.documentId) {
        const doc = await tx.query('select 1 from public.documents where id = $1 and project_id = $2', [patch.documentId, projectId]);
        if (!doc.rowCount) throw new UserError('A section can only link a document of this project.', 'invalid', { documentId: 'Choose a document of this project.' });
      }
      return updateVersioned(tx, { table: 'outline_sections', id: sectionId, projectId, version, set, load: loadSection, what: 'section', forbidden: EDIT_REFUSAL });
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** Re-parents and/or reorders one section: one row written, its new key between its new neighbours'. */
export async function moveSection(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<SectionDto> {
  const { sectionId, version, parentId, afterId } = parse(moveSectionInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const section = await loadSection(tx, sectionId);
      if (!section) throw new UserError('This section no longer exists. Someone may have deleted it.', 'not_found');
      await lockBoard(tx, `outline:${section.outlineId}`);
      const { rows } = await tx.query<{ id: string; parent_id: string | null; rank: string }>(
        'select id, parent_id, rank from public.outline_sections where outline_id = $1',
        [section.outlineId],
      );
      const tree = rows.map((r) => ({ id: r.id, parentId: r.parent_id, rank: r.rank }));
      if (parentId && !tree.some((r) => r.id === parentId)) throw new UserError('The section to move it into is not in this outline.', 'invalid');
      const refusal = moveRefusal(tree, sectionId, parentId);
      if (refusal) throw new UserError(refusal, 'invalid');
      const rank = await placeIn(tx, section.outlineId, parentId, afterId, sectionId);
      return updateVersioned(tx, {
        table: 'outline_sections',
        id: sectionId,
        projectId,
        version,
        set: { parent_id: parentId, rank },
        load: loadSection,
        what: 'section',
        forbidden: EDIT_REFUSAL,
      });
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** Deletes a section and everything nested in it (the foreign key cascades). */
export async function deleteSection(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { sectionId } = parse(sectionRef, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.outline_sections where id = $1 and project_id = $2', [sectionId, projectId]);
      if (!rowCount) {
        const visible = await loadSection(tx, sectionId);
        if (visible) throw new UserError(EDIT_REFUSAL, 'forbidden');
      }
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** Creates a chapter (or scene) document named after the section and links it, in one transaction. */
export async function createDocumentForSection(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<SectionDto> {
  const { sectionId, version } = parse(sectionRef.extend({ version: updateSectionInput.shape.version }), input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const section = await loadSection(tx, sectionId);
      if (!section) throw new UserError('This section no longer exists.', 'not_found');
      const kind = section.kind === 'scene' || section.kind === 'beat' ? 'scene' : 'chapter';
      const { rows } = await tx.query<{ id: string }>(
        `insert into public.documents (project_id, user_id, parent_id, kind, title, position, content)
         select $1, (select auth.uid()), null, $2, $3,
                coalesce((select max(position) + 1 from public.documents where project_id = $1 and parent_id is null), 0),
                '{"type":"doc","content":[{"type":"paragraph"}]}'::jsonb
         returning id`,
        [projectId, kind, section.title],
      );
      return updateVersioned(tx, {
        table: 'outline_sections',
        id: sectionId,
        projectId,
        version,
        set: { document_id: rows[0]!.id },
        load: loadSection,
        what: 'section',
        forbidden: EDIT_REFUSAL,
      });
    });
  } catch (error) {
    throw structureError(error);
  }
}

export async function exportOutlineMarkdown(pool: Pool, claims: Claims, projectId: string, outlineId: string): Promise<{ title: string; markdown: string } | null> {
  const board = await getOutlineBoard(pool, claims, projectId, outlineId);
  if (!board) return null;
  return { title: board.outline.title, markdown: outlineToMarkdown(board.outline, board.sections) };
}
