import { IMPORT_MAX_BYTES } from '@quire/domain/exports';
import { UserError } from '@/lib/errors';
import { readBodyUpTo } from '@/lib/body';
import { requestImport } from '@/server/exports';
import { endpoint } from '../http';

const TOO_LARGE = `Files up to ${IMPORT_MAX_BYTES / 1024 / 1024} MB can be imported.`;

/**
 * Uploads a file to import: the body is the file itself, its name in `x-filename` (URI-encoded), the part to put it
 * under in `?parentId=`. A body over the cap is refused by its length before it is read, and cut off while reading
 * when the length was not declared.
 */
export const POST = endpoint(async ({ request, pool, claims, projectId }) => {
  const bytes = await readBodyUpTo(request, IMPORT_MAX_BYTES);
  if (!bytes) throw new UserError(TOO_LARGE, 'invalid');
  let filename = '';
  try {
    filename = decodeURIComponent(request.headers.get('x-filename') ?? '');
  } catch {
    throw new UserError('The file name could not be read.', 'invalid');
  }
  const parentId = new URL(request.url).searchParams.get('parentId') || null;
  return requestImport(pool, claims, { projectId, parentId, filename, bytes });
}, 202);
