import { UserError } from '@/lib/errors';
import { callerToken } from '@/lib/http';
import { readPortrait, removePortrait, setPortrait } from '@/server/bible/characters';
import { PICTURE_LIMIT, TOO_LARGE } from '@/server/storage/pictures';
import { userStorage } from '@/server/storage/client';
import { bodyWith, endpoint, idOf } from '../../../http';

/**
 * The portrait, `?size=thumb` (256 px square) or `?size=display` (at most 1200 px), read through storage as the
 * caller. Pages add `&v=<picture id>`, so a new picture is a new address and the browser may keep the old one.
 */
export const GET = endpoint(async ({ request, pool, claims, params }) => {
  const size = new URL(request.url).searchParams.get('size') === 'display' ? 'display' : 'thumb';
  const storage = await userStorage(await callerToken(request));
  const picture = await readPortrait(pool, claims, storage, idOf(params.characterId!, 'character'), size);
  if (!picture) throw new UserError('This character has no portrait you can see.', 'not_found');
  return new Response(picture, { headers: { 'content-type': 'image/webp', 'cache-control': 'private, max-age=86400' } });
});

/**
 * A new portrait: a form upload with `file` and `version`. The bytes decide the type (JPEG, PNG, WebP or GIF, whatever
 * the name or the browser says), the picture must decode whole, and it is stored re-encoded in the uploader's folder.
 */
export const POST = endpoint(async ({ request, pool, claims, projectId, params }) => {
  const characterId = idOf(params.characterId!, 'character');
  if (Number(request.headers.get('content-length') ?? 0) > PICTURE_LIMIT + 64 * 1024) throw new UserError(TOO_LARGE, 'invalid');
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new UserError('Send the picture as a form upload with a “file” field.', 'invalid');
  }
  const file = form.get('file');
  if (!(file instanceof Blob) || file.size === 0) throw new UserError('Choose a picture to upload.', 'invalid');
  if (file.size > PICTURE_LIMIT) throw new UserError(TOO_LARGE, 'invalid');
  const storage = await userStorage(await callerToken(request));
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { character: await setPortrait(pool, claims, storage, projectId, { characterId, version: Number(form.get('version')), bytes }) };
});

/** `{ version }`: takes the portrait off; its stored pictures are removed with it. */
export const DELETE = endpoint(async (call) => ({
  character: await removePortrait(call.pool, call.claims, call.projectId, await bodyWith(call, { characterId: idOf(call.params.characterId!, 'character') }) as { characterId: string; version: unknown }),
}));
