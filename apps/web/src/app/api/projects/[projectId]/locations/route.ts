import { UserError } from '@/lib/errors';
import { createLocation, getWorld } from '@/server/bible/locations';
import { userStorage } from '@/server/storage/client';
import { bodyWith, endpoint } from '../http';

export const GET = endpoint(async ({ pool, claims, accessToken, projectId }) => {
  const world = await getWorld(pool, claims, projectId, await userStorage(accessToken));
  if (!world) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return world;
});
export const POST = endpoint(async (call) => ({ location: await createLocation(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
