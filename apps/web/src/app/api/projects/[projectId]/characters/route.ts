import { UserError } from '@/lib/errors';
import { createCharacter, getCast } from '@/server/bible/characters';
import { bodyWith, endpoint } from '../http';

/** The cast: `?q=` searches names and aliases, `?role=` and `?tag=` filter. */
export const GET = endpoint(async ({ request, pool, claims, projectId }) => {
  const params = new URL(request.url).searchParams;
  const filter = Object.fromEntries(['q', 'role', 'tag'].flatMap((key) => (params.get(key) ? [[key, params.get(key)]] : [])));
  const cast = await getCast(pool, claims, projectId, filter);
  if (!cast) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return cast;
});
export const POST = endpoint(async (call) => ({ character: await createCharacter(call.pool, call.claims, await bodyWith(call, { projectId: call.projectId })) }), 201);
