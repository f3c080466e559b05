import { UserError } from '@/lib/errors';
import { createBeat, getBeatBoard } from '@/server/structure/beats';
import { bodyWith, endpoint } from '../http';

export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const board = await getBeatBoard(pool, claims, projectId);
  if (!board) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return board;
});
export const POST = endpoint(async (call) => ({ beat: await createBeat(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
