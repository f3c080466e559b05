import { withService } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { StorageApi } from './client';

/**
 * Removes the picture folders that deleted or re-pictured characters and locations left in private.storage_garbage
 * (queued by a trigger, so project deletes are covered too). Goes through the storage API as the service role, so it
 * removes rows and bytes alike on Supabase Storage and on the embedded subset. Returns how many objects went.
 */
export async function drainStorageGarbage(pool: Pool, storage: StorageApi, batch = 50): Promise<number> {
  // why service: the queue is the server's own bookkeeping, written by a trigger, readable by no user
  const queued = await withService(pool, async (tx) =>
    (await tx.query<{ id: string; bucket_id: string; folder: string }>('select id, bucket_id, folder from private.storage_garbage order by id limit $1', [batch])).rows,
  );
  let removed = 0;
  for (const item of queued) {
    const bucket = storage.from(item.bucket_id);
    const listed = await bucket.list(item.folder, { limit: 1000 });
    if (listed.error) continue;
    const names = listed.data.filter((f) => f.id).map((f) => `${item.folder}/${f.name}`);
    if (names.length) {
      const gone = await bucket.remove(names);
      if (gone.error) continue;
      removed += gone.data.length;
    }
    await withService(pool, (tx) => tx.query('delete from private.storage_garbage where id = $1', [item.id]));
  }
  return removed;
}
