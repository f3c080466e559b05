import { deleteEvent, updateEvent } from '@/server/bible/timeline';
import { bodyWith, endpoint, idOf } from '../../http';

export const PATCH = endpoint(async (call) => ({
  event: await updateEvent(call.pool, call.claims, call.projectId, await bodyWith(call, { eventId: idOf(call.params.eventId!, 'event') })),
}));
export const DELETE = endpoint(async (call) => {
  await deleteEvent(call.pool, call.claims, call.projectId, { eventId: idOf(call.params.eventId!, 'event') });
  return { ok: true };
});
