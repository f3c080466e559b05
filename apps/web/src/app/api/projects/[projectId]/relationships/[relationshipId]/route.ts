import { deleteRelationship, updateRelationship } from '@/server/bible/relationships';
import { bodyWith, endpoint, idOf } from '../../http';

export const PATCH = endpoint(async (call) => ({
  relationship: await updateRelationship(call.pool, call.claims, call.projectId, await bodyWith(call, { relationshipId: idOf(call.params.relationshipId!, 'relationship') })),
}));
export const DELETE = endpoint(async (call) => {
  await deleteRelationship(call.pool, call.claims, call.projectId, { relationshipId: idOf(call.params.relationshipId!, 'relationship') });
  return { ok: true };
});
