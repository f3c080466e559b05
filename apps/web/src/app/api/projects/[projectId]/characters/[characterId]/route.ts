import { UserError } from '@/lib/errors';
import { deleteCharacter, updateCharacter } from '@/server/bible/characters';
import { getCharacterProfile } from '@/server/bible/profile';
import { bodyWith, endpoint, idOf } from '../../http';

export const GET = endpoint(async ({ pool, claims, projectId, params }) => {
  const profile = await getCharacterProfile(pool, claims, projectId, idOf(params.characterId!, 'character'));
  if (!profile) throw new UserError('This character does not exist, or you are not a member of its project.', 'not_found');
  return profile;
});
/** `{ version, patch: { name?, aliases?, role?, summary?, personality?, traits?, tags?, goal?, backstory?, notes? } }`; 409 when stale. */
export const PATCH = endpoint(async (call) => ({
  character: await updateCharacter(call.pool, call.claims, call.projectId, await bodyWith(call, { characterId: idOf(call.params.characterId!, 'character') })),
}));
/** Deletes the character with its relationships, arcs and event links; its pictures are queued for removal. */
export const DELETE = endpoint(async (call) => {
  await deleteCharacter(call.pool, call.claims, call.projectId, { characterId: idOf(call.params.characterId!, 'character') });
  return { ok: true };
});
