import { z } from 'zod';
import type { Tier } from './tiers';

/** The plans Stripe sells; free needs no price. */
export const PAID_TIERS = ['pro', 'team'] as const satisfies readonly Tier[];
export type PaidTier = (typeof PAID_TIERS)[number];

/** The environment variable holding each plan's Stripe price id (validated against Stripe at start). */
export const PRICE_ENV: Record<PaidTier, string> = { pro: 'STRIPE_PRICE_PRO', team: 'STRIPE_PRICE_TEAM' };

/** Every price must be a recurring monthly price in this currency. */
export const BILLING_CURRENCY = 'usd';
export const BILLING_INTERVAL = 'month';

/** How long a plan survives failed renewal payments before the owner moves to free. */
export const GRACE_DAYS = 7;

/** The subscription statuses the database stores (Stripe's others are mapped onto them). */
export const SUBSCRIPTION_STATUSES = ['active', 'trialing', 'past_due', 'canceled', 'incomplete', 'unpaid'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** The Stripe event types billing acts on; others are recorded and ignored. */
export const HANDLED_STRIPE_EVENTS = [
  'checkout.session.completed',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'invoice.paid',
  'invoice.payment_failed',
  'customer.deleted',
] as const;

/** The part of a Stripe event billing reads; everything else is kept in the stored payload as it came. */
export const stripeEventSchema = z.looseObject({
  id: z.string().min(1).max(255),
  type: z.string().min(1).max(100),
  created: z.number().int().nonnegative(),
  data: z.looseObject({ object: z.looseObject({ id: z.string().optional() }) }),
});
export type StripeEventLike = z.infer<typeof stripeEventSchema>;

/** Stripe's status -> ours, and whether the plan the price names is in force. */
export function mapSubscriptionStatus(status: string): { status: SubscriptionStatus; paid: boolean } {
  switch (status) {
    case 'active':
      return { status: 'active', paid: true };
    case 'trialing':
      return { status: 'trialing', paid: true };
    case 'past_due':
      // the renewal failed: the plan stays during the grace period
      return { status: 'past_due', paid: true };
    case 'unpaid':
      return { status: 'unpaid', paid: false };
    case 'incomplete':
      return { status: 'incomplete', paid: false };
    default:
      // canceled, incomplete_expired, paused
      return { status: 'canceled', paid: false };
  }
}

/** What the billing screen and CLI say about a quota refusal. */
export function quotaMessage(limitLabel: string, limit: number): string {
  return `Your plan allows ${limit.toLocaleString('en-US')} ${limitLabel} — upgrade to get more.`;
}
