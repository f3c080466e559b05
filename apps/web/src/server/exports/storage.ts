import { serviceStorage, type StorageApi } from '../storage/client';
import { UserError } from '../../lib/errors';

/**
 * Signs a link to an object of the private `exports` bucket. As the service role: the caller's right to this file
 * was decided just before, through RLS on export_jobs (exportDownloadLink), which also covers someone a document was
 * shared with — the bucket's own read policy only knows project members.
 */
export async function signExportLink(path: string, filename: string, seconds: number): Promise<string> {
  const storage = await serviceStorage();
  const { data, error } = await storage.from('exports').createSignedUrl(path, seconds, { download: filename });
  if (error || !data) throw new UserError('The file cannot be reached right now. Try again in a moment.', 'unavailable', undefined, { cause: error });
  return data.signedUrl;
}

/**
 * The private `covers` bucket. Handed the service role's storage: the caller's right to change or see the project's
 * cover is decided through RLS on project_covers just before each call (cover.ts), as for export files.
 */
export function coverObjects(storage: StorageApi) {
  const bucket = storage.from('covers');
  return {
    async put(path: string, bytes: Uint8Array): Promise<void> {
      const { error } = await bucket.upload(path, bytes, { contentType: 'image/jpeg', upsert: true });
      if (error) throw new UserError('The cover could not be stored. Try again in a moment.', 'unavailable', undefined, { cause: error });
    },
    /** Best effort: a picture left behind is only bytes nobody is shown, and a deleted project queues its folder. */
    async remove(paths: string[]): Promise<void> {
      if (paths.length) await bucket.remove(paths).catch(() => {});
    },
    async sign(path: string, seconds: number): Promise<string> {
      const { data, error } = await bucket.createSignedUrl(path, seconds);
      if (error || !data) throw new UserError('The cover cannot be reached right now. Try again in a moment.', 'unavailable', undefined, { cause: error });
      return data.signedUrl;
    },
  };
}
