import { randomUUID } from 'node:crypto';
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
import { checkImage, pictureVariants, ImageRefused } from '../storage/images';
import { IMAGE_TYPES } from '../storage/sniff';
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

/** The thumbnail's object name for a display picture (same folder). */
export function thumbOf(imagePath: string): string {
  return imagePath.replace(/[^/]+$/, 'thumb.webp');
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
    });
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
    return await withUser(pool, claims, (tx) =>
      updateVersioned(tx, { table: 'characters', id: characterId, projectId, version, set, load: loadCharacter, what: 'character', forbidden: BIBLE_EDIT_REFUSAL }),
    );
  } catch (error) {
    throw bibleError(error);
  }
}

/** Deletes the character; arcs, relationships and event links cascade, and its picture folder is queued for removal. */
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
  } catch (error) {
    throw bibleError(error);
  }
}

export const PORTRAIT_LIMIT = 5 * 1024 * 1024;

/**
 * Checks an uploaded portrait (size, type by its bytes, a whole picture), re-encodes it into a display size and a
 * thumbnail, stores both in the uploader's folder through the storage API as the uploader, and points the character at
 * them with the version check. The previous picture's folder is queued for removal by the database.
 */
export async function setPortrait(
  pool: Pool,
  claims: Claims,
  storage: StorageApi,
  projectId: string,
  input: { characterId: unknown; version: unknown; bytes: Uint8Array },
): Promise<CharacterDto> {
  const { characterId, version } = parse(updateCharacterInput.pick({ characterId: true, version: true }), { characterId: input.characterId, version: input.version });
  if (input.bytes.byteLength > PORTRAIT_LIMIT) throw new UserError('That picture is larger than 5 MB. Choose a smaller one.', 'invalid');
  let variants;
  try {
    await checkImage(input.bytes, IMAGE_TYPES);
    variants = await pictureVariants(input.bytes);
  } catch (error) {
    if (error instanceof ImageRefused) throw new UserError(error.message, 'invalid');
    throw error;
  }
  const current = await getCharacter(pool, claims, characterId);
  if (!current) throw new UserError('This character no longer exists. Someone may have deleted it.', 'not_found');
  const folder = `${claims.sub}/${characterId}/${randomUUID()}`;
  const bucket = storage.from('character-images');
  for (const [file, bytes] of [['display.webp', variants.display], ['thumb.webp', variants.thumb]] as const) {
    const { error } = await bucket.upload(`${folder}/${file}`, bytes, { contentType: 'image/webp', upsert: true });
    if (error) {
      await bucket.remove([`${folder}/display.webp`, `${folder}/thumb.webp`]);
      throw new UserError('The picture could not be stored. Try again in a moment.', 'unavailable');
    }
  }
  try {
    return await withUser(pool, claims, (tx) =>
      updateVersioned(tx, {
        table: 'characters', id: characterId, projectId, version: version, set: { image_path: `${folder}/display.webp` },
        load: loadCharacter, what: 'character', forbidden: BIBLE_EDIT_REFUSAL,
      }),
    );
  } catch (error) {
    await bucket.remove([`${folder}/display.webp`, `${folder}/thumb.webp`]);
    throw bibleError(error);
  }
}
