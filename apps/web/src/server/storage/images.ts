import sharp, { type Sharp } from 'sharp';
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

/** The picture type the bytes start with, when the bucket allows it; a refusal otherwise. Reads no further. */
export function pictureType(bytes: Uint8Array, allowed: readonly string[]): string {
  const type = sniffType(bytes);
  if (!isImageType(type) || !allowed.includes(type)) {
    throw new ImageRefused('That file is not a JPEG, PNG, WebP or GIF picture.', 'InvalidMimeType');
  }
  return type;
}

const damaged = () => new ImageRefused('That picture is damaged or incomplete. Try saving it again and uploading the new file.', 'InvalidImage');

/**
 * Proves the bytes are a whole picture of an allowed type: the signature decides the type, then the whole image is
 * decoded, so a truncated file or one that only starts like a picture is refused.
 */
export async function checkImage(bytes: Uint8Array, allowed: readonly string[]): Promise<string> {
  const type = pictureType(bytes, allowed);
  try {
    await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS }).stats();
  } catch {
    throw damaged();
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
 * turned upright from the camera's orientation and without the original's metadata (location, camera). The original
 * is decoded once, to the display size (JPEGs shrink while they load), to the end: a file cut short is refused here
 * too. The thumbnail is cut from that decoded display size unless it is too small for one.
 */
export async function pictureVariants(bytes: Uint8Array): Promise<PictureVariants> {
  const input = { failOn: 'truncated', limitInputPixels: MAX_PIXELS } as const;
  const thumbOf = (image: Sharp) =>
    image.resize({ width: THUMB_SIZE, height: THUMB_SIZE, fit: 'cover', position: 'attention' }).webp({ quality: 78 }).toBuffer();
  try {
    const { data, info } = await sharp(bytes, input)
      .rotate()
      .resize({ width: DISPLAY_SIZE, height: DISPLAY_SIZE, fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const decoded = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    const [display, thumb] = await Promise.all([
      decoded().webp({ quality: 82 }).toBuffer(),
      thumbOf(Math.min(info.width, info.height) >= THUMB_SIZE ? decoded() : sharp(bytes, input).rotate()),
    ]);
    return { display, thumb, width: info.width, height: info.height };
  } catch {
    throw damaged();
  }
}

export interface CoverPicture {
  jpeg: Buffer;
  width: number;
  height: number;
}

/**
 * Re-encodes a book cover for an ebook: upright, fitted inside `box` without enlarging, transparency laid on white,
 * a baseline JPEG (the type every reading system shows) without the original's metadata. The original is decoded once,
 * to the end, so a file cut short is refused here (check its type first with pictureType).
 */
export async function coverPicture(bytes: Uint8Array, box: { width: number; height: number }): Promise<CoverPicture> {
  try {
    const { data, info } = await sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS })
      .rotate()
      .resize({ width: box.width, height: box.height, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 86, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch {
    throw damaged();
  }
}
