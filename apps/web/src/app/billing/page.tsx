import type { Metadata } from 'next';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { Alert, PageTitle } from '@/components/ui';
import { BillingScreen } from '@/components/billing/BillingScreen';
import { billingOverview } from '@/server/billing/account';
import { getBilling } from '@/server/billing/stripe';

export const metadata: Metadata = { title: 'Plan and billing' };
export const dynamic = 'force-dynamic';

export default async function BillingPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer('/billing');
  const params = await searchParams;
  const [overview, billing] = await Promise.all([billingOverview(getPool(), viewer.claims), getBilling().catch(() => 'broken' as const)]);
  const state = billing === 'broken' ? 'broken' : billing ? 'ready' : 'not_configured';
  return (
    <div className="space-y-8">
      <PageTitle subtitle="Your plan, what you have used of it, and how to change it.">Plan and billing</PageTitle>
      {params.checkout === 'done' ? <Alert tone="success">Thank you. Your new plan starts as soon as Stripe confirms the payment.</Alert> : null}
      {params.checkout === 'canceled' ? <Alert tone="info">Checkout was canceled; your plan has not changed.</Alert> : null}
      <BillingScreen overview={overview} billing={state} prices={billing && billing !== 'broken' ? billing.prices : null} />
    </div>
  );
}
