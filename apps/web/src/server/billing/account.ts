import type Stripe from 'stripe';
import { withService, withUser, type Claims, type Pool } from '@quire/db';
import { PAID_TIERS, TIER_LIMITS, isTier, type PaidTier, type Tier, type TierLimits } from '@quire/domain';
import { UserError } from '../../lib/errors';
import type { Billing } from './stripe';

export interface Meter {
  key: 'projects' | 'collaborators' | 'ai_words' | 'exports' | 'storage_bytes';
  label: string;
  used: number;
  limit: number | null;
}

export interface BillingOverview {
  tier: Tier;
  status: string;
  renewsAt: string | null;
  cancelAt: string | null;
  graceUntil: string | null;
  hasCustomer: boolean;
  meters: Meter[];
  limits: Record<Tier, TierLimits>;
}

/**
 * The signed-in account's plan and usage, read through RLS (own profile, own ledger rows, own projects). The month is
 * the UTC calendar month, as for the AI reset.
 */
export async function billingOverview(pool: Pool, claims: Claims): Promise<BillingOverview> {
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select up.subscription_tier as tier, up.subscription_status as status, up.current_period_end, up.cancel_at, up.grace_until,
              up.stripe_customer_id is not null as has_customer,
              (select count(*)::int from public.projects where user_id = up.id) as projects,
              (select coalesce(max(n), 0)::int from (select sum(quantity) as n from public.usage_ledgers
                  where user_id = up.id and metric = 'collaborators_added' group by project_id) c) as collaborators,
              (select coalesce(sum(quantity), 0)::bigint from public.usage_ledgers
                  where user_id = up.id and metric = 'ai_words' and period = date_trunc('month', now() at time zone 'UTC')::date) as ai_words,
              (select coalesce(sum(quantity), 0)::bigint from public.usage_ledgers
                  where user_id = up.id and metric = 'exports' and period = date_trunc('month', now() at time zone 'UTC')::date) as exports,
              (select coalesce(sum(quantity), 0)::bigint from public.usage_ledgers where user_id = up.id and metric = 'storage_bytes') as storage
         from public.user_profiles up where up.id = (select auth.uid())`,
    );
    const r = rows[0];
    if (!r) throw new UserError('Sign in to see your plan.', 'expired');
    const tier: Tier = isTier(r.tier) ? r.tier : 'free';
    const limits = TIER_LIMITS[tier];
    const iso = (value: Date | null) => (value ? value.toISOString() : null);
    return {
      tier,
      status: r.status,
      renewsAt: iso(r.current_period_end),
      cancelAt: iso(r.cancel_at),
      graceUntil: iso(r.grace_until),
      hasCustomer: r.has_customer,
      limits: TIER_LIMITS,
      meters: [
        { key: 'projects', label: 'Projects', used: r.projects, limit: limits.projects },
        { key: 'collaborators', label: 'Collaborators (largest project)', used: r.collaborators, limit: limits.collaborators },
        { key: 'ai_words', label: 'AI words this month', used: Number(r.ai_words), limit: limits.ai_words_per_month },
        { key: 'exports', label: 'Exports this month', used: Number(r.exports), limit: limits.exports_per_month },
        { key: 'storage_bytes', label: 'Picture storage', used: Number(r.storage), limit: limits.storage_bytes },
      ],
    };
  });
}

/**
 * Whether the header offers the billing link: to people whose plan pays for something (they own a project) or who
 * have a plan or a Stripe account of their own. Someone who only works in others' projects has nothing to bill.
 */
export async function ownsAPlan(pool: Pool, claims: Claims): Promise<boolean> {
  const { rows } = await withUser(pool, claims, (tx) =>
    tx.query(
      `select exists (select 1 from public.projects where user_id = up.id)
              or up.subscription_tier <> 'free' or up.stripe_customer_id is not null as owner
         from public.user_profiles up where up.id = (select auth.uid())`,
    ),
  );
  return rows[0]?.owner === true;
}

/** The owner's Stripe customer, created once: the profile row lock makes two concurrent first checkouts share one. */
async function customerFor(pool: Pool, stripe: Stripe, claims: Claims): Promise<string> {
  // withService: the Stripe link is not writable by its owner (guard_profile_update); the id comes from the session
  return withService(pool, async (tx) => {
    const { rows } = await tx.query(`select email, stripe_customer_id from public.user_profiles where id = $1 for update`, [claims.sub]);
    const profile = rows[0];
    if (!profile) throw new UserError('Sign in to continue.', 'expired');
    if (profile.stripe_customer_id) return profile.stripe_customer_id as string;
    const customer = await stripe.customers.create(
      { email: profile.email ?? undefined, metadata: { user_id: claims.sub } },
      { idempotencyKey: `quire-customer-${claims.sub}` },
    );
    await tx.query(`update public.user_profiles set stripe_customer_id = $2 where id = $1`, [claims.sub, customer.id]);
    return customer.id;
  });
}

/** Starts Checkout for `tier` at the server's own price (never one from the client); returns its URL. */
export async function startCheckout(pool: Pool, billing: Billing, claims: Claims, tierInput: unknown, appUrl: string): Promise<string> {
  if (!(PAID_TIERS as readonly string[]).includes(String(tierInput))) throw new UserError('Choose the Pro or Team plan.', 'invalid');
  const tier = tierInput as PaidTier;
  const customer = await customerFor(pool, billing.stripe, claims);
  const session = await billing.stripe.checkout.sessions.create({
    mode: 'subscription',
    customer,
    client_reference_id: claims.sub,
    line_items: [{ price: billing.settings.prices[tier], quantity: 1 }],
    subscription_data: { metadata: { user_id: claims.sub, tier } },
    metadata: { user_id: claims.sub, tier },
    success_url: `${appUrl}/billing?checkout=done`,
    cancel_url: `${appUrl}/billing?checkout=canceled`,
  });
  if (!session.url) throw new UserError('Stripe did not return a checkout page. Try again in a moment.', 'unavailable');
  return session.url;
}

/** The Stripe customer portal (change card, cancel, invoices); only for an owner who has been a customer. */
export async function openPortal(pool: Pool, billing: Billing, claims: Claims, appUrl: string): Promise<string> {
  const { rows } = await withUser(pool, claims, (tx) => tx.query(`select stripe_customer_id from public.user_profiles where id = (select auth.uid())`));
  const customer = rows[0]?.stripe_customer_id as string | undefined;
  if (!customer) throw new UserError('There is no billing account yet: choose a plan first.', 'not_found');
  const session = await billing.stripe.billingPortal.sessions.create({ customer, return_url: `${appUrl}/billing` });
  return session.url;
}
