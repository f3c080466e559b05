import { unzipSync, zipSync, type Unzipped } from 'fflate';
import { ExportFormatError } from './errors';

export interface ZipLimits {
  /** total uncompressed bytes of all entries */
  maxUncompressedBytes: number;
  /** largest uncompressed/compressed ratio of one entry (a zip bomb's ratio runs to the thousands) */
  maxRatio: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxUncompressedBytes: 256 * 1024 * 1024, maxRatio: 200, maxEntries: 10_000 };

/**
 * The entries of a zip, refusing a bomb before anything is inflated: the central directory's declared sizes are
 * checked against the limits first, and inflating never writes past a declared size (fflate inflates into a buffer
 * of exactly that size), so an archive that lies about its sizes gets truncated entries, not unbounded memory.
 */
export function safeUnzip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS, want?: (name: string) => boolean): Unzipped {
  let total = 0;
  let entries = 0;
  try {
    return unzipSync(bytes, {
      filter(file) {
        entries++;
        if (entries > limits.maxEntries) throw new ExportFormatError('zip-bomb', `the archive has more than ${limits.maxEntries} entries`);
        total += file.originalSize;
        if (total > limits.maxUncompressedBytes) {
          throw new ExportFormatError('zip-bomb', `the archive would unpack to more than ${Math.round(limits.maxUncompressedBytes / 1048576)} MB`);
        }
        if (file.originalSize > 1_000_000 && file.originalSize / Math.max(1, file.size) > limits.maxRatio) {
          throw new ExportFormatError('zip-bomb', `"${file.name}" is compressed ${Math.round(file.originalSize / Math.max(1, file.size))}:1, which only a zip bomb is`);
        }
        return want ? want(file.name) : true;
      },
    });
  } catch (error) {
    if (error instanceof ExportFormatError) throw error;
    throw new ExportFormatError('corrupt', `the file is not a readable zip archive (${(error as Error).message})`);
  }
}

/** A clean archive of checked entries (stored, not compressed: it is only handed to a reader in memory). */
export function repack(entries: Unzipped): Uint8Array {
  return zipSync(entries, { level: 0 });
}
