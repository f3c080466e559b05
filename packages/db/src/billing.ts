import {
  GRACE_DAYS,
  HANDLED_STRIPE_EVENTS,
  isTier,
  mapSubscriptionStatus,
  stripeEventSchema,
  type PaidTier,
  type StripeEventLike,
  type Tier,
} from '@quire/domain';
import { enqueueJob, ensureJobQueuesOnce } from './jobs';
import type { Pool, PoolClient } from './pool';
import { withService } from './session';

/**
 * Stripe events, in two steps. The webhook records each verified event once (`recordStripeEvent`: the unique
 * stripe_event_id turns a redelivery into a no-op insert) and enqueues its processing in the same transaction; the
 * worker applies it (`applyStripeEvent`) under a row lock on the event and on the owner's profile, exactly once, and
 * never lets an older event overwrite a newer state (user_profiles.billing_event_at). docs/billing.md has the rules.
 */

export type EventOutcome = 'applied' | 'stale' | 'ignored';

/** A failure worth its own reason in the failure row and metric (unknown-customer, unknown-price). */
export class BillingError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'BillingError';
  }
}

/** Price id -> plan, from the STRIPE_PRICE_* settings. */
export type PriceTiers = Record<string, PaidTier>;

export interface ApplyOptions {
  priceTiers: PriceTiers;
  graceDays?: number;
}

/** Stores a verified event (once) and enqueues its processing; `duplicate` when it was already stored. */
export async function recordStripeEvent(pool: Pool, input: unknown): Promise<{ duplicate: boolean; event: StripeEventLike }> {
  const event = stripeEventSchema.parse(input);
  const object = event.data.object as Record<string, unknown>;
  const customer = str(object.customer) ?? (object.object === 'customer' ? str(object.id) : null);
  await ensureJobQueuesOnce(pool);
  // withService: a webhook acts for no signed-in person; the row and the job are written together or not at all
  const duplicate = await withService(pool, async (tx) => {
    const { rows } = await tx.query(
      `insert into public.subscription_events (stripe_event_id, type, event_created_at, stripe_customer_id, payload)
       values ($1, $2, to_timestamp($3), $4, $5)
       on conflict (stripe_event_id) do nothing
       returning id`,
      [event.id, event.type, event.created, customer, event],
    );
    if (rows.length === 0) return true;
    await enqueueJob({ tx }, 'stripe-event', { eventId: event.id });
    return false;
  });
  return { duplicate, event };
}

interface Profile {
  id: string;
  subscription_tier: Tier;
  subscription_status: string;
  stripe_customer_id: string | null;
  stripe_subscription_id: string | null;
  stripe_price_id: string | null;
  billing_event_at: Date | null;
}

const PROFILE_COLUMNS = `id, subscription_tier, subscription_status, stripe_customer_id, stripe_subscription_id, stripe_price_id, billing_event_at`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findOwner(tx: PoolClient, customerId: string | null, userId: unknown): Promise<Profile | null> {
  if (customerId) {
    const { rows } = await tx.query<Profile>(`select ${PROFILE_COLUMNS} from public.user_profiles where stripe_customer_id = $1 for update`, [customerId]);
    if (rows[0]) return rows[0];
  }
  if (typeof userId === 'string' && UUID.test(userId)) {
    const { rows } = await tx.query<Profile>(`select ${PROFILE_COLUMNS} from public.user_profiles where id = $1 for update`, [userId]);
    // a profile already linked to another customer is not taken over by metadata
    if (rows[0] && (!rows[0].stripe_customer_id || !customerId || rows[0].stripe_customer_id === customerId)) return rows[0];
  }
  return null;
}

const str = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const seconds = (value: unknown): Date | null => (typeof value === 'number' ? new Date(value * 1000) : null);
const metadataUser = (object: Record<string, unknown>): unknown => (object.metadata as Record<string, unknown> | undefined)?.user_id;

function priceTier(priceId: string | null, price: Record<string, unknown> | undefined, options: ApplyOptions): PaidTier | null {
  if (priceId && options.priceTiers[priceId]) return options.priceTiers[priceId];
  const fromMetadata = (price?.metadata as Record<string, unknown> | undefined)?.quire_tier;
  return fromMetadata === 'pro' || fromMetadata === 'team' ? fromMetadata : null;
}

interface Result {
  outcome: EventOutcome;
  userId?: string | null;
  tier?: Tier | null;
  status?: string | null;
  subscriptionId?: string | null;
}

