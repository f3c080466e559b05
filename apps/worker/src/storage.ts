import { StorageClient } from '@supabase/storage-js';
import { SignJWT } from 'jose';
import { z } from 'zod';

/**
 * Storage as the service role, through supabase-js's storage client (@supabase/storage-js): Supabase Storage in
 * production (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY), the web app's Storage-compatible subset at /storage/v1 on
 * the embedded default (APP_URL, or 127.0.0.1:PORT, with a service-role key signed from SUPABASE_JWT_SECRET). Jobs
 * only: the service role passes every storage policy, so each caller says why it needs it.
 */

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
    message: 'storage jobs need SUPABASE_SERVICE_ROLE_KEY (or, on the embedded default, SUPABASE_JWT_SECRET)',
  });

/** The service role's key: Supabase's, or one signed like the embedded auth signs it (role service_role). */
async function serviceKey(e: z.output<typeof env>): Promise<string> {
  if (e.SUPABASE_SERVICE_ROLE_KEY) return e.SUPABASE_SERVICE_ROLE_KEY;
  return new SignJWT({ iss: 'supabase', role: 'service_role' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10y')
    .sign(new TextEncoder().encode(e.SUPABASE_JWT_SECRET!));
}

/** A service-role storage client from the environment; throws a message naming what is missing. */
export async function serviceStorageFromEnv(source: NodeJS.ProcessEnv = process.env): Promise<StorageClient> {
  const parsed = env.safeParse(source);
  if (!parsed.success) throw new Error(`Storage cannot be reached: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  const e = parsed.data;
  const url = (e.SUPABASE_URL ?? e.APP_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, '');
  const key = await serviceKey(e);
  return new StorageClient(`${url}/storage/v1`, { apikey: key, Authorization: `Bearer ${key}` });
}

let cached: Promise<StorageClient> | undefined;

/** The process's service-role storage client (built once from the environment). */
export function serviceStorage(): Promise<StorageClient> {
  cached ??= serviceStorageFromEnv().catch((error) => {
    cached = undefined;
    throw error;
  });
  return cached;
}
