import { StorageClient } from '@supabase/storage-js';
import { SignJWT } from 'jose';
import { z } from 'zod';

/**
 * The private `exports` bucket through supabase-js's storage client (@supabase/storage-js), as the service role: Supabase Storage in production, the
 * web app's Storage-compatible subset (/storage/v1) on the embedded default. The policies let only the service role
 * write there (supabase/migrations/20261203200000_storage_buckets.sql); members read through signed links.
 */
export interface ExportStore {
  /** Stores the file under `path`, replacing what a previous attempt of the same job left there. */
  put(path: string, bytes: Uint8Array, contentType: string): Promise<void>;
  remove(paths: string[]): Promise<void>;
}

// an empty variable means unset, as in a .env file with `NAME=`
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const env = z
  .object({
    // Supabase's project URL, or the web app's address when it serves the embedded storage subset
    SUPABASE_URL: optional(z.url()),
    APP_URL: optional(z.url()),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SUPABASE_SERVICE_ROLE_KEY: optional(z.string().min(1)),
    SUPABASE_JWT_SECRET: optional(z.string().min(32)),
  })
  .refine((e) => e.SUPABASE_SERVICE_ROLE_KEY || e.SUPABASE_JWT_SECRET, {
    message: 'exports need SUPABASE_SERVICE_ROLE_KEY (or, on the embedded default, SUPABASE_JWT_SECRET) to write to storage',
  });

const BUCKET = 'exports';
let cached: ExportStore | undefined;

/** The service role's key: Supabase's, or one signed like the embedded auth signs it (role service_role). */
async function serviceKey(e: z.output<typeof env>): Promise<string> {
  if (e.SUPABASE_SERVICE_ROLE_KEY) return e.SUPABASE_SERVICE_ROLE_KEY;
  return new SignJWT({ iss: 'supabase', role: 'service_role' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10y')
    .sign(new TextEncoder().encode(e.SUPABASE_JWT_SECRET!));
}

export function storeFromEnv(source: NodeJS.ProcessEnv = process.env): ExportStore {
  const parsed = env.safeParse(source);
  if (!parsed.success) throw new Error(`Exports cannot reach storage: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const e = parsed.data;
  const url = (e.SUPABASE_URL ?? e.APP_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, '');
  const bucket = serviceKey(e).then((key) => new StorageClient(`${url}/storage/v1`, { apikey: key, Authorization: `Bearer ${key}` }).from(BUCKET));
  return {
    async put(path, bytes, contentType) {
      const { error } = await (await bucket).upload(path, bytes, { contentType, upsert: true });
      if (error) throw new Error(`storage refused ${path}: ${error.message}`);
    },
    async remove(paths) {
      if (paths.length === 0) return;
      const { error } = await (await bucket).remove(paths);
      if (error) throw new Error(`storage did not remove ${paths.length} files: ${error.message}`);
    },
  };
}

export function exportStore(): ExportStore {
  cached ??= storeFromEnv();
  return cached;
}
