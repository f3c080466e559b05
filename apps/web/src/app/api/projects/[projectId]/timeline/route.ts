import { UserError } from '@/lib/errors';
import { createEvent, getTimeline } from '@/server/bible/timeline';
import { bodyWith, endpoint } from '../http';

/** GET ?locationId=…&characterId=… filters; the location filter takes in the places within it. */
export const GET = endpoint(async ({ pool, claims, projectId, request }) => {
  const query = new URL(request.url).searchParams;
  const filter = Object.fromEntries(['locationId', 'characterId'].flatMap((k) => (query.get(k) ? [[k, query.get(k)]] : [])));
  const timeline = await getTimeline(pool, claims, projectId, filter);
  if (!timeline) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return timeline;
});
export const POST = endpoint(async (call) => ({ event: await createEvent(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
