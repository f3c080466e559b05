import { z } from 'zod';
import { priceTiersFromEnv, type PriceTiers } from '@quire/db/billing';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Everything the worker reads from its environment. Names match .env.example. */
const envSchema = z.object({
  DATABASE_URL: z.string({ error: 'is required (postgres://…)' }).min(1, 'is required (postgres://…)'),
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_HOST: z.string().default('127.0.0.1'),
  WORKER_POLL_SECONDS: z.coerce.number().min(0.5).max(60).default(2),
  WORKER_DB_POOL_SIZE: z.coerce.number().int().min(2).max(100).default(6),
  WORKER_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  WORKER_SCHEDULE: z.enum(['on', 'off']).default('on'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // the plan each Stripe price sells, for applying subscription events (the web app validates them against Stripe)
  STRIPE_PRICE_PRO: z.string().optional(),
  STRIPE_PRICE_TEAM: z.string().optional(),
});

export interface WorkerConfig {
  databaseUrl: string;
  /** /health and /metrics; 0 picks a free port (tests). */
  port: number;
  host: string;
  /** How often an idle queue is polled (pg-boss's minimum is 0.5). */
  pollSeconds: number;
  /** Connections for the job handlers; pg-boss keeps its own few beside them. */
  dbPoolSize: number;
  /** SIGTERM lets running jobs finish for this long, then fails them back to the queue for a retry. */
  shutdownTimeoutMs: number;
  /** Whether this process registers the cron schedules (one per deployment is enough; pg-boss dedupes anyway). */
  schedule: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Stripe price id -> plan (STRIPE_PRICE_PRO, STRIPE_PRICE_TEAM). */
  priceTiers: PriceTiers;
}

export type WorkerConfigInput = Pick<WorkerConfig, 'databaseUrl'> & Partial<WorkerConfig>;

export const DEFAULTS: Omit<WorkerConfig, 'databaseUrl'> = {
  port: 9464,
  host: '127.0.0.1',
  pollSeconds: 2,
  dbPoolSize: 6,
  shutdownTimeoutMs: 30_000,
  schedule: true,
  logLevel: 'info',
  priceTiers: {},
};

export function resolveConfig(input: WorkerConfigInput): WorkerConfig {
  return { ...DEFAULTS, ...input };
}

/** Reads and validates the environment; throws one error listing every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`Invalid worker configuration: ${problems}`);
  }
  const e = parsed.data;
  return resolveConfig({
    databaseUrl: e.DATABASE_URL,
    port: e.WORKER_PORT,
    host: e.WORKER_HOST,
    pollSeconds: e.WORKER_POLL_SECONDS,
    dbPoolSize: e.WORKER_DB_POOL_SIZE,
    shutdownTimeoutMs: e.WORKER_SHUTDOWN_TIMEOUT_MS,
    schedule: e.WORKER_SCHEDULE === 'on',
    logLevel: e.LOG_LEVEL,
    priceTiers: priceTiersFromEnv({ STRIPE_PRICE_PRO: e.STRIPE_PRICE_PRO, STRIPE_PRICE_TEAM: e.STRIPE_PRICE_TEAM }),
  });
}