async function applySubscription(tx: PoolClient, event: StripeEventLike, options: ApplyOptions): Promise<Result> {
  const sub = event.data.object as Record<string, unknown>;
  const customerId = str(sub.customer);
  const owner = await findOwner(tx, customerId, metadataUser(sub));
  if (!owner) throw new BillingError('unknown-customer', `no owner for Stripe customer ${customerId ?? '(none)'}`);
  const created = new Date(event.created * 1000);
  if (owner.billing_event_at && created < owner.billing_event_at) return { outcome: 'stale', userId: owner.id };
  const deleted = event.type === 'customer.subscription.deleted';
  // the end of an older subscription must not cancel the one that replaced it
  if (deleted && owner.stripe_subscription_id && owner.stripe_subscription_id !== sub.id) return { outcome: 'ignored', userId: owner.id };
  const item = ((sub.items as { data?: Array<Record<string, unknown>> } | undefined)?.data ?? [])[0] ?? {};
  const price = item.price as Record<string, unknown> | undefined;
  const priceId = str(price?.id);
  const mapped = deleted ? { status: 'canceled' as const, paid: false } : mapSubscriptionStatus(String(sub.status ?? ''));
  let tier: Tier = 'free';
  if (mapped.paid) {
    const paidTier = priceTier(priceId, price, options);
    if (!paidTier) throw new BillingError('unknown-price', `price ${priceId ?? '(none)'} is not one of the STRIPE_PRICE_* settings`);
    tier = paidTier;
  }
  const periodEnd = seconds(item.current_period_end) ?? seconds(sub.current_period_end);
  const cancelAt = seconds(sub.cancel_at) ?? (sub.cancel_at_period_end === true ? periodEnd : null);
  const graceDays = options.graceDays ?? GRACE_DAYS;
  await tx.query(
    `update public.user_profiles
        set subscription_tier = $2, subscription_status = $3,
            stripe_customer_id = coalesce(stripe_customer_id, $4),
            stripe_subscription_id = $5, stripe_price_id = $6, current_period_end = $7, cancel_at = $8,
            payment_failed_at = case when $3 = 'past_due' then coalesce(payment_failed_at, $9) end,
            grace_until = case when $3 = 'past_due' then coalesce(grace_until, $9 + make_interval(days => $10)) end,
            billing_event_at = $9
      where id = $1`,
    [owner.id, tier, mapped.status, customerId, deleted ? null : str(sub.id), deleted ? null : priceId, periodEnd, deleted ? null : cancelAt, created, graceDays],
  );
  return { outcome: 'applied', userId: owner.id, tier, status: mapped.status, subscriptionId: str(sub.id) };
}

async function applyInvoice(tx: PoolClient, event: StripeEventLike, options: ApplyOptions): Promise<Result> {
  const invoice = event.data.object as Record<string, unknown>;
  const owner = await findOwner(tx, str(invoice.customer), undefined);
  if (!owner) throw new BillingError('unknown-customer', `no owner for Stripe customer ${str(invoice.customer) ?? '(none)'}`);
  const created = new Date(event.created * 1000);
  if (owner.billing_event_at && created < owner.billing_event_at) return { outcome: 'stale', userId: owner.id };
  if (!owner.stripe_subscription_id) return { outcome: 'ignored', userId: owner.id };
  if (event.type === 'invoice.payment_failed') {
    await tx.query(
      `update public.user_profiles
          set subscription_status = 'past_due', payment_failed_at = coalesce(payment_failed_at, $2),
              grace_until = coalesce(grace_until, $2 + make_interval(days => $3)), billing_event_at = $2
        where id = $1`,
      [owner.id, created, options.graceDays ?? GRACE_DAYS],
    );
    return { outcome: 'applied', userId: owner.id, status: 'past_due' };
  }
  // paid: the plan the subscription's price names is back in force (also after the grace period ran out)
  const tier = priceTier(owner.stripe_price_id, undefined, options) ?? owner.subscription_tier;
  await tx.query(
    `update public.user_profiles
        set subscription_status = 'active', subscription_tier = $2, payment_failed_at = null, grace_until = null, billing_event_at = $3
      where id = $1`,
    [owner.id, tier, created],
  );
  return { outcome: 'applied', userId: owner.id, tier, status: 'active' };
}

async function dispatch(tx: PoolClient, event: StripeEventLike, options: ApplyOptions): Promise<Result> {
  const object = event.data.object as Record<string, unknown>;
  switch (event.type) {
    case 'checkout.session.completed': {
      const owner = await findOwner(tx, str(object.customer), str(object.client_reference_id) ?? metadataUser(object));
      if (!owner) throw new BillingError('unknown-customer', `checkout ${str(object.id)} names no known owner`);
      if (!owner.stripe_customer_id && str(object.customer)) {
        await tx.query(`update public.user_profiles set stripe_customer_id = $2 where id = $1`, [owner.id, str(object.customer)]);
      }
      return { outcome: 'applied', userId: owner.id, subscriptionId: str(object.subscription) };
    }
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
      return applySubscription(tx, event, options);
    case 'invoice.paid':
    case 'invoice.payment_failed':
      return applyInvoice(tx, event, options);
    case 'customer.deleted': {
      const owner = await findOwner(tx, str(object.id), undefined);
      if (!owner) return { outcome: 'ignored' };
      await tx.query(
        `update public.user_profiles
            set stripe_customer_id = null, stripe_subscription_id = null, stripe_price_id = null, subscription_tier = 'free',
                subscription_status = 'canceled', current_period_end = null, cancel_at = null, payment_failed_at = null,
                grace_until = null, billing_event_at = greatest(billing_event_at, $2)
          where id = $1`,
        [owner.id, new Date(event.created * 1000)],
      );
      return { outcome: 'applied', userId: owner.id, tier: 'free', status: 'canceled' };
    }
    default:
      return { outcome: 'ignored' };
  }
}

