import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import {
  createRelationshipInput,
  deleteRelationshipInput,
  updateRelationshipInput,
  type RelationshipKind,
} from '@quire/domain/bible/relationships';
import { UserError, parse, toUserError } from '../../lib/errors';
import { updateVersioned } from '../structure/versioned';

/** The story bible's shared reads: who may write, and the cast (read here by SQL, as the caller, through RLS). */

export type ProjectRole = 'owner' | 'editor' | 'commenter' | 'viewer';

export async function roleIn(tx: Tx, projectId: string): Promise<ProjectRole | null> {
  const { rows } = await tx.query('select role from public.project_members where project_id = $1 and user_id = (select auth.uid())', [projectId]);
  return (rows[0]?.role as ProjectRole | undefined) ?? null;
}

export const canWrite = (role: ProjectRole | null) => role === 'owner' || role === 'editor';

export interface CastMember {
  id: string;
  name: string;
  aliases: string[];
  role: string;
  summary: string;
  imagePath: string | null;
}

export async function readCast(tx: Tx, projectId: string): Promise<CastMember[]> {
  const { rows } = await tx.query(
    'select id, name, aliases, role, summary, image_path from public.characters where project_id = $1 order by position, name, id',
    [projectId],
  );
  return rows.map((r) => ({ id: r.id, name: r.name, aliases: r.aliases ?? [], role: r.role, summary: r.summary, imagePath: r.image_path }));
}

export const BIBLE_EDIT_REFUSAL = 'Only the owner and editors can change the story bible. Ask the owner for editor access.';

const BIBLE_REFUSALS: Array<[RegExp, string]> = [
  [/^A location cannot be placed inside itself/, 'A location cannot be placed inside itself or one of the places within it.'],
  [/^Locations nest at most/, 'Locations nest at most 12 levels deep.'],
  [/character_relationships\.(character_id|related_character_id) must point/, 'A relationship can only join characters of this project.'],
  [/changes_at_document_id must point/, 'The “changes at” document must be in this project.'],
  [/changes_at_section_id must point/, 'The “changes at” section must be in this project\u2019s outline.'],
  [/location_events\.location_id must point|locations\.parent_id must point/, 'That location is not in this project.'],
  [/location_events\.document_id must point/, 'An event can only link a document of this project.'],
  [/location_event_characters\.character_id must point/, 'An event can only involve characters of this project.'],
];

export function bibleError(error: unknown, conflict?: string): UserError {
  const pg = error as { code?: string; message?: string };
  if (pg?.code === '23514' && pg.message) {
    for (const [pattern, message] of BIBLE_REFUSALS) if (pattern.test(pg.message)) return new UserError(message, 'invalid');
  }
  return toUserError(error, { forbidden: BIBLE_EDIT_REFUSAL, conflict });
}

// ---------------------------------------------------------------------------------------------------------------

export interface RelationshipDto {
  id: string;
  fromId: string;
  toId: string;
  kind: RelationshipKind;
  label: string;
  description: string;
  mutual: boolean;
  changesAtDocumentId: string | null;
  changesAtSectionId: string | null;
  changesNote: string;
  version: number;
}

export interface RelationshipGraph {
  characters: CastMember[];
  relationships: RelationshipDto[];
  documents: Array<{ id: string; title: string }>;
  sections: Array<{ id: string; title: string }>;
  canEdit: boolean;
}

const REL_SELECT = `select id, character_id, related_character_id, kind, label, description, is_mutual, changes_at_document_id,
  changes_at_section_id, changes_note, version from public.character_relationships`;

interface RelationshipRow {
  id: string;
  character_id: string;
  related_character_id: string;
  kind: RelationshipKind;
  label: string;
  description: string;
  is_mutual: boolean;
  changes_at_document_id: string | null;
  changes_at_section_id: string | null;
  changes_note: string;
  version: number;
}

function toRelationship(r: RelationshipRow): RelationshipDto {
  return {
    id: r.id,
    fromId: r.character_id,
    toId: r.related_character_id,
    kind: r.kind,
    label: r.label,
    description: r.description,
    mutual: r.is_mutual,
    changesAtDocumentId: r.changes_at_document_id,
    changesAtSectionId: r.changes_at_section_id,
    changesNote: r.changes_note,
    version: r.version,
  };
}

async function loadRelationship(tx: Tx, relationshipId: string): Promise<RelationshipDto | null> {
  const { rows } = await tx.query<RelationshipRow>(`${REL_SELECT} where id = $1`, [relationshipId]);
  return rows[0] ? toRelationship(rows[0]) : null;
}

export async function getRelationshipGraph(pool: Pool, claims: Claims, projectId: string): Promise<RelationshipGraph | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  return withUser(pool, claims, async (tx) => {
    const role = await roleIn(tx, project.data);
    if (!role) return null;
    const [characters, rels, docs, sections] = await Promise.all([
      readCast(tx, project.data),
      tx.query<RelationshipRow>(`${REL_SELECT} where project_id = $1 order by created_at, id`, [project.data]),
      tx.query(`select id, title from public.documents where project_id = $1 and kind <> 'folder' order by position, title`, [project.data]),
      tx.query('select id, title from public.outline_sections where project_id = $1 order by rank, title', [project.data]),
    ]);
    return {
      characters,
      relationships: rels.rows.map(toRelationship),
      documents: docs.rows.map((d) => ({ id: d.id, title: d.title })),
      sections: sections.rows.map((s) => ({ id: s.id, title: s.title })),
      canEdit: canWrite(role),
    };
  });
}

const DUPLICATE = 'These two characters already have a relationship of that type.';

export async function createRelationship(pool: Pool, claims: Claims, input: unknown): Promise<RelationshipDto> {
  const v = parse(createRelationshipInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query(
        `insert into public.character_relationships (project_id, character_id, related_character_id, kind, label, description,
           is_mutual, changes_at_document_id, changes_at_section_id, changes_note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [v.projectId, v.fromId, v.toId, v.kind, v.kind === 'other' ? v.label : '', v.description, v.mutual,
          v.changesAtDocumentId, v.changesAtSectionId, v.changesNote],
      );
      return (await loadRelationship(tx, rows[0].id))!;
    });
  } catch (error) {
    throw bibleError(error, DUPLICATE);
  }
}

const REL_COLUMNS: Record<string, string> = {
  kind: 'kind',
  label: 'label',
  description: 'description',
  mutual: 'is_mutual',
  changesAtDocumentId: 'changes_at_document_id',
  changesAtSectionId: 'changes_at_section_id',
  changesNote: 'changes_note',
};

export async function updateRelationship(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<RelationshipDto> {
  const { relationshipId, version, patch } = parse(updateRelationshipInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[REL_COLUMNS[key]!] = value;
  if (patch.kind && patch.kind !== 'other' && patch.label === undefined) set.label = '';
  try {
    return await withUser(pool, claims, (tx) =>
      updateVersioned(tx, {
        table: 'character_relationships', id: relationshipId, projectId, version, set, load: loadRelationship,
        what: 'relationship', forbidden: BIBLE_EDIT_REFUSAL,
      }),
    );
  } catch (error) {
    throw bibleError(error, DUPLICATE);
  }
}

export async function deleteRelationship(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { relationshipId } = parse(deleteRelationshipInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.character_relationships where id = $1 and project_id = $2', [relationshipId, projectId]);
      if (!rowCount && (await loadRelationship(tx, relationshipId))) throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
    });
  } catch (error) {
    throw bibleError(error);
  }
}
