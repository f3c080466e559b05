import { serviceStorage } from '../storage/client';
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
