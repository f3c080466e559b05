import { BillingError, applyStripeEvent, markStripeEventFailed } from '@quire/db/billing';
import { defineJob } from '../job';

/**
 * Applies one Stripe event the webhook recorded (subscription_events). Exactly once: the event row is locked and
 * marked processed in the same transaction as the plan change, so a retry or a second job for the same event finds
 * it done. After the last retry the event is marked failed (and the worker's failure reporter keeps a row).
 */
export const stripeEvent = defineJob({
  name: 'stripe-event',
  retry: { limit: 5, delaySeconds: 10, backoff: true },
  expireInSeconds: 60,
  concurrency: 4,
  async handler(data, { pool, config, final, logger }) {
    try {
      const result = await applyStripeEvent(pool, data.eventId, { priceTiers: config.priceTiers });
      logger.info({ eventId: data.eventId, outcome: result.outcome, userId: result.userId ?? undefined }, 'stripe event processed');
      return result;
    } catch (error) {
      if (final) await markStripeEventFailed(pool, data.eventId, error);
      if (error instanceof BillingError) logger.warn({ eventId: data.eventId, reason: error.reason }, 'stripe event not applied');
      throw error;
    }
  },
});
