import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import {
  createLocationInput,
  deleteLocationInput,
  locationTree,
  updateLocationInput,
  wouldCycle,
  type LocationKind,
} from '@quire/domain/bible/locations';
import { UserError, parse } from '../../lib/errors';
import { rescanLater } from './mentions';
import { updateVersioned } from '../structure/versioned';
import { BIBLE_EDIT_REFUSAL, bibleError, canWrite, roleIn } from './relationships';
import type { StorageApi } from '../storage/client';
import { cleanUpPicturesSoon } from '../storage/garbage';
import { signPictures, storePicture, type PictureLinks } from '../storage/pictures';

export interface LocationDto {
  id: string;
  parentId: string | null;
  name: string;
  kind: LocationKind;
  summary: string;
  description: string;
  /** the display picture's object name in character-images (the thumbnail sits beside it) */
  imagePath: string | null;
  /** signed links to the picture, when the board was read with the reader's storage */
  picture?: PictureLinks | null;
  version: number;
  /** events at this place, mentions of it in the manuscript (from the last scans) */
  events: number;
  mentions: number;
}

export interface WorldBoard {
  /** in tree order, each with its depth */
  locations: Array<LocationDto & { depth: number }>;
  canEdit: boolean;
}

const LOCATION_SELECT = `select l.id, l.parent_id, l.name, l.kind, l.summary, l.description, l.image_path, l.version,
  (select count(*) from public.location_events e where e.location_id = l.id)::int as events,
  (select coalesce(sum(m.mentions), 0) from public.document_mentions m where m.location_id = l.id)::int as mentions
  from public.locations l`;

interface LocationRow {
  id: string;
  parent_id: string | null;
  name: string;
  kind: LocationKind;
  summary: string;
  description: string;
  image_path: string | null;
  version: number;
  events: number;
  mentions: number;
}

function toLocation(r: LocationRow): LocationDto {
  return {
    id: r.id, parentId: r.parent_id, name: r.name, kind: r.kind, summary: r.summary, description: r.description,
    imagePath: r.image_path, version: r.version, events: r.events, mentions: r.mentions,
  };
}

async function loadLocation(tx: Tx, locationId: string): Promise<LocationDto | null> {
  const { rows } = await tx.query<LocationRow>(`${LOCATION_SELECT} where l.id = $1`, [locationId]);
  return rows[0] ? toLocation(rows[0]) : null;
}

export async function readLocations(tx: Tx, projectId: string): Promise<LocationDto[]> {
  const { rows } = await tx.query<LocationRow>(`${LOCATION_SELECT} where l.project_id = $1`, [projectId]);
  return rows.map(toLocation);
}

/** The places in tree order; with the reader's `storage`, each picture comes with signed links. */
export async function getWorld(pool: Pool, claims: Claims, projectId: string, storage?: StorageApi): Promise<WorldBoard | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  const world = await withUser(pool, claims, async (tx) => {
    const role = await roleIn(tx, project.data);
    if (!role) return null;
    return { locations: locationTree(await readLocations(tx, project.data)), canEdit: canWrite(role) };
  });
  if (!world || !storage) return world;
  const links = await signPictures(storage, world.locations.map((l) => l.imagePath));
  for (const l of world.locations) l.picture = l.imagePath ? (links[l.imagePath] ?? null) : null;
  return world;
}

export async function createLocation(pool: Pool, claims: Claims, input: unknown): Promise<LocationDto> {
  const v = parse(createLocationInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query(
        `insert into public.locations (project_id, name, kind, summary, description, parent_id)
         values ($1, $2, $3, $4, $5, $6) returning id`,
        [v.projectId, v.name, v.kind, v.summary, v.description, v.parentId],
      );
      return (await loadLocation(tx, rows[0].id))!;
    }).then((location) => (rescanLater(pool, v.projectId), location));
  } catch (error) {
    throw bibleError(error);
  }
}

const LOCATION_COLUMNS: Record<string, string> = {
  name: 'name', kind: 'kind', summary: 'summary', description: 'description', parentId: 'parent_id', imagePath: 'image_path',
};

export async function updateLocation(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<LocationDto> {
  const { locationId, version, patch } = parse(updateLocationInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) set[LOCATION_COLUMNS[key]!] = value;
  try {
    return await withUser(pool, claims, async (tx) => {
      if (patch.parentId) {
        // a friendly refusal before the database's tree guard, which holds under concurrent moves too
        const { rows } = await tx.query('select id, parent_id, name from public.locations where project_id = $1', [projectId]);
        const nodes = rows.map((r) => ({ id: r.id, parentId: r.parent_id, name: r.name }));
        if (wouldCycle(nodes, locationId, patch.parentId)) {
          throw new UserError('A location cannot be placed inside itself or one of the places within it.', 'invalid');
        }
      }
      return updateVersioned(tx, {
        table: 'locations', id: locationId, projectId, version, set, load: loadLocation, what: 'location', forbidden: BIBLE_EDIT_REFUSAL,
      });
    }).then((location) => {
      if (patch.name !== undefined) rescanLater(pool, projectId);
      if (patch.imagePath !== undefined) cleanUpPicturesSoon(pool);
      return location;
    });
  } catch (error) {
    throw bibleError(error);
  }
}

/** Places within it move up to the top level; its events go with it (location_events cascade). */
export async function deleteLocation(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { locationId } = parse(deleteLocationInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.locations where id = $1 and project_id = $2', [locationId, projectId]);
      if (!rowCount && (await loadLocation(tx, locationId))) throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
    });
    rescanLater(pool, projectId);
    cleanUpPicturesSoon(pool);
  } catch (error) {
    throw bibleError(error);
  }
}

/**
 * Gives a place a new picture (or none, with `bytes` null): the upload is checked, re-encoded and stored in the
 * writer's folder (server/storage/pictures.ts), then the row points at it with the version check. Whatever stops
 * the switch removes the new files again; the old picture's folder is queued by the database and cleaned up soon.
 */
export async function setLocationImage(
  pool: Pool,
  claims: Claims,
  storage: StorageApi,
  projectId: string,
  input: { locationId: unknown; version: unknown; bytes: Uint8Array | null },
): Promise<LocationDto> {
  const { locationId, version } = parse(updateLocationInput.pick({ locationId: true, version: true }), {
    locationId: input.locationId,
    version: input.version,
  });
  // a reader is refused before their upload is looked at or stored
  const allowed = await withUser(pool, claims, async (tx) => canWrite(await roleIn(tx, projectId)));
  if (!allowed) throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
  const stored = input.bytes ? await storePicture(storage, claims.sub, locationId, input.bytes) : null;
  try {
    const location = await withUser(pool, claims, (tx) =>
      updateVersioned(tx, {
        table: 'locations', id: locationId, projectId, version, set: { image_path: stored?.imagePath ?? null },
        load: loadLocation, what: 'location', forbidden: BIBLE_EDIT_REFUSAL,
      }),
    );
    cleanUpPicturesSoon(pool);
    return location;
  } catch (error) {
    await stored?.discard();
    throw bibleError(error);
  }
}
