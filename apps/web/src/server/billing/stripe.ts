import Stripe from 'stripe';
import { z } from 'zod';
import { BILLING_CURRENCY, BILLING_INTERVAL, PAID_TIERS, PRICE_ENV, type PaidTier } from '@quire/domain/billing';

/**
 * Billing's settings and its Stripe client. Without STRIPE_SECRET_KEY billing is "not configured": tiers are still
 * enforced (by the database) and set with `pnpm quire plan set`. With it, every other setting is required and every
 * STRIPE_PRICE_* is checked against Stripe before billing starts.
 */
const schema = z.object({
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_PRICE_PRO: z.string().min(1).optional(),
  STRIPE_PRICE_TEAM: z.string().min(1).optional(),
  // only for a local stand-in (tests, trying billing offline): where the SDK sends its requests
  STRIPE_API_URL: z.url().optional(),
});

export interface BillingSettings {
  secretKey: string;
  webhookSecret: string;
  prices: Record<PaidTier, string>;
  apiUrl?: string;
}

/** null: billing is not configured. Throws naming the missing variable when only part of it is set. */
export function billingSettings(env: Record<string, string | undefined> = process.env): BillingSettings | null {
  const e = schema.parse(env);
  if (!e.STRIPE_SECRET_KEY) return null;
  const need = (name: string, value: string | undefined) => {
    if (!value) throw new Error(`Billing is not started: ${name} is not set (STRIPE_SECRET_KEY is, so billing needs it too).`);
    return value;
  };
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecret: need('STRIPE_WEBHOOK_SECRET', e.STRIPE_WEBHOOK_SECRET),
    prices: { pro: need(PRICE_ENV.pro, e.STRIPE_PRICE_PRO), team: need(PRICE_ENV.team, e.STRIPE_PRICE_TEAM) },
    apiUrl: e.STRIPE_API_URL,
  };
}

export function createStripe(settings: BillingSettings): Stripe {
  const api = settings.apiUrl ? new URL(settings.apiUrl) : null;
  return new Stripe(settings.secretKey, {
    maxNetworkRetries: 2,
    timeout: 10_000,
    ...(api ? { host: api.hostname, port: api.port || (api.protocol === 'https:' ? 443 : 80), protocol: api.protocol === 'https:' ? 'https' : 'http' } : {}),
  });
}

/**
 * The launch check: each STRIPE_PRICE_* exists, is active, recurring monthly, in the billing currency. Throws one
 * error naming every bad variable and what is wrong with it.
 */
export async function validatePrices(stripe: Stripe, settings: BillingSettings): Promise<void> {
  const problems: string[] = [];
  for (const tier of PAID_TIERS) {
    const name = PRICE_ENV[tier];
    const id = settings.prices[tier];
    try {
      const price = await stripe.prices.retrieve(id);
      if (!price.active) problems.push(`${name} (${id}) is archived in Stripe`);
      else if (price.type !== 'recurring' || !price.recurring) problems.push(`${name} (${id}) is not a recurring price`);
      else if (price.recurring.interval !== BILLING_INTERVAL) problems.push(`${name} (${id}) renews every ${price.recurring.interval}, not every ${BILLING_INTERVAL}`);
      else if (price.currency !== BILLING_CURRENCY) problems.push(`${name} (${id}) is in ${price.currency.toUpperCase()}, not ${BILLING_CURRENCY.toUpperCase()}`);
    } catch (error) {
      const code = (error as { code?: string }).code;
      problems.push(code === 'resource_missing' ? `${name} (${id}) does not exist in this Stripe account` : `${name} (${id}) could not be checked: ${(error as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`Billing is not started: ${problems.join('; ')}.`);
}

export interface Billing {
  settings: BillingSettings;
  stripe: Stripe;
}

const holder = globalThis as typeof globalThis & { __quireBilling?: Promise<Billing | null> };

/**
 * The process's billing, validated once. null when not configured; a rejected promise (logged once, and the
 * billing screen says billing is unavailable) when the settings are wrong.
 */
export function getBilling(): Promise<Billing | null> {
  holder.__quireBilling ??= (async () => {
    const settings = billingSettings();
    if (!settings) return null;
    const stripe = createStripe(settings);
    await validatePrices(stripe, settings);
    return { settings, stripe };
  })();
  holder.__quireBilling.catch((error) => console.error((error as Error).message));
  return holder.__quireBilling;
}
