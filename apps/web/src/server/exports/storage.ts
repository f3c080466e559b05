import { UserError } from '../../lib/errors';

/** Signs a link to an object of the private `exports` bucket. */
export async function signExportLink(path: string, filename: string, seconds: number): Promise<string> {
  void path;
  void filename;
  void seconds;
  throw new UserError('Downloads are not available yet.', 'unavailable');
}
