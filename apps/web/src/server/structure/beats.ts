import { randomUUID } from 'node:crypto';
import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import {
  applyTemplateInput,
  beatRef,
  byRank,
  createBeatInput,
  keyBetween,
  keysBetween,
  moveBeatInput,
  saveTemplateInput,
  updateBeatInput,
  type BeatPlacement,
  type BeatStatus,
} from '@quire/domain/structure';
import { UserError, parse } from '../../lib/errors';
import { placeLinkedBeat, readManuscript, type ManuscriptFacts } from './manuscript';
import { EDIT_REFUSAL, lockBoard, structureError, updateVersioned } from './versioned';

export interface BeatDto {
  id: string;
  act: number;
  rank: string;
  name: string;
  description: string;
  status: BeatStatus;
  idealPercent: number | null;
  documentId: string | null;
  outlineSectionId: string | null;
  templateId: string | null;
  version: number;
  /** where the linked text starts in the manuscript, against idealPercent */
  placement: BeatPlacement & { textDocumentId: string | null };
}

export interface BeatTemplateDto {
  id: string;
  slug: string;
  name: string;
  description: string;
  beats: Array<{ name: string; description: string; percent: number; act: number }>;
  /** a private template of the signed-in writer's own (saved from one of their boards), not a public structure */
  mine: boolean;
}

export interface BeatBoard {
  beats: BeatDto[];
  acts: number;
  templates: BeatTemplateDto[];
  totalWords: number;
  documents: Array<{ id: string; title: string }>;
  sections: Array<{ id: string; title: string }>;
  canEdit: boolean;
  /** the project's owner may keep this board as a private template for their other projects */
  canSaveTemplate: boolean;
}

const BEAT_SELECT = `select id, project_id, act, rank, name, description, status, percent, document_id, outline_section_id, template_id, version
  from public.story_beats`;

function toBeat(r: Record<string, any>, facts: ManuscriptFacts): BeatDto {
  const idealPercent = r.percent === null ? null : Number(r.percent);
  const beat = { documentId: r.document_id, outlineSectionId: r.outline_section_id, idealPercent };
  return {
    id: r.id,
    act: r.act ?? 1,
    rank: r.rank,
    name: r.name,
    description: r.description,
    status: r.status,
    idealPercent,
    documentId: r.document_id,
    outlineSectionId: r.outline_section_id,
    templateId: r.template_id,
    version: r.version,
    placement: placeLinkedBeat(facts, beat),
  };
}

async function loadBeat(tx: Tx, beatId: string): Promise<BeatDto | null> {
  const { rows } = await tx.query(`${BEAT_SELECT} where id = $1`, [beatId]);
  if (!rows[0]) return null;
  return toBeat(rows[0], await readManuscript(tx, rows[0].project_id));
}

export async function getBeatBoard(pool: Pool, claims: Claims, projectId: string): Promise<BeatBoard | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  return withUser(pool, claims, async (tx) => {
    const member = await tx.query('select role from public.project_members where project_id = $1 and user_id = (select auth.uid())', [project.data]);
    if (!member.rowCount) return null;
    const facts = await readManuscript(tx, project.data);
    const { rows } = await tx.query(`${BEAT_SELECT} where project_id = $1`, [project.data]);
    const beats = rows.map((r) => toBeat(r, facts)).sort((a, b) => a.act - b.act || byRank(a, b));
    // RLS shows the public structures and this writer's own private templates
    const templates = await tx.query(
      `select id, slug, name, description, beats, owner_id is not distinct from (select auth.uid()) as mine
         from public.beat_templates order by is_public, name`,
    );
    return {
      beats,
      acts: Math.max(3, ...beats.map((b) => b.act)),
      templates: templates.rows.map((t) => ({
        id: t.id,
        slug: t.slug,
        name: t.name,
        description: t.description,
        beats: (t.beats as Array<Record<string, any>>).map((b) => ({ name: b.name, description: b.description, percent: Number(b.percent), act: Number(b.act ?? 1) })),
        mine: t.mine,
      })),
      totalWords: facts.map.totalWords,
      documents: facts.documents.filter((d) => d.kind !== 'folder').map((d) => ({ id: d.id, title: d.title })),
      sections: facts.sections.map((s) => ({ id: s.id, title: s.title })),
      canEdit: member.rows[0].role === 'owner' || member.rows[0].role === 'editor',
      canSaveTemplate: member.rows[0].role === 'owner',
    };
  });
}

