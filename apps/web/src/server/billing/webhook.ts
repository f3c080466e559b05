import type Stripe from 'stripe';
import type { Pool } from '@quire/db';
import { recordStripeEvent } from '@quire/db/billing';
import type { FailureReporter } from '@quire/db/failures';

/** How far a signature's timestamp may be from now (Stripe's default): an older delivery is a replay. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface WebhookDeps {
  pool: Pool;
  stripe: Stripe;
  secret: string;
  failures: FailureReporter;
}

/**
 * POST /api/webhooks/stripe, minus HTTP: verify the signature on the raw body, store the event once and enqueue its
 * processing (same transaction), answer. Nothing else runs here, so the answer is fast; the worker applies it.
 */
export async function receiveStripeWebhook(deps: WebhookDeps, rawBody: string, signature: string | null): Promise<{ status: number; body: object }> {
  if (!signature) {
    await deps.failures.webhook({ source: 'stripe', reason: 'signature', error: new Error('no Stripe-Signature header') });
    return { status: 400, body: { error: 'missing signature' } };
  }
  let event: Stripe.Event;
  try {
    event = deps.stripe.webhooks.constructEvent(rawBody, signature, deps.secret, SIGNATURE_TOLERANCE_SECONDS);
  } catch (error) {
    const reason = (error as { type?: string }).type === 'StripeSignatureVerificationError' ? 'signature' : 'parse';
    await deps.failures.webhook({ source: 'stripe', reason, error });
    return { status: 400, body: { error: reason === 'signature' ? 'bad signature' : 'malformed body' } };
  }
  try {
    const { duplicate } = await recordStripeEvent(deps.pool, event);
    return { status: 200, body: { received: true, duplicate } };
  } catch (error) {
    const reason = (error as { name?: string }).name === 'ZodError' ? 'parse' : 'store';
    await deps.failures.webhook({ source: 'stripe', reason, eventId: event.id, eventType: event.type, error });
    // a store failure answers 500 so Stripe redelivers; a malformed event never will be better
    return reason === 'parse' ? { status: 400, body: { error: 'malformed event' } } : { status: 500, body: { error: 'not stored, retry' } };
  }
}
