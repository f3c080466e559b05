import Stripe from 'stripe';
import { z } from 'zod';
import { UserError } from '../../lib/errors';
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
 * Why billing did not start. `retry`: Stripe could not be asked (network, outage), so the next billing request asks
 * again; otherwise a setting is wrong and billing stays off until the server restarts with it fixed.
 */
export class BillingStartError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
    this.name = 'BillingStartError';
  }
}

/**
 * The launch check: each STRIPE_PRICE_* exists, is active, recurring monthly, in the billing currency. Throws one
 * BillingStartError naming every bad variable and what is wrong with it.
 */
export async function validatePrices(stripe: Stripe, settings: BillingSettings): Promise<Record<PaidTier, MonthlyPrice>> {
  let unreachable = false;
  const amounts: Partial<Record<PaidTier, MonthlyPrice>> = {};
  const checks = PAID_TIERS.map(async (tier): Promise<string | null> => {
    const name = PRICE_ENV[tier];
    const id = settings.prices[tier];
    try {
      const price = await stripe.prices.retrieve(id);
      if (!price.active) return `${name} (${id}) is archived in Stripe`;
      if (price.type !== 'recurring' || !price.recurring) return `${name} (${id}) is not a recurring price`;
      if (price.recurring.interval !== BILLING_INTERVAL) return `${name} (${id}) renews every ${price.recurring.interval}, not every ${BILLING_INTERVAL}`;
      if (price.currency !== BILLING_CURRENCY) return `${name} (${id}) is in ${price.currency.toUpperCase()}, not ${BILLING_CURRENCY.toUpperCase()}`;
      amounts[tier] = { amount: price.unit_amount, currency: price.currency };
      return null;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'resource_missing') return `${name} (${id}) does not exist in this Stripe account`;
      const type = (error as { type?: string }).type;
      // a refused key is a wrong setting; anything else (network, Stripe down) may pass on the next try
      if (type !== 'StripeAuthenticationError' && type !== 'StripePermissionError') unreachable = true;
      return `${name} (${id}) could not be checked: ${(error as Error).message}`;
    }
  });
  const problems = (await Promise.all(checks)).filter((problem): problem is string => problem !== null);
  if (problems.length) throw new BillingStartError(`Billing is not started: ${problems.join('; ')}.`, unreachable);
  return amounts as Record<PaidTier, MonthlyPrice>;
}

/** What a plan costs a month, as Stripe has it: the smallest currency unit (cents); null for usage-based prices. */
export interface MonthlyPrice {
  amount: number | null;
  currency: string;
}

export interface Billing {
  settings: BillingSettings;
  stripe: Stripe;
  /** Read from Stripe by the launch check, for the plan cards. */
  prices: Record<PaidTier, MonthlyPrice>;
}

const holder = globalThis as typeof globalThis & { __quireBilling?: Promise<Billing | null> };

/**
 * The process's billing, validated once (at start, by instrumentation.ts). null when not configured; a rejected
 * promise when the settings are wrong: billing stays off (the billing screen says it is unavailable, tiers are still
 * enforced) and the reason is logged once, naming the variable. When Stripe could not be reached the next call
 * tries again.
 */
export function getBilling(): Promise<Billing | null> {
  if (!holder.__quireBilling) {
    const starting = (async () => {
      const settings = billingSettings();
      if (!settings) return null;
      const stripe = createStripe(settings);
      const prices = await validatePrices(stripe, settings);
      return { settings, stripe, prices };
    })();
    holder.__quireBilling = starting;
    starting.catch((error: unknown) => {
      console.error(`${(error as Error).message} Tiers are still enforced; the billing screen says billing is unavailable.`);
      if (error instanceof BillingStartError && error.retry && holder.__quireBilling === starting) holder.__quireBilling = undefined;
    });
  }
  return holder.__quireBilling;
}

/** Billing for a request that needs Stripe, or the refusal a writer reads (503) when it is off. */
export async function requireBilling(): Promise<Billing> {
  const billing = await getBilling().catch(() => {
    throw new UserError('Billing is unavailable right now; your plan and its limits are unchanged.', 'unavailable');
  });
  if (!billing) throw new UserError('Billing is not configured on this server.', 'unavailable');
  return billing;
}

/** The launch check at process start: says in the log whether billing runs, and why not. Never throws. */
export async function startBilling(): Promise<'ready' | 'not_configured' | 'refused'> {
  try {
    const billing = await getBilling();
    if (!billing) {
      console.log('billing: not configured (no STRIPE_SECRET_KEY); plans are set with `pnpm quire plan set`');
      return 'not_configured';
    }
    const prices = PAID_TIERS.map((tier) => `${PRICE_ENV[tier]}=${billing.settings.prices[tier]}`).join(', ');
    console.log(`billing: Stripe prices checked (${prices})`);
    return 'ready';
  } catch {
    // getBilling has logged the reason, naming the variable
    return 'refused';
  }
}
