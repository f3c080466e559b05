import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import {
  createEventInput,
  deleteEventInput,
  filterTimeline,
  locationPath,
  locationTree,
  timelineFilter,
  updateEventInput,
  type TimelineFilter,
} from '@quire/domain/bible/locations';
import { UserError, parse } from '../../lib/errors';
import { updateVersioned } from '../structure/versioned';
import { readLocations } from './locations';
import { BIBLE_EDIT_REFUSAL, bibleError, canWrite, readCast, roleIn, type CastMember } from './relationships';

export interface EventDto {
  id: string;
  locationId: string;
  title: string;
  description: string;
  storyTime: string | null;
  sequence: number;
  documentId: string | null;
  characterIds: string[];
  createdAt: string;
  version: number;
}

export interface Timeline {
  /** filtered, in story order */
  events: Array<EventDto & { locationPath: string[] }>;
  total: number;
  filter: TimelineFilter;
  locations: Array<{ id: string; parentId: string | null; name: string; depth: number }>;
  characters: CastMember[];
  documents: Array<{ id: string; title: string }>;
  canEdit: boolean;
}

const EVENT_SELECT = `select e.id, e.location_id, e.title, e.description, e.story_time, e.sequence, e.document_id, e.version,
  e.created_at, coalesce(array(select c.character_id from public.location_event_characters c where c.event_id = e.id
                                order by c.character_id), '{}') as character_ids
  from public.location_events e`;

interface EventRow {
  id: string;
  location_id: string;
  title: string;
  description: string;
  story_time: string | null;
  sequence: number;
  document_id: string | null;
  character_ids: string[] | null;
  created_at: Date;
  version: number;
}

function toEvent(r: EventRow): EventDto {
  return {
    id: r.id, locationId: r.location_id, title: r.title, description: r.description, storyTime: r.story_time,
    sequence: r.sequence, documentId: r.document_id, characterIds: r.character_ids ?? [],
    createdAt: new Date(r.created_at).toISOString(), version: r.version,
  };
}

async function loadEvent(tx: Tx, eventId: string): Promise<EventDto | null> {
  const { rows } = await tx.query<EventRow>(`${EVENT_SELECT} where e.id = $1`, [eventId]);
  return rows[0] ? toEvent(rows[0]) : null;
}

export async function getTimeline(pool: Pool, claims: Claims, projectId: string, filterInput: unknown = {}): Promise<Timeline | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  const filter = parse(timelineFilter, filterInput);
  return withUser(pool, claims, async (tx) => {
    const role = await roleIn(tx, project.data);
    if (!role) return null;
    const [locations, characters, events, docs] = await Promise.all([
      readLocations(tx, project.data),
      readCast(tx, project.data),
      tx.query<EventRow>(`${EVENT_SELECT} where e.project_id = $1`, [project.data]),
      tx.query(`select id, title from public.documents where project_id = $1 and kind <> 'folder' order by position, title`, [project.data]),
    ]);
    const all = events.rows.map(toEvent);
    return {
      events: filterTimeline(all, locations, filter).map((e) => ({ ...e, locationPath: locationPath(locations, e.locationId) })),
      total: all.length,
      filter,
      locations: locationTree(locations).map((l) => ({ id: l.id, parentId: l.parentId, name: l.name, depth: l.depth })),
      characters,
      documents: docs.rows.map((d) => ({ id: d.id, title: d.title })),
      canEdit: canWrite(role),
    };
  });
}

async function setCharacters(tx: Tx, projectId: string, eventId: string, characterIds: readonly string[]): Promise<void> {
  await tx.query('delete from public.location_event_characters where event_id = $1 and not (character_id = any($2::uuid[]))', [eventId, characterIds]);
  if (characterIds.length) {
    await tx.query(
      `insert into public.location_event_characters (event_id, character_id, project_id)
       select $1, unnest($2::uuid[]), $3 on conflict do nothing`,
      [eventId, characterIds, projectId],
    );
  }
}

export async function createEvent(pool: Pool, claims: Claims, input: unknown): Promise<EventDto> {
  const v = parse(createEventInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      // without an order the event goes last
      const sequence = v.sequence ?? (await tx.query<{ next: number }>(
        'select coalesce(max(sequence), 0) + 10 as next from public.location_events where project_id = $1', [v.projectId],
      )).rows[0]!.next;
      const { rows } = await tx.query(
        `insert into public.location_events (project_id, location_id, title, description, story_time, sequence, document_id)
         values ($1, $2, $3, $4, $5, $6, $7) returning id`,
        [v.projectId, v.locationId, v.title, v.description, v.storyTime, sequence, v.documentId],
      );
      await setCharacters(tx, v.projectId, rows[0].id, v.characterIds);
      return (await loadEvent(tx, rows[0].id))!;
    });
  } catch (error) {
    throw bibleError(error);
  }
}

const EVENT_COLUMNS: Record<string, string> = {
  locationId: 'location_id', title: 'title', description: 'description', storyTime: 'story_time', sequence: 'sequence', documentId: 'document_id',
};

/** The characters travel with the row's version: changing only them still raises the event's version. */
export async function updateEvent(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<EventDto> {
  const { eventId, version, patch } = parse(updateEventInput, input);
  const set: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined && key !== 'characterIds') set[EVENT_COLUMNS[key]!] = value;
  // only the characters changed: touch the row anyway, so its version moves and the feed notifies
  if (!Object.keys(set).length) set.updated_at = new Date();
  try {
    return await withUser(pool, claims, async (tx) => {
      await updateVersioned(tx, {
        table: 'location_events', id: eventId, projectId, version, set, load: loadEvent, what: 'event', forbidden: BIBLE_EDIT_REFUSAL,
      });
      if (patch.characterIds) await setCharacters(tx, projectId, eventId, patch.characterIds);
      return (await loadEvent(tx, eventId))!;
    });
  } catch (error) {
    throw bibleError(error);
  }
}

export async function deleteEvent(pool: Pool, claims: Claims, projectId: string, input: unknown): Promise<void> {
  const { eventId } = parse(deleteEventInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.location_events where id = $1 and project_id = $2', [eventId, projectId]);
      if (!rowCount && (await loadEvent(tx, eventId))) throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
    });
  } catch (error) {
    throw bibleError(error);
  }
}
