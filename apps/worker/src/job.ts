import type { Logger } from 'pino';
import type { Pool } from '@quire/db';
import type { WorkerConfig } from './config';
import type { SendOptions } from '@quire/db/jobs';
import { JOB_PAYLOADS, type JobData, type JobName, type JobPayload } from '@quire/domain/jobs';

/** What a handler gets besides its payload. */
export interface JobContext {
  /** The worker's settings (validated at start). */
  config: WorkerConfig;
  /** The worker's pool; jobs write through withService(ctx.pool, …) and say why. */
  pool: Pool;
  /** Carries the queue, job id and attempt on every line. */
  logger: Logger;
  jobId: string;
  /** 1 for the first try. */
  attempt: number;
  /** No retry is left after this attempt. */
  final: boolean;
  /** The worker's clock: jobs that depend on the date read it here, so tests can pin it. */
  now(): Date;
  /** Enqueue a follow-up job on the worker's own connection. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options?: SendOptions): Promise<string | null>;
}

export interface RetryPolicy {
  /** Retries after the first attempt (0: try once). */
  limit: number;
  delaySeconds: number;
  /** Doubles the delay each time. */
  backoff: boolean;
}

export interface JobDefinition<N extends JobName> {
  name: N;
  /** From packages/domain/src/jobs.ts: the payload is parsed with it before the handler sees it. */
  payload: (typeof JOB_PAYLOADS)[N];
  handler(data: JobData<N>, context: JobContext): Promise<unknown>;
  retry: RetryPolicy;
  /** A running attempt that takes longer fails (and is retried). */
  expireInSeconds: number;
  /** Jobs of this queue one worker process runs at once. */
  concurrency: number;
  /** Run on a cron schedule too (pg-boss's cron syntax; tz defaults to UTC). */
  schedule?: { cron: string; tz?: string; payload: JobPayload<N> };
  /** The owner, project or document a failure row is filed under. */
  subject?(data: JobData<N>): { userId?: string | null; projectId?: string | null; documentId?: string | null };
}

/** Any one of the definitions, each with its own payload type. */
export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];

const DEFAULT_RETRY: RetryPolicy = { limit: 3, delaySeconds: 30, backoff: true };

/** Fills in the payload schema from packages/domain and the defaults. */
export function defineJob<N extends JobName>(
  definition: Pick<JobDefinition<N>, 'name' | 'handler'> & Partial<Omit<JobDefinition<N>, 'name' | 'handler' | 'payload'>>,
): JobDefinition<N> {
  return {
    payload: JOB_PAYLOADS[definition.name],
    retry: DEFAULT_RETRY,
    expireInSeconds: 15 * 60,
    concurrency: 1,
    ...definition,
  };
}
