import { COVER_MAX_BYTES } from '@quire/domain/exports';
import { readBodyUpTo } from '@/lib/body';
import { UserError } from '@/lib/errors';
import { coverLink, removeCover, setCover } from '@/server/exports';
import { serviceStorage } from '@/server/storage/client';
import { endpoint } from '../../http';

// The commands decide through RLS on project_covers who may see or change the cover; the bytes are then read and
// written as the service role, which alone writes to the covers bucket (as for export files).

/** The cover picture: a redirect to a short-lived signed link, for members of the project. */
export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const url = await coverLink(pool, claims, await serviceStorage(), projectId);
  return new Response(null, { status: 303, headers: { location: url, 'cache-control': 'private, no-store' } });
});

/** Sets or replaces the cover: the body is the picture itself (JPEG, PNG, WebP or GIF). */
export const PUT = endpoint(async ({ request, pool, claims, projectId }) => {
  const bytes = await readBodyUpTo(request, COVER_MAX_BYTES);
  if (!bytes) throw new UserError(`That picture is larger than ${COVER_MAX_BYTES / 1024 / 1024} MB. Choose a smaller one.`, 'invalid');
  return setCover(pool, claims, await serviceStorage(), projectId, bytes);
});

export const DELETE = endpoint(async ({ pool, claims, projectId }) => {
  await removeCover(pool, claims, await serviceStorage(), projectId);
  return { ok: true };
});