/** Spreads beats with no ideal place of their own evenly over the book, so every template beat has one. */
function templatePercent(beat: BeatDto, index: number, count: number): number {
  if (beat.idealPercent !== null) return beat.idealPercent;
  if (beat.placement.percent !== null) return beat.placement.percent;
  return Math.round((index / Math.max(1, count - 1)) * 1000) / 10;
}

/**
 * Keeps the project's board as a private template of the owner's: its beats in board order (act by act), each with
 * its ideal place, or where it lands now, or an even share. Only the owner may, and only they see the template (RLS).
 */
export async function saveBoardAsTemplate(pool: Pool, claims: Claims, input: unknown): Promise<BeatTemplateDto> {
  const { projectId, name, description } = parse(saveTemplateInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const member = await tx.query('select role from public.project_members where project_id = $1 and user_id = (select auth.uid())', [projectId]);
      if (member.rows[0]?.role !== 'owner') throw new UserError('Only the project\u2019s owner can keep its board as a template.', 'forbidden');
      const facts = await readManuscript(tx, projectId);
      const { rows } = await tx.query(`${BEAT_SELECT} where project_id = $1`, [projectId]);
      const beats = rows.map((r) => toBeat(r, facts)).sort((a, b) => a.act - b.act || byRank(a, b));
      if (!beats.length) throw new UserError('The board has no beats to keep yet.', 'invalid');
      const entries = beats.map((b, i) => ({
        name: b.name,
        description: b.description,
        position: i + 1,
        percent: Math.min(100, Math.max(0, templatePercent(b, i, beats.length))),
        act: b.act,
      }));
      const slug = `own-${randomUUID().replaceAll('-', '').slice(0, 16)}`;
      const { rows: saved } = await tx.query(
        `insert into public.beat_templates (slug, name, description, beats, is_public, owner_id)
         values ($1, $2, $3, $4::jsonb, false, (select auth.uid())) returning id, slug, name, description`,
        [slug, name, description, JSON.stringify(entries)],
      );
      const t = saved[0];
      return { id: t.id, slug: t.slug, name: t.name, description: t.description, beats: entries.map(({ name, description, percent, act }) => ({ name, description, percent, act })), mine: true };
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** Deletes one of the writer's own private templates (RLS refuses anyone else's and the public ones). */
export async function deleteOwnTemplate(pool: Pool, claims: Claims, templateId: string): Promise<void> {
  const template = idSchema.parse(templateId);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.beat_templates where id = $1 and not is_public', [template]);
      if (!rowCount) throw new UserError('Only your own saved templates can be deleted.', 'forbidden');
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** Adds the template's beats to the board, in template order, each in its act's column after what is already there. */
export async function applyTemplate(pool: Pool, claims: Claims, input: unknown): Promise<{ added: number }> {
  const { projectId, templateId } = parse(applyTemplateInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query('select id, beats from public.beat_templates where id = $1', [templateId]);
      if (!rows[0]) throw new UserError('That template is no longer available.', 'not_found');
      await lockBoard(tx, `beats:${projectId}`);
      const beats = [...(rows[0].beats as Array<Record<string, any>>)].sort((a, b) => Number(a.position) - Number(b.position));
      const byAct = new Map<number, Array<Record<string, any>>>();
      for (const beat of beats) {
        const act = Math.min(5, Math.max(1, Number(beat.act ?? 1)));
        byAct.set(act, [...(byAct.get(act) ?? []), beat]);
      }
      for (const [act, list] of byAct) {
        const last = await tx.query('select max(rank) as rank from public.story_beats where project_id = $1 and act = $2', [projectId, act]);
        const keys = keysBetween(last.rows[0]?.rank ?? null, null, list.length);
        for (const [i, beat] of list.entries()) {
          await tx.query(
            `insert into public.story_beats (project_id, template_id, name, description, act, percent, rank)
             values ($1, $2, $3, $4, $5, $6, $7)`,
            [projectId, templateId, beat.name, beat.description ?? '', act, beat.percent, keys[i]],
          );
        }
      }
      return { added: beats.length };
    });
  } catch (error) {
    throw structureError(error);
  }
}

