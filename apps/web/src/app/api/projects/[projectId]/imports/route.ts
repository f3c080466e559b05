import { IMPORT_MAX_BYTES } from '@quire/domain/exports';
import { UserError } from '@/lib/errors';
import { requestImport } from '@/server/exports';
import { endpoint } from '../http';

const TOO_LARGE = `Files up to ${IMPORT_MAX_BYTES / 1024 / 1024} MB can be imported.`;

/**
 * Uploads a file to import: the body is the file itself, its name in `x-filename` (URI-encoded), the part to put it
 * under in `?parentId=`. A body over the cap is refused by its length before it is read, and cut off while reading
 * when the length was not declared.
 */
export const POST = endpoint(async ({ request, pool, claims, projectId }) => {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (declared > IMPORT_MAX_BYTES) throw new UserError(TOO_LARGE, 'invalid');
  const bytes = await readCapped(request, IMPORT_MAX_BYTES);
  let filename = '';
  try {
    filename = decodeURIComponent(request.headers.get('x-filename') ?? '');
  } catch {
    throw new UserError('The file name could not be read.', 'invalid');
  }
  const parentId = new URL(request.url).searchParams.get('parentId') || null;
  return requestImport(pool, claims, { projectId, parentId, filename, bytes });
}, 202);

async function readCapped(request: Request, cap: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > cap) {
      await reader.cancel().catch(() => {});
      throw new UserError(TOO_LARGE, 'invalid');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
