import { drainStorageGarbage } from '@quire/db/storage-garbage';
import { defineJob, type JobContext } from '../job';
import { serviceStorage } from '../storage';

/**
 * Removes the pictures deleted characters and locations (and those of deleted projects) left behind, and the old
 * pictures of ones that got a new picture: rows in storage.objects and the bytes, through the storage API as the
 * service role (a cleanup across every user's folder). Enqueued after deletes (scheduleStorageGarbage) and every
 * five minutes for anything a crash between commit and enqueue missed. Folders storage refused stay queued; the
 * attempt then fails, so it is retried and recorded like any failed job.
 */
export async function drainGarbage(ctx: Pick<JobContext, 'pool' | 'logger'>) {
  const result = await drainStorageGarbage(ctx.pool, await serviceStorage());
  if (result.folders || result.removed) ctx.logger.info({ folders: result.folders, removed: result.removed }, 'unused pictures removed');
  if (result.failed.length) {
    const first = result.failed[0]!;
    throw new Error(`${result.failed.length} picture folder(s) could not be removed; first ${first.bucket}/${first.folder}: ${first.error}`);
  }
  return { folders: result.folders, removed: result.removed };
}

export const storageGarbage = defineJob({
  name: 'storage-garbage',
  retry: { limit: 3, delaySeconds: 30, backoff: true },
  expireInSeconds: 10 * 60,
  concurrency: 1,
  schedule: { cron: '*/5 * * * *', payload: {} },
  handler: (_data, ctx) => drainGarbage(ctx),
});
