import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The worker's own registry (one per instance, so tests running several do not share counters). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'quire_worker_' });
  const attempts = new Counter({
    name: 'quire_job_attempts_total',
    help: 'Job attempts finished, by queue and outcome (completed, failed, invalid)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'quire_job_duration_seconds',
    help: 'Time one job attempt took, by queue',
    labelNames: ['queue'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  return {
    registry,
    attempt(queue: string, outcome: 'completed' | 'failed' | 'invalid', seconds: number) {
      attempts.inc({ queue, outcome });
      duration.observe({ queue }, seconds);
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createMetrics>;
