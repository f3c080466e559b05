import { enqueueJob, type JobTarget } from './jobs';
import type { Pool } from './pool';
import { withService } from './session';

/**
 * Removing the pictures that nothing uses any more. A trigger (supabase/migrations/20261203200000_storage_buckets.sql)
 * queues a picture's folder in private.storage_garbage when its character or location is deleted — directly or
 * through its project — or gets another picture. The worker's storage-garbage job drains the queue through the
 * storage API as the service role, so the objects' rows and their bytes go alike on Supabase Storage and on the
 * embedded subset (whose remove deletes the files on disk).
 */

/** The part of supabase-js's storage client the drain needs (StorageClient and SupabaseClient['storage'] both fit). */
export interface GarbageStorage {
  from(bucket: string): {
    list(prefix: string, options: { limit: number; offset?: number }): Promise<{ data: Array<{ name: string; id: string | null }> | null; error: { message: string } | null }>;
    remove(paths: string[]): Promise<{ data: unknown[] | null; error: { message: string } | null }>;
  };
}

export interface DrainResult {
  /** queue entries settled (their folder emptied, or still in use and left alone) */
  folders: number;
  /** objects removed */
  removed: number;
  /** folders left in the queue for the next run, with what storage answered */
  failed: Array<{ bucket: string; folder: string; error: string }>;
}

export interface DrainOptions {
  /** queue entries read per round */
  batch?: number;
  /** rounds per call; what is left waits for the next run */
  rounds?: number;
}

/** Objects per list/remove call: Supabase lists at most 1000 and removes at most 1000 per request. */
const PAGE = 1000;

interface Queued {
  id: string;
  bucket_id: string;
  folder: string;
  in_use: boolean;
}

/**
 * Drains the queue in bounded rounds. Idempotent: listing and removing a folder that is already empty does nothing,
 * and an entry is deleted only after its folder was emptied, so a crash or a second drain running at the same time
 * only repeats harmless work. A folder some character or location still points at (a writer may reuse one of their
 * own pictures) is left alone. Folders storage refused stay queued and are reported in `failed`; the round goes on.
 */
export async function drainStorageGarbage(pool: Pool, storage: GarbageStorage, options: DrainOptions = {}): Promise<DrainResult> {
  const batch = options.batch ?? 50;
  const rounds = options.rounds ?? 20;
  const result: DrainResult = { folders: 0, removed: 0, failed: [] };
  let after = '0';
  for (let round = 0; round < rounds; round++) {
    // why service: the queue is the server's own bookkeeping, written by a trigger and readable by no user; the
    // in-use check must see every project's pictures
    const queued = await withService(pool, async (tx) =>
      (
        await tx.query<Queued>(
          `select g.id::text, g.bucket_id, g.folder,
                  exists (select 1 from public.characters c where private.object_folder(c.image_path) = g.folder)
                  or exists (select 1 from public.locations l where private.object_folder(l.image_path) = g.folder) as in_use
             from private.storage_garbage g where g.id > $1::bigint order by g.id limit $2`,
          [after, batch],
        )
      ).rows,
    );
    if (queued.length === 0) break;
    after = queued[queued.length - 1]!.id;
    const settled: string[] = [];
    for (const item of queued) {
      if (item.in_use) {
        settled.push(item.id);
        continue;
      }
      const emptied = await emptyFolder(storage, item.bucket_id, item.folder);
      if (typeof emptied === 'number') {
        result.removed += emptied;
        settled.push(item.id);
      } else {
        result.failed.push({ bucket: item.bucket_id, folder: item.folder, error: emptied.error });
      }
    }
    if (settled.length) {
      await withService(pool, (tx) => tx.query('delete from private.storage_garbage where id = any($1::bigint[])', [settled]));
      result.folders += settled.length;
    }
    if (queued.length < batch) break;
  }
  return result;
}

/** Removes every object directly in the folder, a page at a time; the count, or what storage answered. */
async function emptyFolder(storage: GarbageStorage, bucketId: string, folder: string): Promise<number | { error: string }> {
  const bucket = storage.from(bucketId);
  let removed = 0;
  // each page removes what it listed, so the next listing starts over; bounded for a folder that keeps refilling
  for (let page = 0; page < 100; page++) {
    const listed = await bucket.list(folder, { limit: PAGE });
    if (listed.error || !listed.data) return { error: listed.error?.message ?? 'storage listed nothing' };
    const names = listed.data.filter((f) => f.id).map((f) => `${folder}/${f.name}`);
    if (names.length === 0) return removed;
    const gone = await bucket.remove(names);
    if (gone.error) return { error: gone.error.message };
    removed += gone.data?.length ?? 0;
    if (listed.data.length < PAGE) return removed;
  }
  return { error: 'the folder still had objects after 100 pages' };
}

/**
 * Asks the worker to drain the queue soon, after a delete or a replaced picture. pg-boss's next-slot singleton keeps
 * a burst of deletes to one drain now and one after the slot; the worker's schedule drains anything missed.
 */
export function scheduleStorageGarbage(target: JobTarget): Promise<string | null> {
  return enqueueJob(target, 'storage-garbage', {}, { singletonKey: 'drain', singletonSeconds: GARBAGE_SLOT_SECONDS, singletonNextSlot: true });
}

export const GARBAGE_SLOT_SECONDS = 5;
