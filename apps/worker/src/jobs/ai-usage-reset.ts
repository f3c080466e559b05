import { resetMonthlyAiWords } from '@quire/db/billing';
import { defineJob } from '../job';

/**
 * The monthly AI-words reset: on the 1st of each UTC month (00:05) every owner's counter starts again. Idempotent
 * (a second run finds nobody in an older month) and fine to run late; the usage trigger also starts a new month by
 * itself, so a missed run never blocks anyone.
 */
export const aiUsageReset = defineJob({
  name: 'ai-usage-reset',
  retry: { limit: 5, delaySeconds: 60, backoff: true },
  expireInSeconds: 10 * 60,
  schedule: { cron: '5 0 1 * *', tz: 'UTC', payload: {} },
  async handler(data, { pool, now, logger }) {
    const asOf = data.asOf ? new Date(data.asOf) : now();
    const reset = await resetMonthlyAiWords(pool, asOf);
    logger.info({ asOf: asOf.toISOString(), reset }, 'AI words month started');
    return { reset };
  },
});
