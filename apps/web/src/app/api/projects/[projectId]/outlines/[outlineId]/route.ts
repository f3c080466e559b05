import { UserError } from '@/lib/errors';
import { getOutlineBoard, updateOutline } from '@/server/structure/outlines';
import { bodyWith, endpoint, idOf } from '../../http';

export const GET = endpoint(async ({ pool, claims, projectId, params }) => {
  const board = await getOutlineBoard(pool, claims, projectId, idOf(params.outlineId!, 'outline'));
  if (!board) throw new UserError('This outline does not exist or you cannot see it.', 'not_found');
  return board;
});
export const PATCH = endpoint(async (call) => ({
  outline: await updateOutline(call.pool, call.claims, call.projectId, await bodyWith(call, { outlineId: idOf(call.params.outlineId!, 'outline') })),
}));
