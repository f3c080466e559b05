import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { caller, json, refuse } from '@/lib/http';
import { UserError } from '@/lib/errors';
import { openPortal } from '@/server/billing/account';
import { getBilling } from '@/server/billing/stripe';

export const dynamic = 'force-dynamic';

/** -> { url } of the Stripe customer portal. */
export async function POST(request: Request) {
  try {
    const claims = await caller(request);
    const billing = await getBilling().catch(() => null);
    if (!billing) throw new UserError('Billing is not configured on this server.', 'unavailable');
    return json({ url: await openPortal(getPool(), billing, claims, getConfig().appUrl) });
  } catch (error) {
    return refuse(error);
  }
}
