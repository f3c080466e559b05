import { defineJob } from '../job';

/**
 * Proves the queue end to end: enqueue `worker-canary` and watch it complete (or, with `failAttempts`, fail and be
 * retried, which is how the failure alerts and rows are checked).
 */
export const workerCanary = defineJob({
  name: 'worker-canary',
  retry: { limit: 2, delaySeconds: 1, backoff: false },
  expireInSeconds: 60,
  async handler(data, { attempt, logger }) {
    if (attempt <= data.failAttempts) throw new Error(`canary told to fail attempt ${attempt} of ${data.failAttempts}`);
    logger.info({ note: data.note }, 'canary ran');
    return { attempt, note: data.note };
  },
});