/**
 * Applies one recorded event exactly once. Returns what became of it; throws (and the job retries) when it cannot be
 * applied yet. A second call for the same event returns its first outcome without touching anything.
 */
export async function applyStripeEvent(pool: Pool, eventId: string, options: ApplyOptions): Promise<{ outcome: EventOutcome | 'done'; userId?: string | null }> {
  // withService: the webhook's follow-up, no signed-in person; the event row lock makes concurrent runs take turns
  return withService(pool, async (tx) => {
    const { rows } = await tx.query(`select id, payload, processed_at, outcome from public.subscription_events where stripe_event_id = $1 for update`, [eventId]);
    const row = rows[0];
    if (!row) throw new BillingError('unknown-event', `event ${eventId} was never recorded`);
    if (row.processed_at) return { outcome: 'done' as const, userId: null };
    const event = stripeEventSchema.parse(row.payload);
    const handled = (HANDLED_STRIPE_EVENTS as readonly string[]).includes(event.type);
    const result = handled ? await dispatch(tx, event, options) : { outcome: 'ignored' as const };
    await tx.query(
      `update public.subscription_events
          set processed_at = now(), outcome = $2, attempts = attempts + 1, error = null,
              user_id = coalesce(user_id, $3), tier = coalesce($4, tier), status = coalesce($5, status),
              stripe_subscription_id = coalesce($6, stripe_subscription_id)
        where id = $1`,
      [row.id, result.outcome, result.userId ?? null, result.tier ?? null, result.status ?? null, result.subscriptionId ?? null],
    );
    return { outcome: result.outcome, userId: result.userId ?? null };
  });
}

/** After the last retry: the event stays unprocessed and says why (ops screens and `stripe-replay` find it). */
export async function markStripeEventFailed(pool: Pool, eventId: string, error: unknown): Promise<void> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  await withService(pool, (tx) =>
    tx.query(`update public.subscription_events set outcome = 'failed', attempts = attempts + 1, error = $2 where stripe_event_id = $1 and processed_at is null`, [
      eventId,
      message,
    ]),
  );
}

/** Owners whose payment kept failing past the grace period move to free (nothing is deleted). Idempotent. */
export async function expireGracePeriods(pool: Pool, asOf: Date): Promise<string[]> {
  return withService(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `update public.user_profiles
          set subscription_tier = 'free', subscription_status = 'unpaid', grace_until = null
        where grace_until is not null and grace_until <= $1 and subscription_status = 'past_due'
        returning id`,
      [asOf],
    );
    return rows.map((row) => row.id);
  });
}

/** Starts a new AI-words month (UTC) for every owner still in an older one. Idempotent; a late run is fine. */
export async function resetMonthlyAiWords(pool: Pool, asOf: Date): Promise<number> {
  return withService(pool, async (tx) => {
    const { rows } = await tx.query<{ n: number }>(`select private.reset_ai_words($1) as n`, [asOf]);
    return rows[0]?.n ?? 0;
  });
}

/** For self-hosters without Stripe: sets an account's plan by email. Returns false when no account has it. */
export async function setPlanByEmail(pool: Pool, email: string, tier: Tier): Promise<boolean> {
  if (!isTier(tier)) throw new Error(`unknown plan "${String(tier)}"`);
  return withService(pool, async (tx) => {
    const { rowCount } = await tx.query(
      `update public.user_profiles set subscription_tier = $2, subscription_status = 'active', payment_failed_at = null, grace_until = null
        where lower(email) = lower($1)`,
      [email, tier],
    );
    return (rowCount ?? 0) > 0;
  });
}

/** Price ids from the environment (STRIPE_PRICE_PRO, STRIPE_PRICE_TEAM) as the map applyStripeEvent reads. */
export function priceTiersFromEnv(env: Record<string, string | undefined>): PriceTiers {
  const map: PriceTiers = {};
  if (env.STRIPE_PRICE_PRO) map[env.STRIPE_PRICE_PRO] = 'pro';
  if (env.STRIPE_PRICE_TEAM) map[env.STRIPE_PRICE_TEAM] = 'team';
  return map;
}
