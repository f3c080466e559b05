import { UserError } from '@/lib/errors';
import { getLiveHub } from '@/server/live';
import { isMember, liveStream } from '@/server/live/stream';
import { endpoint } from '../http';

export const dynamic = 'force-dynamic';

/** Server-Sent Events: every committed change to this project's boards, for its members (docs/architecture.md). */
export const GET = endpoint(async ({ request, claims, pool, projectId }) => {
  if (!(await isMember(pool, claims, projectId))) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return liveStream({ hub: getLiveHub(), pool, claims, projectId, signal: request.signal });
});
