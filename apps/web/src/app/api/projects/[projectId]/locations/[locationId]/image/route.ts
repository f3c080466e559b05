import { UserError } from '@/lib/errors';
import { readBodyUpTo } from '@/lib/body';
import { setLocationImage } from '@/server/bible/locations';
import { userStorage } from '@/server/storage/client';
import { PICTURE_LIMIT, TOO_LARGE } from '@/server/storage/pictures';
import { endpoint, idOf } from '../../../http';

/**
 * A place's picture. POST the file's bytes as the body (any content type: the bytes decide) with `?version=` of the
 * location as the writer last saw it; DELETE with `?version=` removes the picture. Both answer the location.
 */
const versionOf = (request: Request) => Number(new URL(request.url).searchParams.get('version'));

export const POST = endpoint(async (call) => {
  const bytes = await readBodyUpTo(call.request, PICTURE_LIMIT);
  if (!bytes) throw new UserError(TOO_LARGE, 'invalid');
  const storage = await userStorage(call.accessToken);
  const location = await setLocationImage(call.pool, call.claims, storage, call.projectId, {
    locationId: idOf(call.params.locationId!, 'location'),
    version: versionOf(call.request),
    bytes,
  });
  return { location };
});

export const DELETE = endpoint(async (call) => {
  const storage = await userStorage(call.accessToken);
  const location = await setLocationImage(call.pool, call.claims, storage, call.projectId, {
    locationId: idOf(call.params.locationId!, 'location'),
    version: versionOf(call.request),
    bytes: null,
  });
  return { location };
});
