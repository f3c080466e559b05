import { serviceStorage, serviceStorageFromEnv } from '../../storage';

/**
 * The private `exports` bucket as the service role (../../storage.ts: Supabase Storage in production, the web app's
 * Storage-compatible subset on the embedded default). The policies let only the service role write there
 * (supabase/migrations/20261203200000_storage_buckets.sql); members read through signed links. The project's cover
 * picture is read from the private `covers` bucket the same way (20261203410000_project_covers.sql).
 */
export interface ExportStore {
  /** Stores the file under `path`, replacing what a previous attempt of the same job left there. */
  put(path: string, bytes: Uint8Array, contentType: string): Promise<void>;
  remove(paths: string[]): Promise<void>;
  /** The cover picture at `path` in the covers bucket, or null when it is no longer there. */
  cover(path: string): Promise<Uint8Array | null>;
}

const BUCKET = 'exports';
const COVERS = 'covers';
let cached: ExportStore | undefined;

export function storeFromEnv(source: NodeJS.ProcessEnv = process.env): ExportStore {
  const client = source === process.env ? serviceStorage() : serviceStorageFromEnv(source);
  client.catch(() => {}); // reported by the first put or remove
  const bucket = async () => (await client).from(BUCKET);
  return {
    async cover(path) {
      const { data, error } = await (await client).from(COVERS).download(path);
      if (error) {
        // a cover removed between the job's read and now: the book goes out without one, as it would a moment later
        if ((error as { status?: number }).status === 404) return null;
        throw new Error(`storage did not give the cover ${path}: ${error.message}`);
      }
      return new Uint8Array(await data.arrayBuffer());
    },
    async put(path, bytes, contentType) {
      const { error } = await (await bucket()).upload(path, bytes, { contentType, upsert: true });
      if (error) throw new Error(`storage refused ${path}: ${error.message}`);
    },
    async remove(paths) {
      if (paths.length === 0) return;
      const { error } = await (await bucket()).remove(paths);
      if (error) throw new Error(`storage did not remove ${paths.length} files: ${error.message}`);
    },
  };
}

export function exportStore(): ExportStore {
  cached ??= storeFromEnv();
  return cached;
}
