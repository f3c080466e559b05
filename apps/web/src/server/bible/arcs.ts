import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { beatDocument, readManuscript, type ManuscriptFacts } from '@quire/db/structure';
import {
  createArcInput,
  deleteArcInput,
  placeStages,
  stageTargets,
  updateArcInput,
  wordsBefore,
  type ArcStage,
  type ArcType,
  type StagePlacement,
} from '@quire/domain/bible/arcs';
import { flatten, sectionDocument } from '@quire/domain/structure';
import { UserError, parse } from '../../lib/errors';
import { updateVersioned } from '../structure/versioned';
import { BIBLE_EDIT_REFUSAL, bibleError } from './relationships';

/**
 * Character arcs (public.character_arcs): the stages live in the row's `stages` array, so an arc is saved, versioned
 * and broadcast as one thing. Links to sections, beats and documents are checked against the project when written;
 * the database drops a link when what it points at is deleted (20261203210000_character_arc_links.sql).
 */

export interface ArcDto {
  id: string;
  characterId: string;
  title: string;
  arcType: ArcType;
  stages: ArcStage[];
  version: number;
}

export interface PlacedArc extends ArcDto {
  placements: StagePlacement[];
}

/** What a stage can point at, in manuscript order, for the pickers and the arc view. */
export interface ArcTargets {
  /** documents in reading order with where each starts (percent of the manuscript) */
  documents: Array<{ id: string; title: string; kind: string; percent: number; words: number }>;
  /** outline sections in outline order; depth 1 at the top */
  sections: Array<{ id: string; title: string; depth: number }>;
  beats: Array<{ id: string; name: string }>;
  totalWords: number;
}

const SELECT = 'select id, character_id, title, arc_type, stages, version from public.character_arcs';

interface ArcRow { id: string; character_id: string; title: string; arc_type: ArcType; stages: ArcStage[]; version: number }

const toArc = (r: ArcRow): ArcDto => ({ id: r.id, characterId: r.character_id, title: r.title, arcType: r.arc_type, stages: r.stages, version: r.version });

async function loadArc(tx: Tx, arcId: string): Promise<ArcDto | null> {
  const { rows } = await tx.query<ArcRow>(`${SELECT} where id = $1`, [arcId]);
  return rows[0] ? toArc(rows[0]) : null;
}

/** The start and end text, kept in the seed's starting_state / ending_state columns for readers of those. */
function endStates(stages: readonly ArcStage[]): { starting_state: string; ending_state: string } {
  const text = (s: ArcStage | undefined) => (s ? [s.title, s.description].filter(Boolean).join('\n\n') : '');
  return { starting_state: text(stages.find((s) => s.kind === 'start')), ending_state: text(stages.find((s) => s.kind === 'end')) };
}

/** Every link must point into this project; read as the caller, so RLS hides what they may not see either. */
async function checkTargets(tx: Tx, projectId: string, stages: readonly ArcStage[]): Promise<void> {
  const { sections, beats, documents } = stageTargets(stages);
  const count = async (table: string, ids: string[]) =>
    ids.length ? (await tx.query(`select count(*)::int as n from public.${table} where project_id = $1 and id = any($2::uuid[])`, [projectId, ids])).rows[0].n : 0;
  if ((await count('outline_sections', sections)) !== sections.length) throw new UserError('A stage links an outline section that is not in this project.', 'invalid');
  if ((await count('story_beats', beats)) !== beats.length) throw new UserError('A stage links a beat that is not in this project.', 'invalid');
  if ((await count('documents', documents)) !== documents.length) throw new UserError('A stage links a document that is not in this project.', 'invalid');
}

export async function createArc(pool: Pool, claims: Claims, input: unknown): Promise<ArcDto> {
  const v = parse(createArcInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      await checkTargets(tx, v.projectId, v.stages);
      const { starting_state, ending_state } = endStates(v.stages);
      const { rows } = await tx.query(
        `insert into public.character_arcs (project_id, character_id, title, arc_type, stages, starting_state, ending_state, position)
         values ($1, $2, $3, $4, $5::jsonb, $6, $7, coalesce((select max(position) + 1 from public.character_arcs where character_id = $2), 0))
         returning id`,
        [v.projectId, v.characterId, v.title, v.arcType, JSON.stringify(v.stages), starting_state, ending_state],
      );
      return (await loadArc(tx, rows[0].id))!;
    });
  } catch (error) {
    throw bibleError(error);
  }
}

