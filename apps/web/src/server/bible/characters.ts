import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import {
  CHARACTER_COLUMNS,
  characterFilter,
  createCharacterInput,
  deleteCharacterInput,
  updateCharacterInput,
  type CharacterRole,
} from '@quire/domain/bible/characters';
import { UserError, parse } from '../../lib/errors';
import { updateVersioned } from '../structure/versioned';
import { BIBLE_EDIT_REFUSAL, bibleError, canWrite, roleIn } from './relationships';
import { rescanLater } from './mentions';
import { cleanUpPicturesSoon } from '../storage/garbage';
import { storePicture, thumbOf } from '../storage/pictures';
import type { StorageApi } from '../storage/client';

export interface CharacterDto {
  id: string;
  name: string;
  aliases: string[];
  role: CharacterRole;
  summary: string;
  personality: string;
  traits: string[];
  tags: string[];
  goal: string;
  backstory: string;
  notes: string;
  /** the display-size picture's object name in character-images; the thumbnail sits beside it */
  imagePath: string | null;
  version: number;
}

export interface CastBoard {
  characters: CharacterDto[];
  tags: string[];
  canEdit: boolean;
}

const SELECT = `select id, name, aliases, role, summary, personality, traits, tags, goal, backstory, notes, image_path, version
  from public.characters`;

interface CharacterRow {
  id: string; name: string; aliases: string[]; role: CharacterRole; summary: string; personality: string; traits: string[];
  tags: string[]; goal: string; backstory: string; notes: string; image_path: string | null; version: number;
}

function toCharacter(r: CharacterRow): CharacterDto {
  return {
    id: r.id, name: r.name, aliases: r.aliases, role: r.role, summary: r.summary, personality: r.personality,
    traits: r.traits, tags: r.tags, goal: r.goal, backstory: r.backstory, notes: r.notes, imagePath: r.image_path, version: r.version,
  };
}

async function loadCharacter(tx: Tx, characterId: string): Promise<CharacterDto | null> {
  const { rows } = await tx.query<CharacterRow>(`${SELECT} where id = $1`, [characterId]);
  return rows[0] ? toCharacter(rows[0]) : null;
}

/** The cast, filtered by a search over names and aliases, a role and a tag; null when the caller is not a member. */
export async function getCast(pool: Pool, claims: Claims, projectId: string, filter: unknown = {}): Promise<CastBoard | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  const { q, role, tag } = parse(characterFilter, filter);
  return withUser(pool, claims, async (tx) => {
    const member = await roleIn(tx, project.data);
    if (!member) return null;
    const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const { rows } = await tx.query<CharacterRow>(
      `${SELECT} where project_id = $1
         and ($2::text is null or name ilike $2 or exists (select 1 from unnest(aliases) a where a ilike $2))
         and ($3::text is null or role = $3) and ($4::text is null or $4 = any (tags))
       order by position, lower(name), id`,
      [project.data, like, role ?? null, tag ?? null],
    );
    const tags = await tx.query<{ tag: string }>(
      'select distinct unnest(tags) as tag from public.characters where project_id = $1 order by 1',
      [project.data],
    );
    return { characters: rows.map(toCharacter), tags: tags.rows.map((t) => t.tag), canEdit: canWrite(member) };
  });
}

export async function getCharacter(pool: Pool, claims: Claims, characterId: string): Promise<CharacterDto | null> {
  const parsed = idSchema.safeParse(characterId);
  if (!parsed.success) return null;
  return withUser(pool, claims, (tx) => loadCharacter(tx, parsed.data));
}

export async function createCharacter(pool: Pool, claims: Claims, input: unknown): Promise<CharacterDto> {
  const { projectId, name, role, summary } = parse(createCharacterInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query(
        `insert into public.characters (project_id, name, role, summary, position)
         values ($1, $2, $3, $4, coalesce((select max(position) + 1 from public.characters where project_id = $1), 0)) returning id`,
        [projectId, name, role, summary],
      );
      return (await loadCharacter(tx, rows[0].id))!;
    }).then((character) => (rescanLater(pool, projectId), character));
  } catch (error) {
    throw bibleError(error);
  }
}

