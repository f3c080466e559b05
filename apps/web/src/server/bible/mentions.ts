import { withService, withUser, type Claims } from '@quire/db/session';
import { scheduleMentions, storeDocumentMentions, storeProjectMentions } from '@quire/db/bible-mentions';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import { flatten } from '@quire/domain/structure';
import { UNKNOWN_NAME_THRESHOLD } from '@quire/domain/bible/mentions';
import { locationPath } from '@quire/domain/bible/locations';
import { UserError } from '../../lib/errors';
import { BIBLE_EDIT_REFUSAL, canWrite, readCast, roleIn, type CastMember } from './relationships';

/**
 * Mentions of characters and locations in the stored plain text of each document. The bible-mentions job stores them
 * (packages/db/src/bible-mentions.ts) as the service, since no person acts; everyone reads the rows through RLS.
 */

export { scheduleMentions, storeDocumentMentions, storeProjectMentions };

/**
 * Names are what the mentions look for: a character or place added, renamed (or given other aliases) or deleted
 * means a rescan of the project, debounced like every scan. A failure to schedule is logged, not the writer's problem.
 */
export function rescanLater(pool: Pool, projectId: string): void {
  scheduleMentions(pool, { projectId }).catch((error) => console.warn('mentions rescan not scheduled', error));
}

/** "Rescan now": an editor asks, the service writes (mentions are never written as a person). */
export async function rescanProject(pool: Pool, claims: Claims, projectId: string): Promise<{ documents: number }> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) throw new UserError('That project link is not valid.', 'not_found');
  const role = await withUser(pool, claims, (tx) => roleIn(tx, project.data));
  if (!role) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  if (!canWrite(role)) throw new UserError(BIBLE_EDIT_REFUSAL, 'forbidden');
  const stored = await withService(pool, (tx) => storeProjectMentions(tx, project.data));
  return { documents: stored.length };
}

// ---------------------------------------------------------------------------------------------------------------
// Reads

export interface ChapterMentions {
  documentId: string;
  title: string;
  mentions: number;
}

export interface CharacterAppearances {
  character: CastMember;
  total: number;
  chapters: ChapterMentions[];
  first: ChapterMentions | null;
  last: ChapterMentions | null;
}

export interface MentionsOverview {
  characters: CharacterAppearances[];
  /** each chapter in reading order with who is in it */
  chapters: Array<{ documentId: string; title: string; scanned: boolean; cast: Array<{ characterId: string; name: string; mentions: number }> }>;
  locations: Array<{ id: string; name: string; total: number; chapters: ChapterMentions[] }>;
  suggestions: {
    /** characters the scanned text never names */
    unmentioned: Array<{ id: string; name: string }>;
    /** capitalised names repeated in the text that match no character or location */
    unknownNames: Array<{ name: string; mentions: number; chapters: number }>;
  };
  scannedDocuments: number;
  documents: number;
  canEdit: boolean;
}

