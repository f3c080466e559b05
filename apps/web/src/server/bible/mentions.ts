import { createHash } from 'node:crypto';
import { withService, withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { id as idSchema } from '@quire/domain/schemas';
import { flatten } from '@quire/domain/structure';
import { UNKNOWN_NAME_THRESHOLD, compileMatcher, mentionTargets, scanText, summarise } from '@quire/domain/bible/mentions';
import { locationPath } from '@quire/domain/bible/locations';
import { UserError } from '../../lib/errors';
import { BIBLE_EDIT_REFUSAL, canWrite, readCast, roleIn, type CastMember } from './relationships';

/**
 * Mentions of characters and locations in the stored plain text of each document. The mentions job calls
 * storeDocumentMentions as the service (no person acts); everyone reads the stored rows through RLS.
 */

const sha = (value: string) => createHash('sha256').update(value).digest('base64url');

interface Bible {
  characters: Array<{ id: string; name: string; aliases: string[] }>;
  locations: Array<{ id: string; name: string }>;
  hash: string;
}

async function readBible(tx: Tx, projectId: string): Promise<Bible> {
  const [characters, locations] = await Promise.all([
    tx.query('select id, name, aliases from public.characters where project_id = $1 order by position, name, id', [projectId]),
    tx.query('select id, name from public.locations where project_id = $1 order by name, id', [projectId]),
  ]);
  const bible = {
    characters: characters.rows.map((r) => ({ id: r.id as string, name: r.name as string, aliases: (r.aliases ?? []) as string[] })),
    locations: locations.rows.map((r) => ({ id: r.id as string, name: r.name as string })),
  };
  return { ...bible, hash: sha(JSON.stringify(bible)) };
}

export interface StoredScan {
  documentId: string;
  skipped: boolean;
  words: number;
  mentions: number;
}

/**
 * Recomputes one document's mentions from its stored text, unless neither the text nor the names changed since the
 * last scan. Runs inside the caller's transaction (the job's withService); a deleted document is nothing to do.
 */
export async function storeDocumentMentions(tx: Tx, documentId: string, bibleCache?: Map<string, Bible>): Promise<StoredScan | null> {
  const { rows } = await tx.query('select project_id, kind, plain_text from public.documents where id = $1', [documentId]);
  const doc = rows[0];
  if (!doc) return null;
  const projectId = doc.project_id as string;
  let bible = bibleCache?.get(projectId);
  if (!bible) {
    bible = await readBible(tx, projectId);
    bibleCache?.set(projectId, bible);
  }
  const text = doc.kind === 'folder' ? '' : (doc.plain_text as string);
  const textHash = sha(text);
  const previous = await tx.query('select text_hash, bible_hash from public.document_mention_scans where document_id = $1 for update', [documentId]);
  if (previous.rows[0]?.text_hash === textHash && previous.rows[0]?.bible_hash === bible.hash) {
    return { documentId, skipped: true, words: 0, mentions: 0 };
  }
  const scan = scanText(compileMatcher(mentionTargets(bible.characters, bible.locations)), text);
  const { counts, unknown } = summarise(scan);
  await tx.query('delete from public.document_mentions where document_id = $1', [documentId]);
  const rowsOut = [
    ...counts.map((c) => [c.kind === 'character' ? c.id : null, c.kind === 'location' ? c.id : null, null, c.mentions, c.firstOffset, c.lastOffset]),
    ...unknown.map((u) => [null, null, u.name.slice(0, 200), u.mentions, u.firstOffset, u.lastOffset]),
  ];
  if (rowsOut.length) {
    const column = (i: number) => rowsOut.map((r) => r[i]);
    await tx.query(
      `insert into public.document_mentions (project_id, document_id, character_id, location_id, unknown_name, mentions, first_offset, last_offset)
       select $1, $2, * from unnest($3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::int[], $8::int[])`,
      [projectId, documentId, column(0), column(1), column(2), column(3), column(4), column(5)],
    );
  }
  await tx.query(
    `insert into public.document_mention_scans (document_id, project_id, text_hash, bible_hash, words, scanned_at)
     values ($1, $2, $3, $4, $5, now())
     on conflict (document_id) do update set text_hash = excluded.text_hash, bible_hash = excluded.bible_hash,
       words = excluded.words, scanned_at = excluded.scanned_at`,
    [documentId, projectId, textHash, bible.hash, scan.words],
  );
  return { documentId, skipped: false, words: scan.words, mentions: scan.hits.length };
}

/** Every document of the project (after the names changed); unchanged ones are skipped by their hashes. */
export async function storeProjectMentions(tx: Tx, projectId: string): Promise<StoredScan[]> {
  const { rows } = await tx.query(`select id from public.documents where project_id = $1 and kind <> 'folder'`, [projectId]);
  const cache = new Map<string, Bible>();
  const out: StoredScan[] = [];
  for (const row of rows) {
    const stored = await storeDocumentMentions(tx, row.id, cache);
    if (stored) out.push(stored);
  }
  return out;
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