async function rankIn(tx: Tx, projectId: string, act: number, afterId: string | null | undefined, moving?: string): Promise<string> {
  const { rows } = await tx.query<{ id: string; rank: string }>(
    'select id, rank from public.story_beats where project_id = $1 and act = $2 and id is distinct from $3',
    [projectId, act, moving ?? null],
  );
  const column = rows.sort(byRank);
  if (afterId === undefined) return keyBetween(column.at(-1)?.rank ?? null, null);
  if (afterId === null) return keyBetween(null, column[0]?.rank ?? null);
  const at = column.findIndex((b) => b.id === afterId);
  if (at < 0) throw new UserError('The beat to place it after has moved or gone. Reload and try again.', 'conflict');
  return keyBetween(column[at]!.rank, column[at + 1]?.rank ?? null);
}

export async function createBeat(pool: Pool, claims: Claims, input: unknown): Promise<BeatDto> {
  const { projectId, act, afterId, name, description } = parse(createBeatInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      await lockBoard(tx, `beats:${projectId}`);
      const rank = await rankIn(tx, projectId, act, afterId);
      const { rows } = await tx.query(
        `insert into public.story_beats (project_id, name, description, act, rank) values ($1, $2, $3, $4, $5) returning id`,
        [projectId, name, description, act, rank],
      );
      return (await loadBeat(tx, rows[0].id))!;
    });
  } catch (error) {
    throw structureError(error);
  }
}

const BEAT_COLUMNS: Record<string, string> = {
  name: 'name',
  description: 'description',
  status: 'status',
  outlineSectionId: 'outline_section_id',
  documentId: 'document_id',
  idealPercent: 'percent',
};

export async function updateBeat(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<BeatDto> {
  const { beatId, version, patch } = parse(updateBeatInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[BEAT_COLUMNS[key]!] = value;
  try {
    return await withUser(pool, claims, async (tx) => {
      if (patch.documentId) {
        const doc = await tx.query('select 1 from public.documents where id = $1 and project_id = $2', [patch.documentId, projectId]);
        if (!doc.rowCount) throw new UserError('A beat can only link a document of this project.', 'invalid');
      }
      if (patch.outlineSectionId) {
        const section = await tx.query('select 1 from public.outline_sections where id = $1 and project_id = $2', [patch.outlineSectionId, projectId]);
        if (!section.rowCount) throw new UserError('A beat can only link a section of this project\u2019s outlines.', 'invalid');
      }
      return updateVersioned(tx, { table: 'story_beats', id: beatId, projectId, version, set, load: loadBeat, what: 'beat', forbidden: EDIT_REFUSAL });
    });
  } catch (error) {
    throw structureError(error);
  }
}

/** Moves a beat within its column or to another act: one row written. */
export async function moveBeat(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<BeatDto> {
  const { beatId, version, act, afterId } = parse(moveBeatInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      await lockBoard(tx, `beats:${projectId}`);
      const rank = await rankIn(tx, projectId, act, afterId, beatId);
      return updateVersioned(tx, { table: 'story_beats', id: beatId, projectId, version, set: { act, rank }, load: loadBeat, what: 'beat', forbidden: EDIT_REFUSAL });
    });
  } catch (error) {
    throw structureError(error);
  }
}

export async function deleteBeat(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { beatId } = parse(beatRef, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.story_beats where id = $1 and project_id = $2', [beatId, projectId]);
      if (!rowCount && (await loadBeat(tx, beatId))) throw new UserError(EDIT_REFUSAL, 'forbidden');
    });
  } catch (error) {
    throw structureError(error);
  }
}
