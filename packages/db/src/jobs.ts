import PgBoss from 'pg-boss';
import { JOB_NAMES, type JobName, type JobPayload, parseJobPayload } from '@quire/domain/jobs';
import { createPool, type Pool, type PoolClient } from './pool';

/**
 * Enqueueing background jobs (pg-boss 10, in the `pgboss` schema of the app's own database). The worker
 * (apps/worker) runs them; everything else only sends:
 *
 *   await enqueueJob(pool, 'stripe-event', { eventId })            // its own transaction
 *   await enqueueJob({ tx }, 'stripe-event', { eventId })          // inside the caller's transaction: both or neither
 *   const sender = await startJobSender(url); await enqueueJob(sender, …); await sender.stop();
 *
 * The payload is validated against packages/domain/src/jobs.ts before it is stored. Sending into the caller's
 * transaction needs the queue tables to exist already: call `ensureJobQueues(pool)` once at startup (the pool form
 * and the worker do it themselves).
 */

export type SendOptions = Omit<PgBoss.SendOptions, 'db'>;

export interface JobSender {
  readonly boss: PgBoss;
  stop(): Promise<void>;
}

/** A pool (or connection string), the caller's open transaction, or a started sender. */
export type JobTarget = Pool | string | { tx: PoolClient } | JobSender;

const SCHEMA = 'pgboss';

type Queryable = Pick<Pool, 'query'>;

function executor(db: Queryable): PgBoss.Db {
  // pg-boss hands schema scripts (several statements, no values) and single statements with values.
  return { executeSql: (text, values) => (values?.length ? db.query(text, values) : db.query(text)) };
}

/**
 * Inside a caller's transaction the role may be `authenticated` or `service_role` (withUser / withService), which do
 * not own the queue tables: the insert runs as the connection's own user and the caller's role comes back after it.
 */
function transactionExecutor(tx: PoolClient): PgBoss.Db {
  return {
    async executeSql(text, values) {
      const { rows } = await tx.query<{ role: string }>(`select current_setting('role') as role`);
      await tx.query('set local role none');
      try {
        return values?.length ? await tx.query(text, values) : await tx.query(text);
      } finally {
        await tx.query(`select set_config('role', $1, true)`, [rows[0]?.role ?? 'none']);
      }
    },
  };
}

// Only its configuration and SQL are used: every send passes the connection it runs on.
const detached = new PgBoss({ db: { executeSql: () => Promise.reject(new Error('no connection given')) }, schema: SCHEMA });

/** Installs or migrates the pg-boss schema and creates every queue packages/domain names. Idempotent. */
export async function ensureJobQueues(db: Queryable, names: readonly string[] = JOB_NAMES): Promise<void> {
  const boss = new PgBoss({ db: executor(db), schema: SCHEMA, supervise: false, schedule: false, migrate: true });
  await boss.start();
  for (const name of names) await boss.createQueue(name);
}

const ensured = new WeakMap<object, Promise<void>>();
const pools = new Map<string, Pool>();

/** ensureJobQueues, once per pool for the life of the process. */
export function ensureJobQueuesOnce(pool: Pool): Promise<void> {
  let done = ensured.get(pool);
  if (!done) {
    done = ensureJobQueues(pool);
    ensured.set(pool, done);
    done.catch(() => ensured.delete(pool));
  }
  return done;
}

function isSender(target: JobTarget): target is JobSender {
  return typeof target === 'object' && 'boss' in target;
}

/**
 * Validates `payload` and stores one job. Returns the job id, or null when pg-boss dropped it as a duplicate
 * (a `singletonKey` or `id` that is already queued).
 */
export async function enqueueJob<N extends JobName>(target: JobTarget, name: N, payload: JobPayload<N>, options: SendOptions = {}): Promise<string | null> {
  const data = parseJobPayload(name, payload) as object;
  let id: string | null;
  if (isSender(target)) {
    id = await target.boss.send(name, data, options);
  } else if (typeof target === 'object' && 'tx' in target) {
    id = await detached.send(name, data, { ...options, db: transactionExecutor(target.tx) });
  } else {
    let pool: Pool;
    if (typeof target === 'string') {
      pool = pools.get(target) ?? createPool(target, { max: 2, applicationName: 'quire-jobs' });
      pools.set(target, pool);
    } else {
      pool = target;
    }
    await ensureJobQueuesOnce(pool);
    id = await detached.send(name, data, { ...options, db: executor(pool) });
  }
  if (id === null && options.singletonKey === undefined && options.id === undefined) {
    throw new Error(`job "${name}" was not stored: its queue does not exist (call ensureJobQueues first)`);
  }
  return id;
}

/** A pg-boss instance that only sends (no polling, no maintenance), for scripts and tests that enqueue many jobs. */
export async function startJobSender(connectionString: string): Promise<JobSender> {
  const boss = new PgBoss({ connectionString, schema: SCHEMA, supervise: false, schedule: false, max: 4, application_name: 'quire-jobs' });
  boss.on('error', () => {});
  await boss.start();
  for (const name of JOB_NAMES) await boss.createQueue(name);
  return { boss, stop: () => boss.stop({ graceful: false, close: true }) };
}

/** Closes the pools that `enqueueJob(connectionString, …)` opened. */
export async function closeJobConnections(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map((pool) => pool.end()));
}

export { SCHEMA as JOB_SCHEMA };
