import { deleteLocation, updateLocation } from '@/server/bible/locations';
import { bodyWith, endpoint, idOf } from '../../http';

export const PATCH = endpoint(async (call) => ({
  location: await updateLocation(call.pool, call.claims, call.projectId, await bodyWith(call, { locationId: idOf(call.params.locationId!, 'location') })),
}));
export const DELETE = endpoint(async (call) => {
  await deleteLocation(call.pool, call.claims, call.projectId, { locationId: idOf(call.params.locationId!, 'location') });
  return { ok: true };
});