export async function getMentionsOverview(pool: Pool, claims: Claims, projectId: string): Promise<MentionsOverview | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  return withUser(pool, claims, async (tx) => {
    const role = await roleIn(tx, project.data);
    if (!role) return null;
    const [cast, docs, mentions, scans, locs] = await Promise.all([
      readCast(tx, project.data),
      tx.query('select id, parent_id, kind, title, position from public.documents where project_id = $1', [project.data]),
      tx.query('select document_id, character_id, location_id, unknown_name, mentions from public.document_mentions where project_id = $1', [project.data]),
      tx.query('select document_id from public.document_mention_scans where project_id = $1', [project.data]),
      tx.query('select id, parent_id, name from public.locations where project_id = $1', [project.data]),
    ]);
    const order = flatten(docs.rows.map((d) => ({ id: d.id as string, parentId: d.parent_id as string | null, rank: String(d.position).padStart(10, '0'), kind: d.kind as string, title: d.title as string })))
      .filter((d) => d.kind !== 'folder' && d.kind !== 'notes');
    const rank = new Map(order.map((d, i) => [d.id, i]));
    const title = new Map(order.map((d) => [d.id, d.title]));
    const scanned = new Set(scans.rows.map((r) => r.document_id as string));
    const inText = mentions.rows.filter((m) => rank.has(m.document_id));
    const byRank = (a: ChapterMentions, b: ChapterMentions) => rank.get(a.documentId)! - rank.get(b.documentId)!;

    const perEntity = (column: 'character_id' | 'location_id', id: string): ChapterMentions[] =>
      inText.filter((m) => m[column] === id).map((m) => ({ documentId: m.document_id, title: title.get(m.document_id)!, mentions: m.mentions })).sort(byRank);

    const characters = cast.map((character) => {
      const chapters = perEntity('character_id', character.id);
      return { character, total: chapters.reduce((n, c) => n + c.mentions, 0), chapters, first: chapters[0] ?? null, last: chapters.at(-1) ?? null };
    });
    const names = new Map(cast.map((c) => [c.id, c.name]));
    const unknown = new Map<string, { mentions: number; chapters: number }>();
    for (const m of inText) {
      if (!m.unknown_name) continue;
      const row = unknown.get(m.unknown_name) ?? { mentions: 0, chapters: 0 };
      row.mentions += m.mentions;
      row.chapters += 1;
      unknown.set(m.unknown_name, row);
    }
    const locations = locs.rows.map((l) => ({ id: l.id as string, parentId: l.parent_id as string | null, name: l.name as string }));
    return {
      characters,
      chapters: order.map((d) => ({
        documentId: d.id,
        title: d.title,
        scanned: scanned.has(d.id),
        cast: inText.filter((m) => m.document_id === d.id && m.character_id)
          .map((m) => ({ characterId: m.character_id as string, name: names.get(m.character_id) ?? '', mentions: m.mentions as number }))
          .sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name)),
      })),
      locations: locations.map((l) => {
        const chapters = perEntity('location_id', l.id);
        return { id: l.id, name: locationPath(locations, l.id).join(' › '), total: chapters.reduce((n, c) => n + c.mentions, 0), chapters };
      }),
      suggestions: {
        unmentioned: scanned.size ? characters.filter((c) => c.total === 0).map((c) => ({ id: c.character.id, name: c.character.name })) : [],
        unknownNames: [...unknown.entries()]
          .filter(([, v]) => v.mentions >= UNKNOWN_NAME_THRESHOLD)
          .map(([name, v]) => ({ name, ...v }))
          .sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name))
          .slice(0, 50),
      },
      scannedDocuments: [...scanned].filter((d) => rank.has(d)).length,
      documents: order.length,
      canEdit: canWrite(role),
    };
  });
}

/** What the editor's name card shows: the cast and the places, for matching in the page and the card's text. */
export interface BibleCards {
  characters: CastMember[];
  locations: Array<{ id: string; name: string; kind: string; summary: string; path: string[] }>;
}

export async function getBibleCards(pool: Pool, claims: Claims, projectId: string): Promise<BibleCards | null> {
  const project = idSchema.safeParse(projectId);
  if (!project.success) return null;
  return withUser(pool, claims, async (tx) => {
    if (!(await roleIn(tx, project.data))) return null;
    const [characters, locs] = await Promise.all([
      readCast(tx, project.data),
      tx.query('select id, parent_id, name, kind, summary from public.locations where project_id = $1 order by name', [project.data]),
    ]);
    const nodes = locs.rows.map((l) => ({ id: l.id as string, parentId: l.parent_id as string | null, name: l.name as string }));
    return {
      characters,
      locations: locs.rows.map((l) => ({ id: l.id, name: l.name, kind: l.kind, summary: l.summary, path: locationPath(nodes, l.id) })),
    };
  });
}
