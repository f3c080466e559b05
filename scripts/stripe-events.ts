/**
 * Stripe-shaped events for tests, the benchmark and `stripe-replay --fixture`: only the fields Quire reads, in the
 * shape of Stripe's API (2025+: the period end is on the subscription item). Not a copy of Stripe's fixtures.
 */
import { randomBytes } from 'node:crypto';

export interface StripeEvent {
  id: string;
  object: 'event';
  type: string;
  created: number;
  livemode: false;
  api_version: string;
  data: { object: Record<string, unknown> };
}

const token = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

function event(type: string, created: number, object: Record<string, unknown>, id = token('evt')): StripeEvent {
  return { id, object: 'event', type, created, livemode: false, api_version: '2025-10-29.clover', data: { object } };
}

export interface SubscriptionFields {
  customer: string;
  subscription: string;
  price: string;
  status?: string;
  userId?: string;
  periodEnd?: number;
  cancelAtPeriodEnd?: boolean;
}

export function subscriptionEvent(type: 'created' | 'updated' | 'deleted', created: number, fields: SubscriptionFields, id?: string): StripeEvent {
  const periodEnd = fields.periodEnd ?? created + 30 * 86_400;
  return event(
    `customer.subscription.${type}`,
    created,
    {
      id: fields.subscription,
      object: 'subscription',
      customer: fields.customer,
      status: fields.status ?? (type === 'deleted' ? 'canceled' : 'active'),
      cancel_at_period_end: fields.cancelAtPeriodEnd ?? false,
      cancel_at: fields.cancelAtPeriodEnd ? periodEnd : null,
      metadata: fields.userId ? { user_id: fields.userId } : {},
      items: {
        object: 'list',
        data: [{ id: token('si'), object: 'subscription_item', current_period_end: periodEnd, price: { id: fields.price, object: 'price' } }],
      },
    },
    id,
  );
}

export function invoiceEvent(type: 'paid' | 'payment_failed', created: number, fields: { customer: string; subscription: string }): StripeEvent {
  return event(`invoice.${type}`, created, {
    id: token('in'),
    object: 'invoice',
    customer: fields.customer,
    status: type === 'paid' ? 'paid' : 'open',
    parent: { type: 'subscription_details', subscription_details: { subscription: fields.subscription } },
  });
}

export function checkoutCompleted(created: number, fields: { customer: string; subscription: string; userId: string }): StripeEvent {
  return event('checkout.session.completed', created, {
    id: token('cs'),
    object: 'checkout.session',
    mode: 'subscription',
    customer: fields.customer,
    subscription: fields.subscription,
    client_reference_id: fields.userId,
    metadata: { user_id: fields.userId },
  });
}

export function customerDeleted(created: number, customer: string): StripeEvent {
  return event('customer.deleted', created, { id: customer, object: 'customer', deleted: true });
}

export const ids = { customer: () => token('cus'), subscription: () => token('sub'), event: () => token('evt') };
