import { expireGracePeriods } from '@quire/db/billing';
import { defineJob } from '../job';

/**
 * Hourly: owners whose renewal payment has kept failing past the grace period (GRACE_DAYS) move to the free plan.
 * Nothing is deleted; the free plan's limits apply to anything new (docs/billing.md, "Downgrades").
 */
export const billingGraceExpiry = defineJob({
  name: 'billing-grace-expiry',
  retry: { limit: 3, delaySeconds: 60, backoff: true },
  expireInSeconds: 5 * 60,
  schedule: { cron: '17 * * * *', tz: 'UTC', payload: {} },
  async handler(data, { pool, now, logger }) {
    const asOf = data.asOf ? new Date(data.asOf) : now();
    const downgraded = await expireGracePeriods(pool, asOf);
    if (downgraded.length) logger.info({ count: downgraded.length }, 'grace periods ended: moved to free');
    return { downgraded: downgraded.length };
  },
});
