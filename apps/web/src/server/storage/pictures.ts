import { randomUUID } from 'node:crypto';
import { UserError } from '../../lib/errors';
import type { StorageApi } from './client';
import { ImageRefused, pictureType, pictureVariants } from './images';
import { IMAGE_TYPES } from './sniff';

/**
 * Pictures of the story bible (character portraits, location images) in the private `character-images` bucket:
 * each upload is checked (size, type by its bytes, a whole picture), re-encoded into a display size and a thumbnail,
 * and stored as `<uploader>/<subject id>/<fresh uuid>/{display,thumb}.webp` through the storage API as the uploader,
 * so the bucket's own-folder policies hold in both modes. The row stores the display picture's name; the thumbnail
 * sits beside it. A fresh folder per upload means a replaced picture never changes under a cached URL, and the old
 * folder is queued for removal by the database when the row stops pointing at it.
 */

export const PICTURE_BUCKET = 'character-images';
/** The bucket's own limit (20261104000000_character_images.sql) */
export const PICTURE_LIMIT = 5 * 1024 * 1024;
/** How long a signed picture link works; screens refetch well within it. */
const LINK_SECONDS = 60 * 60;

export const TOO_LARGE = 'That picture is larger than 5 MB. Choose a smaller one.';

/** The thumbnail's object name for a display picture (same folder). */
export function thumbOf(imagePath: string): string {
  return imagePath.replace(/[^/]+$/, 'thumb.webp');
}

export interface StoredPicture {
  /** the display picture's object name, for the row's image_path */
  imagePath: string;
  /** removes both files again, when the row could not be pointed at them */
  discard(): Promise<void>;
}

/** Checks, re-encodes and stores one uploaded picture; refusals are UserErrors a writer understands. */
export async function storePicture(storage: StorageApi, uploaderId: string, subjectId: string, bytes: Uint8Array): Promise<StoredPicture> {
  if (bytes.byteLength > PICTURE_LIMIT) throw new UserError(TOO_LARGE, 'invalid');
  if (bytes.byteLength === 0) throw new UserError('That file is empty. Choose a JPEG, PNG, WebP or GIF picture.', 'invalid');
  let variants;
  try {
    // the type from the signature; the re-encode decodes the whole picture, so a damaged one is refused there
    pictureType(bytes, IMAGE_TYPES);
    variants = await pictureVariants(bytes);
  } catch (error) {
    if (error instanceof ImageRefused) throw new UserError(error.message, 'invalid');
    throw error;
  }
  const folder = `${uploaderId}/${subjectId}/${randomUUID()}`;
  const names = [`${folder}/display.webp`, `${folder}/thumb.webp`];
  const bucket = storage.from(PICTURE_BUCKET);
  const discard = async () => {
    await bucket.remove(names);
  };
  for (const [name, file] of [[names[0]!, variants.display], [names[1]!, variants.thumb]] as const) {
    const { error } = await bucket.upload(name, file, { contentType: 'image/webp', cacheControl: '31536000' });
    if (error) {
      await discard();
      // a plan's storage limit is said as the database words it; anything else is ours to retry
      if ((error as { statusCode?: string }).statusCode === '413') throw new UserError(error.message, 'quota');
      throw new UserError('The picture could not be stored. Try again in a moment.', 'unavailable', undefined, { cause: error });
    }
  }
  return { imagePath: names[0]!, discard };
}

export interface PictureLinks {
  display: string;
  thumb: string;
}

/**
 * Signed links to the display picture and thumbnail of each path, as the person asking (the bucket's policies decide:
 * the uploader, and the members of a project whose character or location uses the picture). A path that cannot be
 * signed is left out, so one missing file never breaks a screen.
 */
export async function signPictures(storage: StorageApi, imagePaths: Array<string | null>): Promise<Record<string, PictureLinks>> {
  const paths = [...new Set(imagePaths.filter((p): p is string => !!p))];
  if (paths.length === 0) return {};
  const wanted = paths.flatMap((p) => [p, thumbOf(p)]);
  const { data, error } = await storage.from(PICTURE_BUCKET).createSignedUrls(wanted, LINK_SECONDS);
  if (error || !data) return {};
  const url = new Map(data.filter((d) => !d.error && d.signedUrl).map((d) => [d.path, d.signedUrl]));
  const links: Record<string, PictureLinks> = {};
  for (const p of paths) {
    const display = url.get(p);
    if (display) links[p] = { display, thumb: url.get(thumbOf(p)) ?? display };
  }
  return links;
}