/** Applies a patch based on `version`; a stale version is a StaleWrite carrying the character as it is now. */
export async function updateCharacter(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<CharacterDto> {
  const { characterId, version, patch } = parse(updateCharacterInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[CHARACTER_COLUMNS[key as keyof typeof CHARACTER_COLUMNS]] = value;
  try {
    const updated = await withUser(pool, claims, (tx) =>
      updateVersioned(tx, { table: 'characters', id: characterId, projectId, version, set, load: loadCharacter, what: 'character', forbidden: BIBLE_EDIT_REFUSAL }),
    );
    if (patch.name !== undefined || patch.aliases !== undefined) rescanLater(pool, projectId);
    return updated;
  } catch (error) {
    throw bibleError(error);
  }
}

/** Deletes the character; arcs, relationships and event links cascade, and its picture folder is removed soon after. */
export async function deleteCharacter(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { characterId } = parse(deleteCharacterInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.characters where id = $1 and project_id = $2', [characterId, projectId]);
      if (rowCount) return;
      const exists = await loadCharacter(tx, characterId);
      if (!exists) throw new UserError('This character no longer exists. Someone may have deleted it.', 'not_found');
      throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
    });
    rescanLater(pool, projectId);
    cleanUpPicturesSoon(pool);
  } catch (error) {
    throw bibleError(error);
  }
}

/**
 * A new portrait: who may write is checked first, then the picture is checked, re-encoded and stored in the uploader's
 * folder (storePicture, shared with the places' pictures), and the character points at it with the version check. If
 * that fails, both files are removed again; the previous picture's folder is queued for removal by the database.
 */
export async function setPortrait(
  pool: Pool,
  claims: Claims,
  storage: StorageApi,
  projectId: string,
  input: { characterId: unknown; version: unknown; bytes: Uint8Array },
): Promise<CharacterDto> {
  const { characterId, version } = parse(updateCharacterInput.pick({ characterId: true, version: true }), { characterId: input.characterId, version: input.version });
  const allowed = await withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query('select 1 from public.characters where id = $1 and project_id = $2', [characterId, projectId]);
    return rows[0] ? canWrite(await roleIn(tx, projectId)) : null;
  });
  if (allowed === null) throw new UserError('This character no longer exists. Someone may have deleted it.', 'not_found');
  if (!allowed) throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
  const stored = await storePicture(storage, claims.sub, characterId, input.bytes);
  try {
    const character = await withUser(pool, claims, (tx) =>
      updateVersioned(tx, {
        table: 'characters', id: characterId, projectId, version, set: { image_path: stored.imagePath },
        load: loadCharacter, what: 'character', forbidden: BIBLE_EDIT_REFUSAL,
      }),
    );
    cleanUpPicturesSoon(pool);
    return character;
  } catch (error) {
    await stored.discard();
    throw bibleError(error);
  }
}

/** Takes the portrait off the character (version-checked); the database queues the picture's folder for removal. */
export async function removePortrait(pool: Pool, claims: Claims, projectId: string, input: { characterId: unknown; version: unknown }): Promise<CharacterDto> {
  const { characterId, version } = parse(updateCharacterInput.pick({ characterId: true, version: true }), input);
  try {
    const character = await withUser(pool, claims, (tx) =>
      updateVersioned(tx, {
        table: 'characters', id: characterId, projectId, version, set: { image_path: null },
        load: loadCharacter, what: 'character', forbidden: BIBLE_EDIT_REFUSAL,
      }),
    );
    cleanUpPicturesSoon(pool);
    return character;
  } catch (error) {
    throw bibleError(error);
  }
}

export type PortraitSize = 'display' | 'thumb';

/**
 * The bytes of a character's portrait, read as the caller twice over: the characters policy decides whether they see
 * the character, and the storage policy whether they may read the object. Null when there is none to show.
 */
export async function readPortrait(pool: Pool, claims: Claims, storage: StorageApi, characterId: string, size: PortraitSize): Promise<Blob | null> {
  const character = await getCharacter(pool, claims, characterId);
  if (!character?.imagePath) return null;
  const path = size === 'thumb' ? thumbOf(character.imagePath) : character.imagePath;
  const { data, error } = await storage.from('character-images').download(path);
  return error || !data ? null : data;
}
