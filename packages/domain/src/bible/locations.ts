import { z } from 'zod';
import { id } from '../schemas/common';

/** Locations nest (a room in a building in a city in a country); the database's tree guard holds the same limit. */
export const MAX_LOCATION_DEPTH = 12;

export const LOCATION_KINDS = ['world', 'continent', 'region', 'country', 'city', 'town', 'district', 'building', 'room',
  'landmark', 'wilderness', 'vehicle', 'other'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
export const LOCATION_KIND_LABELS: Record<LocationKind, string> = {
  world: 'World', continent: 'Continent', region: 'Region', country: 'Country', city: 'City', town: 'Town',
  district: 'District', building: 'Building', room: 'Room', landmark: 'Landmark', wilderness: 'Wilderness',
  vehicle: 'Vehicle', other: 'Other',
};

const name = z.string({ message: 'Give the location a name.' }).trim().min(1, 'Give the location a name.').max(200, 'Keep the name under 200 characters.');
const summary = z.string().max(2_000, 'Keep the summary under 2,000 characters.');
const description = z.string().max(50_000, 'Keep the description under 50,000 characters.');
const version = z.number({ message: 'Reload: this is missing its version.' }).int().positive();
const optionalId = id.nullable().optional().transform((value) => value ?? null);
const kind = z.enum(LOCATION_KINDS, { message: 'Choose a kind of place.' });
const imagePath = z.string().regex(/^[0-9a-f-]{36}\/[^/]/, 'That image is not in your folder.').max(1024).nullable();

function somePatch<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).strict().refine((value) => Object.values(value).some((v) => v !== undefined), { message: 'Nothing to change.' });
}

export const createLocationInput = z
  .object({ projectId: id, name, kind: kind.default('other'), summary: summary.default(''), description: description.default(''), parentId: optionalId })
  .strict();
export const updateLocationInput = z
  .object({
    locationId: id,
    version,
    patch: somePatch({
      name: name.optional(),
      kind: kind.optional(),
      summary: summary.optional(),
      description: description.optional(),
      parentId: id.nullable().optional(),
      imagePath: imagePath.optional(),
    }),
  })
  .strict();
export const deleteLocationInput = z.object({ locationId: id }).strict();

// ---------------------------------------------------------------------------------------------------------------
// Events on the timeline

const title = z.string({ message: 'Give the event a title.' }).trim().min(1, 'Give the event a title.').max(200, 'Keep the title under 200 characters.');
const storyTime = z.string().trim().max(200, 'Keep the in-story date under 200 characters.').nullable();
/** The event's place in story order: the timeline sorts by it, then by in-story date as written. */
const sequence = z.number({ message: 'The order must be a number.' }).int('The order must be a whole number.').min(-1_000_000).max(1_000_000);
const characterIds = z.array(id).max(200, 'At most 200 characters per event.').transform((ids) => [...new Set(ids)]);

export const createEventInput = z
  .object({
    projectId: id,
    locationId: id,
    title,
    description: z.string().max(20_000, 'Keep the description under 20,000 characters.').default(''),
    storyTime: storyTime.optional().transform((v) => v || null),
    sequence: sequence.optional(),
    documentId: optionalId,
    characterIds: characterIds.default([]),
  })
  .strict();
export const updateEventInput = z
  .object({
    eventId: id,
    version,
    patch: somePatch({
      locationId: id.optional(),
      title: title.optional(),
      description: z.string().max(20_000, 'Keep the description under 20,000 characters.').optional(),
      storyTime: storyTime.optional(),
      sequence: sequence.optional(),
      documentId: id.nullable().optional(),
      characterIds: characterIds.optional(),
    }),
  })
  .strict();
export const deleteEventInput = z.object({ eventId: id }).strict();

export const timelineFilter = z
  .object({ locationId: id.optional(), characterId: id.optional() })
  .strict();
export type TimelineFilter = z.infer<typeof timelineFilter>;

// ---------------------------------------------------------------------------------------------------------------
// Pure tree and timeline logic

export interface LocationNode {
  id: string;
  parentId: string | null;
  name: string;
}

/** The location and every place within it, at any depth. */
export function withinLocation(locations: readonly LocationNode[], rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const l of locations) if (l.parentId) children.set(l.parentId, [...(children.get(l.parentId) ?? []), l.id]);
  const out = new Set<string>([rootId]);
  const stack = [rootId];
  while (stack.length) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (out.has(child)) continue;
      out.add(child);
      stack.push(child);
    }
  }
  return out;
}

/** True when making `parentId` the parent of `id` would put the location inside itself. */
export function wouldCycle(locations: readonly LocationNode[], id: string, parentId: string | null): boolean {
  return parentId !== null && withinLocation(locations, id).has(parentId);
}

/** "Europe › Poland › Gdańsk" */
export function locationPath(locations: readonly LocationNode[], id: string): string[] {
  const byId = new Map(locations.map((l) => [l.id, l]));
  const path: string[] = [];
  for (let at = byId.get(id); at && path.length <= MAX_LOCATION_DEPTH; at = at.parentId ? byId.get(at.parentId) : undefined) path.unshift(at.name);
  return path;
}

/** The locations in tree order (each parent before its children, siblings by name), with their depth. */
export function locationTree<T extends LocationNode>(locations: readonly T[]): Array<T & { depth: number }> {
  const ids = new Set(locations.map((l) => l.id));
  const children = new Map<string | null, T[]>();
  for (const l of locations) {
    const parent = l.parentId && ids.has(l.parentId) ? l.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), l]);
  }
  for (const list of children.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  const out: Array<T & { depth: number }> = [];
  const walk = (parent: string | null, depth: number) => {
    for (const l of children.get(parent) ?? []) {
      out.push({ ...l, depth });
      if (depth < 64) walk(l.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

export interface TimelineEvent {
  id: string;
  locationId: string;
  title: string;
  storyTime: string | null;
  sequence: number;
  characterIds: readonly string[];
  createdAt: string;
}

/**
 * Story order: by sequence, then by the in-story date as written (numbers inside compared as numbers, so "Year 3"
 * comes before "Year 12"), then by when the event was added.
 */
export function byStoryOrder(a: TimelineEvent, b: TimelineEvent): number {
  return a.sequence - b.sequence
    || (a.storyTime ?? '').localeCompare(b.storyTime ?? '', undefined, { numeric: true, sensitivity: 'base' })
    || a.createdAt.localeCompare(b.createdAt)
    || a.id.localeCompare(b.id);
}

/** The timeline filtered to a location (and the places within it) and/or a character, in story order. */
export function filterTimeline<T extends TimelineEvent>(
  events: readonly T[],
  locations: readonly LocationNode[],
  filter: TimelineFilter,
): T[] {
  const places = filter.locationId ? withinLocation(locations, filter.locationId) : null;
  return events
    .filter((e) => (!places || places.has(e.locationId)) && (!filter.characterId || e.characterIds.includes(filter.characterId)))
    .sort(byStoryOrder);
}
