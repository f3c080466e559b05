import { deleteBeat, updateBeat } from '@/server/structure/beats';
import { bodyWith, endpoint, idOf } from '../../http';

export const PATCH = endpoint(async (call) => ({
  beat: await updateBeat(call.pool, call.claims, call.projectId, await bodyWith(call, { beatId: idOf(call.params.beatId!, 'beat') })),
}));
export const DELETE = endpoint(async (call) => {
  await deleteBeat(call.pool, call.claims, call.projectId, { beatId: idOf(call.params.beatId!, 'beat') });
  return { ok: true };
});
