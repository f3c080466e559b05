import { UserError } from '@/lib/errors';
import { createRelationship, getRelationshipGraph } from '@/server/bible/relationships';
import { bodyWith, endpoint } from '../http';

export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const graph = await getRelationshipGraph(pool, claims, projectId);
  if (!graph) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return graph;
});
export const POST = endpoint(async (call) => ({ relationship: await createRelationship(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
