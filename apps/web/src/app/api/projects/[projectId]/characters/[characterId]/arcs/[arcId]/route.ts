import { deleteArc, updateArc } from '@/server/bible/arcs';
import { bodyWith, endpoint, idOf } from '../../../../http';

/** `{ version, patch: { title?, arcType?, stages? } }`; the stages are saved as a whole list; 409 when stale. */
export const PATCH = endpoint(async (call) => ({ arc: await updateArc(call.pool, call.claims, call.projectId, await bodyWith(call, { arcId: idOf(call.params.arcId!, 'arc') })) }));
export const DELETE = endpoint(async (call) => {
  await deleteArc(call.pool, call.claims, call.projectId, { arcId: idOf(call.params.arcId!, 'arc') });
  return { ok: true };
});
