import { createHash } from 'node:crypto';
import { compileMatcher, mentionTargets, scanText, summarise } from '@quire/domain/bible/mentions';
import { enqueueJob, type JobTarget } from './jobs';
import type { Tx } from './session';

/**
 * Stores the mentions of characters and locations found in each document's plain text (packages/domain's matcher).
 * The worker's bible-mentions job runs these as the service; the web app's "Rescan" and the tests call them too.
 */

const sha = (value: string) => createHash('sha256').update(value).digest('base64url');

export interface Bible {
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


/**
 * Asks the worker to rescan one document (after the collab server stored it) or a whole project (after names
 * changed). Debounced per document or project with pg-boss's next-slot singleton: however many stores happen, at
 * most one scan runs per ten seconds, and the last store always gets one after it.
 */
export function scheduleMentions(target: JobTarget, subject: { documentId: string } | { projectId: string }): Promise<string | null> {
  const key = 'documentId' in subject ? `document:${subject.documentId}` : `project:${subject.projectId}`;
  return enqueueJob(target, 'bible-mentions', subject, { singletonKey: key, singletonSeconds: MENTIONS_DEBOUNCE_SECONDS, singletonNextSlot: true });
}

export const MENTIONS_DEBOUNCE_SECONDS = 10;
