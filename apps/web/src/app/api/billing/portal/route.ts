import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { caller, json, refuse } from '@/lib/http';
import { openPortal } from '@/server/billing/account';
import { requireBilling } from '@/server/billing/stripe';

export const dynamic = 'force-dynamic';

/** -> { url } of the Stripe customer portal. */
export async function POST(request: Request) {
  try {
    const claims = await caller(request);
    const billing = await requireBilling();
    return json({ url: await openPortal(getPool(), billing, claims, getConfig().appUrl) });
  } catch (error) {
    return refuse(error);
  }
}
