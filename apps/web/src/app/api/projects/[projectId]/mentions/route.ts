import { UserError } from '@/lib/errors';
import { getMentionsOverview } from '@/server/bible/mentions';
import { endpoint } from '../http';

export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const overview = await getMentionsOverview(pool, claims, projectId);
  if (!overview) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return overview;
});
