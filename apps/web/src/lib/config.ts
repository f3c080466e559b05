import path from 'node:path';
import { z } from 'zod';
import { parseProxyEntry } from './auth/client-ip';

/**
 * The one place the web app reads its environment. Parsed on first use, not at import, because `next build` imports
 * every module without the runtime settings.
 */
const schema = z
  .object({
    DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (a postgres:// URL).'),
    SUPABASE_JWT_SECRET: z.string().min(32, 'SUPABASE_JWT_SECRET must be at least 32 characters.'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.url().optional(),
    COLLAB_URL: z
      .string()
      .regex(/^wss?:\/\//, 'COLLAB_URL must be a ws:// or wss:// URL.')
      .default('ws://127.0.0.1:1234'),
    COLLAB_HEALTH_URL: z.url().default('http://127.0.0.1:1234/health'),
    SUPABASE_URL: z.url().optional(),
    SUPABASE_ANON_KEY: z.string().min(1).optional(),
    SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    // Addresses or CIDR blocks of the reverse proxies in front of the web app, comma-separated. Only their
    // x-forwarded-for entries are believed; by default none are, and the socket's peer is the client.
    TRUSTED_PROXIES: z
      .string()
      .default('')
      .transform((text) => text.split(',').map((s) => s.trim()).filter(Boolean))
      .refine((entries) => entries.every((entry) => parseProxyEntry(entry)), {
        message: 'TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR blocks (e.g. 10.0.0.0/8, ::1).',
      }),
    WEB_HOST: z.string().min(1).default('127.0.0.1'),
    // Where the embedded storage keeps object bytes; the launcher passes <data folder>/storage.
    QUIRE_STORAGE_DIR: z.string().min(1).optional(),
  })
  .refine((env) => !env.SUPABASE_URL || env.SUPABASE_ANON_KEY, {
    message: 'SUPABASE_ANON_KEY is required when SUPABASE_URL is set.',
    path: ['SUPABASE_ANON_KEY'],
  });

export interface Config {
  databaseUrl: string;
  jwtSecret: string;
  port: number;
  /** Where people open the app; used in invitation links. */
  appUrl: string;
  collabUrl: string;
  collabHealthUrl: string;
  accessTokenTtl: number;
  /** Reverse proxies whose x-forwarded-for entries are believed (addresses or CIDR blocks); empty: none. */
  trustedProxies: string[];
  /** Where server.ts listens. */
  hostname: string;
  /** The embedded storage's folder for object bytes (unused when Supabase Storage serves /storage/v1). */
  storageDir: string;
  auth:
    | { mode: 'supabase'; url: string; anonKey: string; serviceRoleKey?: string }
    | { mode: 'embedded' };
}

let cached: Config | undefined;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || 'env'}: ${issue.message}`);
    throw new Error(`The web app's settings are not valid:\n${lines.join('\n')}`);
  }
  const e = result.data;
  return {
    databaseUrl: e.DATABASE_URL,
    jwtSecret: e.SUPABASE_JWT_SECRET,
    port: e.PORT,
    appUrl: (e.APP_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/$/, ''),
    collabUrl: e.COLLAB_URL,
    collabHealthUrl: e.COLLAB_HEALTH_URL,
    accessTokenTtl: e.ACCESS_TOKEN_TTL_SECONDS,
    trustedProxies: e.TRUSTED_PROXIES,
    hostname: e.WEB_HOST,
    storageDir: path.resolve(e.QUIRE_STORAGE_DIR ?? '.data/storage'),
    auth: e.SUPABASE_URL
      ? { mode: 'supabase', url: e.SUPABASE_URL.replace(/\/$/, ''), anonKey: e.SUPABASE_ANON_KEY!, serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY }
      : { mode: 'embedded' },
  };
}

export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