/** Saves title, kind or the whole list of stages on top of `version`; a stale version is a conflict with the arc as it is now. */
export async function updateArc(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<ArcDto> {
  const { arcId, version, patch } = parse(updateArcInput, input);
  const set: Record<string, unknown> = {};
  if (patch.title !== undefined) set.title = patch.title;
  if (patch.arcType !== undefined) set.arc_type = patch.arcType;
  if (patch.stages !== undefined) Object.assign(set, { stages: JSON.stringify(patch.stages) }, endStates(patch.stages));
  try {
    return await withUser(pool, claims, async (tx) => {
      if (patch.stages) await checkTargets(tx, projectId, patch.stages);
      return updateVersioned(tx, { table: 'character_arcs', id: arcId, projectId, version, set, load: loadArc, what: 'arc', forbidden: BIBLE_EDIT_REFUSAL });
    });
  } catch (error) {
    throw bibleError(error);
  }
}

export async function deleteArc(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { arcId } = parse(deleteArcInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.character_arcs where id = $1 and project_id = $2', [arcId, projectId]);
      if (rowCount) return;
      if (!(await loadArc(tx, arcId))) throw new UserError('This arc no longer exists. Someone may have deleted it.', 'not_found');
      throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
    });
  } catch (error) {
    throw bibleError(error);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading arcs against the manuscript

const percentOf = (words: number, total: number) => Math.round((words / total) * 1000) / 10;

/** Where one stage stands: the start of its section's or beat's text, or the phrase within its document. */
function locator(facts: ManuscriptFacts, beats: Map<string, { documentId: string | null; outlineSectionId: string | null }>, texts: Map<string, string>) {
  const { map } = facts;
  return (stage: ArcStage) => {
    const unplaced = (why: string) => ({ percent: null, documentId: null, unplaced: why });
    if (!stage.link) return unplaced('Not linked to the story yet.');
    let documentId: string | null = null;
    if (stage.link.type === 'document') documentId = stage.link.id;
    else if (stage.link.type === 'section') {
      const section = facts.sections.find((s) => s.id === stage.link!.id);
      documentId = section ? sectionDocument(facts.sections.filter((s) => s.outlineId === section.outlineId), section.id) : null;
      if (!documentId) return unplaced('Its outline section has no text linked yet.');
    } else {
      const beat = beats.get(stage.link.id);
      documentId = beat ? beatDocument(facts, beat) : null;
      if (!documentId) return unplaced('Its beat has no text linked yet.');
    }
    const start = map.startOf.get(documentId);
    if (start === undefined) return unplaced('It links a notes page, which is not part of the manuscript.');
    if (map.totalWords === 0) return unplaced('The manuscript has no words yet.');
    let inside = 0;
    if (stage.link.type === 'document' && stage.link.quote) {
      const found = wordsBefore(texts.get(documentId) ?? '', stage.link.quote);
      if (found === null) return { percent: percentOf(start, map.totalWords), documentId, unplaced: `“${stage.link.quote}” is no longer in the text; placed at the start of its document.` };
      inside = found;
    }
    return { percent: percentOf(start + inside, map.totalWords), documentId, unplaced: null };
  };
}

/** A character's arcs, each stage placed in the manuscript, and what stages can link to. */
export async function readArcs(tx: Tx, projectId: string, characterId: string): Promise<{ arcs: PlacedArc[]; targets: ArcTargets }> {
  const [arcRows, facts, beatRows] = await Promise.all([
    tx.query<ArcRow>(`${SELECT} where character_id = $1 and project_id = $2 order by position, created_at, id`, [characterId, projectId]),
    readManuscript(tx, projectId),
    tx.query('select id, name, document_id, outline_section_id from public.story_beats where project_id = $1 order by act nulls last, rank, id', [projectId]),
  ]);
  const arcs = arcRows.rows.map(toArc);
  const quoted = [...new Set(arcs.flatMap((a) => a.stages.flatMap((s) => (s.link?.type === 'document' && s.link.quote ? [s.link.id] : []))))];
  const texts = new Map<string, string>();
  if (quoted.length) {
    const { rows } = await tx.query('select id, plain_text from public.documents where id = any($1::uuid[])', [quoted]);
    for (const r of rows) texts.set(r.id, r.plain_text);
  }
  const beats = new Map(beatRows.rows.map((b) => [b.id as string, { documentId: b.document_id as string | null, outlineSectionId: b.outline_section_id as string | null }]));
  const locate = locator(facts, beats, texts);
  const total = facts.map.totalWords;
  const reading = [...facts.map.startOf.entries()].sort((a, b) => a[1] - b[1]);
  const byId = new Map(facts.documents.map((d) => [d.id, d]));
  return {
    arcs: arcs.map((arc) => ({ ...arc, placements: placeStages(arc.stages, locate) })),
    targets: {
      documents: reading
        .map(([id, start]) => ({ id, title: byId.get(id)!.title, kind: byId.get(id)!.kind, percent: total ? percentOf(start, total) : 0, words: byId.get(id)!.wordCount }))
        .filter((d) => d.kind !== 'folder'),
      sections: flatten(facts.sections).map((s) => ({ id: s.id, title: s.title, depth: s.depth })),
      beats: beatRows.rows.map((b) => ({ id: b.id, name: b.name })),
      totalWords: total,
    },
  };
}
