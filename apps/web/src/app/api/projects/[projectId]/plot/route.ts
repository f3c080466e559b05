import { UserError } from '@/lib/errors';
import { createIssue, getPlotBoard } from '@/server/structure/plot';
import { bodyWith, endpoint } from '../http';

export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const board = await getPlotBoard(pool, claims, projectId);
  if (!board) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return board;
});
export const POST = endpoint(async (call) => ({ issue: await createIssue(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
