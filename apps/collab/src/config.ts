import { z } from 'zod';

const intFromEnv = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

/** Everything the collab server reads from its environment. Names match .env.example. */
const envSchema = z.object({
  DATABASE_URL: z.string({ error: 'is required (postgres://…)' }).min(1, 'is required (postgres://…)'),
  SUPABASE_JWT_SECRET: z
    .string({ error: 'is required (the project JWT secret)' })
    .min(16, 'must be at least 16 characters (the project JWT secret)'),
  SUPABASE_URL: z.url().optional(),
  REDIS_URL: z.string().optional(),
  COLLAB_PORT: z.coerce.number().int().min(0).max(65535).default(1234),
  COLLAB_HOST: z.string().default('127.0.0.1'),
  COLLAB_INSTANCE_NAME: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  COLLAB_DURABILITY_WINDOW_MS: intFromEnv(40),
  COLLAB_STORE_DEBOUNCE_MS: intFromEnv(2_000),
  COLLAB_STORE_MAX_DEBOUNCE_MS: intFromEnv(10_000),
  COLLAB_VERSION_IDLE_MS: intFromEnv(5 * 60_000),
  COLLAB_VERSION_INTERVAL_MS: intFromEnv(15 * 60_000),
  COLLAB_MAX_MESSAGE_BYTES: intFromEnv(16 * 1024 * 1024),
  COLLAB_MAX_DOCUMENT_BYTES: intFromEnv(64 * 1024 * 1024),
  COLLAB_RATE_MESSAGES_PER_SECOND: intFromEnv(300),
  COLLAB_RATE_BURST: intFromEnv(1_500),
  COLLAB_RATE_BYTES_PER_SECOND: intFromEnv(4 * 1024 * 1024),
  COLLAB_DB_POOL_SIZE: intFromEnv(10),
});

export interface CollabConfig {
  databaseUrl: string;
  jwtSecret: string;
  /** When set, tokens not signed with the HS256 secret are checked against `${supabaseUrl}/auth/v1/.well-known/jwks.json`. */
  supabaseUrl?: string;
  /** When set, instances share documents through Redis; without it this instance works alone. */
  redisUrl?: string;
  /** Prefix of every Redis key and channel; instances that should meet must share it. */
  redisPrefix: string;
  port: number;
  host: string;
  name?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Longest an applied update waits before its group commit to document_updates starts. */
  durabilityWindowMs: number;
  /** The store (yjs_state + JSON + text + word count, then log compaction) runs after this much quiet… */
  storeDebounceMs: number;
  /** …and at least this often while people keep typing. */
  storeMaxDebounceMs: number;
  /** A version is snapshotted after this long without edits (0 turns it off). */
  versionIdleMs: number;
  /** A version is snapshotted after this long of continuous editing (0 turns it off). */
  versionIntervalMs: number;
  maxMessageBytes: number;
  maxDocumentBytes: number;
  /** Per-connection token bucket: sustained messages per second, burst size, sustained bytes per second. */
  rateMessagesPerSecond: number;
  rateBurst: number;
  rateBytesPerSecond: number;
  /** Awareness entries (one per open editor) a single connection may publish. */
  maxAwarenessClientsPerConnection: number;
  /** A connection whose token expired gets this long to send a fresh one before it is closed. */
  tokenRefreshGraceMs: number;
  /** SIGTERM waits at most this long for the final stores. */
  shutdownTimeoutMs: number;
  dbPoolSize: number;
}

export type CollabConfigInput = Pick<CollabConfig, 'databaseUrl' | 'jwtSecret'> & Partial<CollabConfig>;

export const DEFAULTS: Omit<CollabConfig, 'databaseUrl' | 'jwtSecret'> = {
  redisPrefix: 'quire-collab',
  port: 1234,
  host: '127.0.0.1',
  logLevel: 'info',
  durabilityWindowMs: 40,
  storeDebounceMs: 2_000,
  storeMaxDebounceMs: 10_000,
  versionIdleMs: 5 * 60_000,
  versionIntervalMs: 15 * 60_000,
  maxMessageBytes: 16 * 1024 * 1024,
  maxDocumentBytes: 64 * 1024 * 1024,
  rateMessagesPerSecond: 300,
  rateBurst: 1_500,
  rateBytesPerSecond: 4 * 1024 * 1024,
  maxAwarenessClientsPerConnection: 4,
  tokenRefreshGraceMs: 10_000,
  shutdownTimeoutMs: 20_000,
  dbPoolSize: 10,
};

export function resolveConfig(input: CollabConfigInput): CollabConfig {
  const config: CollabConfig = { ...DEFAULTS, ...input };
  // The durability promise of the issue is 250 ms; the window plus a commit has to fit in it.
  if (config.durabilityWindowMs > 200) throw new Error('durabilityWindowMs must be at most 200 ms');
  if (config.storeMaxDebounceMs < config.storeDebounceMs) config.storeMaxDebounceMs = config.storeDebounceMs;
  return config;
}

/** Reads and validates the environment; throws one error listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CollabConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid collab configuration: ${problems}`);
  }
  const e = parsed.data;
  return resolveConfig({
    databaseUrl: e.DATABASE_URL,
    jwtSecret: e.SUPABASE_JWT_SECRET,
    supabaseUrl: e.SUPABASE_URL,
    redisUrl: e.REDIS_URL || undefined,
    port: e.COLLAB_PORT,
    host: e.COLLAB_HOST,
    name: e.COLLAB_INSTANCE_NAME,
    logLevel: e.LOG_LEVEL,
    durabilityWindowMs: e.COLLAB_DURABILITY_WINDOW_MS,
    storeDebounceMs: e.COLLAB_STORE_DEBOUNCE_MS,
    storeMaxDebounceMs: e.COLLAB_STORE_MAX_DEBOUNCE_MS,
    versionIdleMs: e.COLLAB_VERSION_IDLE_MS,
    versionIntervalMs: e.COLLAB_VERSION_INTERVAL_MS,
    maxMessageBytes: e.COLLAB_MAX_MESSAGE_BYTES,
    maxDocumentBytes: e.COLLAB_MAX_DOCUMENT_BYTES,
    rateMessagesPerSecond: e.COLLAB_RATE_MESSAGES_PER_SECOND,
    rateBurst: e.COLLAB_RATE_BURST,
    rateBytesPerSecond: e.COLLAB_RATE_BYTES_PER_SECOND,
    dbPoolSize: e.COLLAB_DB_POOL_SIZE,
  });
}
