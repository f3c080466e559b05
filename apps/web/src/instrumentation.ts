import { PHASE_PRODUCTION_BUILD } from 'next/constants';

/**
 * Runs once when the web server starts, before it answers requests (Next calls it from `app.prepare()`, which
 * server.ts awaits). The launch check of billing: every STRIPE_PRICE_* is checked against Stripe now, so a wrong
 * price is in the log at start, naming the variable, and billing stays off until it is fixed (docs/billing.md).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === PHASE_PRODUCTION_BUILD) return;
  const { startBilling } = await import('./server/billing/stripe');
  await startBilling();
}
