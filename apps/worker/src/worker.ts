import PgBoss from 'pg-boss';
import { pino, type Logger } from 'pino';
import { createPool } from '@quire/db';
import { failureReporter, storeFailuresIn } from '@quire/db/failures';
import { JOB_SCHEMA, enqueueJob } from '@quire/db/jobs';
import { resolveConfig, type WorkerConfigInput } from './config';
import { startHttp } from './http';
import type { AnyJobDefinition, JobContext, JobDefinition } from './job';
import { JOBS } from './jobs';
import { createMetrics } from './metrics';

export interface WorkerOptions {
  /** The jobs to run; every registered one when left out. */
  jobs?: AnyJobDefinition[];
  /** The clock jobs read (tests pin it). */
  now?: () => Date;
  logger?: Logger;
}

export type RunningWorker = Awaited<ReturnType<typeof startWorker>>;

/** Starts polling every job's queue and serves /health and /metrics. stop() lets running jobs finish first. */
export async function startWorker(input: WorkerConfigInput, options: WorkerOptions = {}) {
  const config = resolveConfig(input);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'worker' } });
  const now = options.now ?? (() => new Date());
  const jobs = options.jobs ?? JOBS;
  const metrics = createMetrics();
  const pool = createPool(config.databaseUrl, { max: config.dbPoolSize, applicationName: 'quire-worker' });
  const failures = failureReporter(logger, metrics.registry, storeFailuresIn(pool));
  const boss = new PgBoss({
    connectionString: config.databaseUrl,
    schema: JOB_SCHEMA,
    application_name: 'quire-worker-queue',
    max: 4,
    supervise: true,
    schedule: config.schedule,
  });
  boss.on('error', (error) => logger.error({ err: error }, 'queue error'));
  await boss.start();

  const sender = { boss, stop: async () => {} };
  for (const job of jobs) await register(job as JobDefinition<typeof job.name>);

  async function register<N extends AnyJobDefinition['name']>(job: JobDefinition<N>) {
    const queue: PgBoss.Queue = {
      name: job.name,
      retryLimit: job.retry.limit,
      retryDelay: job.retry.delaySeconds,
      retryBackoff: job.retry.backoff,
      expireInSeconds: job.expireInSeconds,
    };
    // created by whoever enqueues first (with pg-boss's defaults), so the policy is (re)applied here
    await boss.createQueue(job.name, queue);
    await boss.updateQueue(job.name, queue);
    const handle = async ([raw]: PgBoss.JobWithMetadata<object>[]) => {
      if (!raw) return;
      const started = performance.now();
      const attempt = raw.retryCount + 1;
      const final = raw.retryCount >= raw.retryLimit;
      const parsed = job.payload.safeParse(raw.data);
      if (!parsed.success) {
        // a payload that does not parse will not parse on a retry either: record it for good and complete the job
        metrics.attempt(job.name, 'invalid', (performance.now() - started) / 1000);
        await failures.job({ queue: job.name, jobId: raw.id, attempt, final: true, error: new Error(`invalid payload: ${parsed.error.message}`) });
        return { invalid: true };
      }
      const data = parsed.data as Parameters<typeof job.handler>[0];
      const context: JobContext = {
        config,
        pool,
        logger: logger.child({ queue: job.name, jobId: raw.id, attempt }),
        jobId: raw.id,
        attempt,
        final,
        now,
        enqueue: (name, payload, sendOptions) => enqueueJob(sender, name, payload, sendOptions),
      };
      try {
        const result = await job.handler(data, context);
        metrics.attempt(job.name, 'completed', (performance.now() - started) / 1000);
        return result ?? undefined;
      } catch (error) {
        metrics.attempt(job.name, 'failed', (performance.now() - started) / 1000);
        const subject = safeSubject(job, data);
        await failures.job({ queue: job.name, jobId: raw.id, attempt, final, ...subject, error });
        throw error;
      }
    };
    for (let i = 0; i < job.concurrency; i++) {
      await boss.work(job.name, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: config.pollSeconds }, handle);
    }
    if (job.schedule && config.schedule) {
      await boss.schedule(job.name, job.schedule.cron, job.payload.parse(job.schedule.payload) as object, { tz: job.schedule.tz ?? 'UTC' });
    }
  }

  let stopping = false;
  const http = await startHttp({
    host: config.host,
    port: config.port,
    registry: metrics.registry,
    healthy: async () => {
      if (stopping) return false;
      await pool.query('select 1');
      return true;
    },
  });
  logger.info({ port: http.port, queues: jobs.map((job) => job.name) }, 'worker started');

  return {
    port: http.port,
    logger,
    registry: metrics.registry,
    boss,
    pool,
    /** Lets running jobs finish (up to the shutdown timeout), then closes everything. */
    async stop() {
      if (stopping) return;
      stopping = true;
      await boss.stop({ graceful: true, wait: true, timeout: config.shutdownTimeoutMs });
      await http.close();
      await pool.end();
      logger.info('worker stopped');
    },
  };
}

function safeSubject<N extends AnyJobDefinition['name']>(job: JobDefinition<N>, data: Parameters<JobDefinition<N>['handler']>[0]) {
  try {
    return job.subject?.(data) ?? {};
  } catch {
    return {};
  }
}
