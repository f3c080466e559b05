import { drainStorageGarbage as drain, scheduleStorageGarbage } from '@quire/db/storage-garbage';
import type { Pool } from '@quire/db/pool';
import type { StorageApi } from './client';

/**
 * The web app's side of removing unused pictures (the queue and the drain live in packages/db/src/storage-garbage.ts;
 * the worker's storage-garbage job runs the drain). Commands that delete a character, a location or a project, or
 * replace a picture, call `cleanUpPicturesSoon` after their transaction committed.
 */
export function cleanUpPicturesSoon(pool: Pool): void {
  scheduleStorageGarbage(pool).catch((error) => console.warn('picture cleanup not scheduled; the worker’s schedule will do it', error));
}

/** Drains the queue right away (tests, scripts); the number of objects removed. Throws when a folder was refused. */
export async function drainStorageGarbage(pool: Pool, storage: StorageApi): Promise<number> {
  const result = await drain(pool, storage);
  if (result.failed.length) throw new Error(`storage refused to remove ${result.failed.map((f) => f.folder).join(', ')}: ${result.failed[0]!.error}`);
  return result.removed;
}
