import { Counter, Registry } from 'prom-client';
import type { Pool } from './pool';
import { withService } from './session';

/**
 * How background jobs and webhooks report a failure, so every one of them is alertable and supportable the same way:
 * one counter per kind (the names ops/alerts.yml alerts on) and one structured log line carrying the ids support needs
 * to find the case (never tokens, payloads or manuscript text). Jobs and webhooks are the callers of withService(),
 * hence this lives beside it.
 */

export const FAILURE_METRICS = {
  job: { name: 'quire_job_failures_total', help: 'Background job attempts that failed, by queue and whether retries remain', labels: ['queue', 'final'] },
  webhook: { name: 'quire_webhook_failures_total', help: 'Webhook deliveries that could not be processed, by source and reason', labels: ['source', 'reason'] },
} as const;

/** The ids that let support find one failed job: the queue's and the domain's. */
export interface JobFailure {
  queue: string;
  jobId: string;
  attempt: number;
  /** true when no retry is left: the work is not done and someone must look. */
  final: boolean;
  projectId?: string | null;
  documentId?: string | null;
  userId?: string | null;
  error: unknown;
}

export interface WebhookFailure {
  source: string;
  /** short, fixed vocabulary: signature, parse, unknown-customer, handler, ... */
  reason: string;
  eventId?: string | null;
  eventType?: string | null;
  customerId?: string | null;
  userId?: string | null;
  error?: unknown;
}

/** The part of a pino logger this needs. */
export interface FailureLogger {
  error(fields: object, message: string): void;
}

function describe(error: unknown): { name: string; message: string } | undefined {
  if (error === undefined) return undefined;
  if (error instanceof Error) return { name: error.name, message: error.message.slice(0, 500) };
  return { name: typeof error, message: String(error).slice(0, 500) };
}

/** One failure as stored in public.background_failures (what an owner or ops screen lists). */
export interface FailureRow {
  kind: 'job' | 'webhook';
  /** the queue of a job, the source of a webhook */
  source: string;
  reason: string | null;
  referenceId: string | null;
  attempt: number | null;
  final: boolean;
  userId: string | null;
  projectId: string | null;
  error: { name: string; message: string } | undefined;
}

/** Where rows go: `storeFailuresIn(pool)`, or anything else that keeps them. */
export type FailureStore = (row: FailureRow) => Promise<void>;

/** Writes failure rows through the service role (the table is not writable by users). */
export function storeFailuresIn(pool: Pool): FailureStore {
  return async (row) => {
    await withService(pool, (tx) =>
      tx.query(
        `insert into public.background_failures (kind, source, reason, reference_id, attempt, final, user_id, project_id, error_name, error_message)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [row.kind, row.source, row.reason, row.referenceId, row.attempt, row.final, row.userId, row.projectId, row.error?.name ?? null, row.error?.message ?? null],
      ),
    );
  };
}

/**
 * `registry`: the process's own, whose GET /metrics the alerts read; a new one when left out.
 * `store`: also keep a row per failure; job() and webhook() then resolve once it is written (a failing store is
 * logged, never thrown: the report must not hide the failure it reports).
 */
export function failureReporter(logger: FailureLogger, registry: Registry = new Registry(), store?: FailureStore) {
  const keep = async (row: FailureRow) => {
    if (!store) return;
    try {
      await store(row);
    } catch (error) {
      logger.error({ event: 'failure.store_failed', kind: row.kind, source: row.source, err: describe(error) }, 'could not store a failure row');
    }
  };
  const jobs = new Counter({ name: FAILURE_METRICS.job.name, help: FAILURE_METRICS.job.help, labelNames: [...FAILURE_METRICS.job.labels], registers: [registry] });
  const webhooks = new Counter({ name: FAILURE_METRICS.webhook.name, help: FAILURE_METRICS.webhook.help, labelNames: [...FAILURE_METRICS.webhook.labels], registers: [registry] });
  return {
    registry,
    job(failure: JobFailure) {
      jobs.inc({ queue: failure.queue, final: String(failure.final) });
      logger.error(
        {
          event: 'job.failed',
          queue: failure.queue,
          jobId: failure.jobId,
          attempt: failure.attempt,
          final: failure.final,
          projectId: failure.projectId ?? undefined,
          documentId: failure.documentId ?? undefined,
          userId: failure.userId ?? undefined,
          err: describe(failure.error),
        },
        failure.final ? 'job failed for good' : 'job failed, will retry',
      );
      return keep({
        kind: 'job',
        source: failure.queue,
        reason: null,
        referenceId: failure.jobId,
        attempt: failure.attempt,
        final: failure.final,
        userId: failure.userId ?? null,
        projectId: failure.projectId ?? null,
        error: describe(failure.error),
      });
    },
    webhook(failure: WebhookFailure) {
      webhooks.inc({ source: failure.source, reason: failure.reason });
      logger.error(
        {
          event: 'webhook.failed',
          source: failure.source,
          reason: failure.reason,
          eventId: failure.eventId ?? undefined,
          eventType: failure.eventType ?? undefined,
          customerId: failure.customerId ?? undefined,
          userId: failure.userId ?? undefined,
          err: describe(failure.error),
        },
        'webhook failed',
      );
      return keep({
        kind: 'webhook',
        source: failure.source,
        reason: failure.reason,
        referenceId: failure.eventId ?? null,
        attempt: null,
        final: true,
        userId: failure.userId ?? null,
        projectId: null,
        error: describe(failure.error),
      });
    },
  };
}

export type FailureReporter = ReturnType<typeof failureReporter>;

/** How many jobs or webhooks of one source failed in a window: what the operators' status page shows. */
export interface FailureCount {
  kind: 'job' | 'webhook';
  source: string;
  /** attempts with no retry left */
  final: number;
  /** attempts that were retried */
  retried: number;
  last: Date;
}

/** The failures of the last `hours`, counted per kind and source, the most recent first. No ids or messages: counts only. */
export async function countRecentFailures(pool: Pool, hours: number): Promise<FailureCount[]> {
  const { rows } = await withService(pool, (tx) =>
    tx.query<{ kind: 'job' | 'webhook'; source: string; final: number; retried: number; last: Date }>(
      `select kind, source, count(*) filter (where final)::int as final, count(*) filter (where not final)::int as retried,
              max(created_at) as last
         from public.background_failures where created_at >= now() - make_interval(secs => $1 * 3600)
        group by kind, source order by max(created_at) desc`,
      [hours],
    ),
  );
  return rows;
}

/** One stored failure with the ids support needs, as `pnpm quire failures` prints it. */
export interface StoredFailure extends FailureRow {
  id: number;
  createdAt: Date;
}

/** The failures of the last `hours`, newest first, at most `limit`. */
export async function listRecentFailures(pool: Pool, hours: number, limit = 200): Promise<StoredFailure[]> {
  const { rows } = await withService(pool, (tx) =>
    tx.query(
      `select id, kind, source, reason, reference_id, attempt, final, user_id, project_id, error_name, error_message, created_at
         from public.background_failures where created_at >= now() - make_interval(secs => $1 * 3600)
        order by created_at desc, id desc limit $2`,
      [hours, limit],
    ),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    source: r.source,
    reason: r.reason,
    referenceId: r.reference_id,
    attempt: r.attempt,
    final: r.final,
    userId: r.user_id,
    projectId: r.project_id,
    error: r.error_name ? { name: r.error_name, message: r.error_message ?? '' } : undefined,
    createdAt: r.created_at,
  }));
}
