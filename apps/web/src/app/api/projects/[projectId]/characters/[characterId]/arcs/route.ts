import { createArc } from '@/server/bible/arcs';
import { bodyWith, endpoint, idOf } from '../../../http';

/** `{ title?, arcType?, stages? }`: a new arc for this character. */
export const POST = endpoint(async (call) => ({
  arc: await createArc(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId, characterId: idOf(call.params.characterId!, 'character') })),
}), 201);
