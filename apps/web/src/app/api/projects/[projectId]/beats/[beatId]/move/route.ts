import { moveBeat } from '@/server/structure/beats';
import { bodyWith, endpoint, idOf } from '../../../http';

export const POST = endpoint(async (call) => ({
  beat: await moveBeat(call.pool, call.claims, call.projectId, await bodyWith(call, { beatId: idOf(call.params.beatId!, 'beat') })),
}));
