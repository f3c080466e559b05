import { UserError } from '@/lib/errors';
import { getExportsScreen, requestExport } from '@/server/exports';
import { bodyWith, endpoint } from '../http';

/** The Exports tab's data: history, imports, the owner's switch, this month's count against the plan. */
export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const screen = await getExportsScreen(pool, claims, projectId);
  if (!screen) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return screen;
});

/** Queues an export (402 when the plan's monthly exports are used up). */
export const POST = endpoint(async (call) => requestExport(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })), 202);
