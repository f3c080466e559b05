import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { caller, json, readJson, refuse } from '@/lib/http';
import { startCheckout } from '@/server/billing/account';
import { requireBilling } from '@/server/billing/stripe';

export const dynamic = 'force-dynamic';

/** { tier } -> { url } of a Stripe Checkout page for that plan. */
export async function POST(request: Request) {
  try {
    const claims = await caller(request);
    const body = (await readJson(request)) as { tier?: unknown };
    const billing = await requireBilling();
    return json({ url: await startCheckout(getPool(), billing, claims, body?.tier, getConfig().appUrl) });
  } catch (error) {
    return refuse(error);
  }
}
