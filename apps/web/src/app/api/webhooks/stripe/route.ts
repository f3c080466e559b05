import { failureReporter } from '@quire/db/failures';
import { getPool } from '@/lib/db';
import { getBilling } from '@/server/billing/stripe';
import { receiveStripeWebhook } from '@/server/billing/webhook';

export const dynamic = 'force-dynamic';

// metric + log line per refused delivery; no row (a stream of forged requests must not fill a table)
const holder = globalThis as typeof globalThis & { __quireWebhookFailures?: ReturnType<typeof failureReporter> };
const failures = () => (holder.__quireWebhookFailures ??= failureReporter({ error: (fields, message) => console.error(JSON.stringify({ level: 'error', service: 'web', ...fields, msg: message })) }));

/** Stripe's webhook: the raw body is verified as received (never re-serialised), stored once, answered at once. */
export async function POST(request: Request) {
  const billing = await getBilling().catch(() => null);
  if (!billing) return Response.json({ error: 'billing is not configured' }, { status: 503 });
  const raw = await request.text();
  const result = await receiveStripeWebhook(
    { pool: getPool(), stripe: billing.stripe, secret: billing.settings.webhookSecret, failures: failures() },
    raw,
    request.headers.get('stripe-signature'),
  );
  return Response.json(result.body, { status: result.status, headers: { 'cache-control': 'no-store' } });
}
