import { UserError } from '@/lib/errors';
import { getBibleCards } from '@/server/bible/mentions';
import { endpoint } from '../http';

/** The cast and places the editor's name cards show. */
export const GET = endpoint(async ({ pool, claims, projectId }) => {
  const cards = await getBibleCards(pool, claims, projectId);
  if (!cards) throw new UserError('This project does not exist or you are not a member.', 'not_found');
  return cards;
});
