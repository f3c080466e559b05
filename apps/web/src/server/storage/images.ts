import sharp from 'sharp';
import { isImageType, sniffType } from './sniff';

/** A picture refused for what it is, worded for the person who chose the file. */
export class ImageRefused extends Error {
  constructor(
    message: string,
    readonly code: 'InvalidMimeType' | 'InvalidImage' | 'EntityTooLarge',
  ) {
    super(message);
    this.name = 'ImageRefused';
  }
}

const MAX_PIXELS = 40_000_000;

/**
 * Proves the bytes are a whole picture of an allowed type: the signature decides the type, then the whole image is
 * decoded, so a truncated file or one that only starts like a picture is refused.
 */
export async function checkImage(bytes: Uint8Array, allowed: readonly string[]): Promise<string> {
  const type = sniffType(bytes);
  if (!isImageType(type) || !allowed.includes(type)) {
    throw new ImageRefused('That file is not a JPEG, PNG, WebP or GIF picture.', 'InvalidMimeType');
  }
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS }).stats();
  } catch {
    throw new ImageRefused('That picture is damaged or incomplete. Try saving it again and uploading the new file.', 'InvalidImage');
  }
  return type;
}

export interface PictureVariants {
  display: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

export const DISPLAY_SIZE = 1200;
export const THUMB_SIZE = 256;

/**
 * Re-encodes an uploaded picture: a display size (longest side at most 1200 px) and a square thumbnail, both WebP,
 * turned upright from the camera's orientation and without the original's metadata (location, camera).
 */
export async function pictureVariants(bytes: Uint8Array): Promise<PictureVariants> {
  const base = () => sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS }).rotate();
  try {
    const display = await base()
      .resize({ width: DISPLAY_SIZE, height: DISPLAY_SIZE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    const thumb = await base().resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: 'cover', position: 'attention' }).webp({ quality: 78 }).toBuffer();
    return { display: display.data, thumb, width: display.info.width, height: display.info.height };
  } catch {
    throw new ImageRefused('That picture is damaged or incomplete. Try saving it again and uploading the new file.', 'InvalidImage');
  }
}
