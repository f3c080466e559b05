'use client';

import { useState } from 'react';
import { TIER_LABELS, TIERS, tierRank, type Tier, type TierLimits } from '@quire/domain/tiers';
import { Alert, Button, Card } from '@/components/ui';
import type { PaidTier } from '@quire/domain/billing';
import type { BillingOverview, Meter } from '@/server/billing/account';
import type { MonthlyPrice } from '@/server/billing/stripe';

const MB = 1024 * 1024;

function amount(meter: Pick<Meter, 'key'>, value: number): string {
  if (meter.key === 'storage_bytes') return value >= 1024 * MB ? `${(value / (1024 * MB)).toFixed(1)} GB` : `${Math.round(value / MB)} MB`;
  return value.toLocaleString('en-US');
}

function MeterRow({ meter }: { meter: Meter }) {
  const share = meter.limit ? Math.min(1, meter.used / meter.limit) : 0;
  const over = meter.limit !== null && meter.used >= meter.limit;
  return (
    <li className="space-y-1" data-meter={meter.key}>
      <div className="flex justify-between text-sm">
        <span className="text-stone-700">{meter.label}</span>
        <span className={over ? 'font-semibold text-red-700' : 'text-stone-600'}>
          {amount(meter, meter.used)} / {meter.limit === null ? 'unlimited' : amount(meter, meter.limit)}
        </span>
      </div>
      <div
        role="meter"
        aria-label={meter.label}
        aria-valuemin={0}
        aria-valuemax={meter.limit ?? meter.used}
        aria-valuenow={meter.used}
        className="h-2 overflow-hidden rounded-full bg-stone-200"
      >
        <div className={over ? 'h-full bg-red-600' : 'h-full bg-accent'} style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      {over ? <p className="text-xs text-red-700">Your plan allows {amount(meter, meter.limit!)} — upgrade to get more.</p> : null}
    </li>
  );
}

const LIMIT_LINES: Array<[keyof TierLimits, string]> = [
  ['projects', 'projects'],
  ['collaborators', 'collaborators per project'],
  ['ai_words_per_month', 'AI words a month'],
  ['exports_per_month', 'exports a month'],
  ['version_retention_days', 'days of version history'],
  ['storage_bytes', 'picture storage'],
];

function limitText(key: keyof TierLimits, value: number | null): string {
  if (value === null) return 'Unlimited';
  if (key === 'storage_bytes') return amount({ key: 'storage_bytes' }, value);
  return value.toLocaleString('en-US');
}

/** How the subscription stands, for paid plans (a free plan has nothing to say here). */
function statusBadge(overview: BillingOverview): { text: string; tone: string } | null {
  if (overview.tier === 'free') return null;
  if (overview.status === 'past_due') return { text: 'Payment failed', tone: 'bg-amber-100 text-amber-900' };
  if (overview.cancelAt) return { text: 'Canceled at period end', tone: 'bg-stone-100 text-stone-700' };
  if (overview.status === 'trialing') return { text: 'Trial', tone: 'bg-sky-100 text-sky-900' };
  if (overview.status === 'active') return { text: 'Active', tone: 'bg-emerald-100 text-emerald-900' };
  return null;
}

/** "$12 a month" from Stripe's price; "Free" for the free plan; nothing when Stripe's prices are not known here. */
function priceText(tier: Tier, prices: Record<PaidTier, MonthlyPrice> | null): string | null {
  if (tier === 'free') return '$0';
  const price = prices?.[tier];
  if (!price || price.amount === null) return null;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: price.currency.toUpperCase(),
    minimumFractionDigits: price.amount % 100 === 0 ? 0 : 2,
  }).format(price.amount / 100);
}

async function go(path: string, body?: object): Promise<string> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  const data = (await response.json().catch(() => ({}))) as { url?: string; error?: string };
  if (!response.ok || !data.url) throw new Error(data.error ?? 'That did not work. Try again in a moment.');
  return data.url;
}

export function BillingScreen({
  overview,
  billing,
  prices,
}: {
  overview: BillingOverview;
  billing: 'ready' | 'not_configured' | 'broken';
  prices: Record<PaidTier, MonthlyPrice> | null;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const open = (what: string, path: string, body?: object) => {
    setBusy(what);
    setError(null);
    go(path, body).then(
      (url) => window.location.assign(url),
      (failure: Error) => {
        setError(failure.message);
        setBusy(null);
      },
    );
  };
  const badge = statusBadge(overview);
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' }) : null);
  return (
    <div className="space-y-8">
      {billing === 'not_configured' ? (
        <Alert tone="info" title="Billing is not configured">
          This server has no Stripe keys, so plans cannot be bought here. The administrator sets plans with <code>pnpm quire plan set</code>.
        </Alert>
      ) : null}
      {billing === 'broken' ? <Alert tone="warning">Billing is unavailable right now; your plan and its limits are unchanged.</Alert> : null}
      {error ? <Alert>{error}</Alert> : null}
      {overview.graceUntil ? (
        <Alert tone="warning" title="Your last payment failed">
          Update your card before {date(overview.graceUntil)} to keep the {TIER_LABELS[overview.tier]} plan; after that your account moves to Free. Nothing is deleted.
        </Alert>
      ) : null}
      <Card className="p-5" aria-labelledby="current-plan">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex flex-wrap items-center gap-3">
            <h2 id="current-plan" className="font-serif text-2xl text-ink">
              {TIER_LABELS[overview.tier]} plan
            </h2>
            {badge ? (
              <span className={`rounded-full px-2.5 py-0.5 text-xs font-semibold ${badge.tone}`} data-testid="plan-status">
                {badge.text}
              </span>
            ) : null}
          </div>
          {billing === 'ready' && overview.hasCustomer ? (
            <Button variant="secondary" size="sm" disabled={busy !== null} onClick={() => open('portal', '/api/billing/portal')}>
              {busy === 'portal' ? 'Opening…' : 'Manage billing'}
            </Button>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-stone-600" data-testid="plan-dates">
          {overview.cancelAt
            ? `Ends on ${date(overview.cancelAt)}; then Free.`
            : overview.renewsAt
              ? `Renews on ${date(overview.renewsAt)}.`
              : overview.tier === 'free'
                ? 'Free forever; upgrade when you need more.'
                : 'Set by the administrator.'}
        </p>
        <ul className="mt-5 space-y-4">
          {overview.meters.map((meter) => (
            <MeterRow key={meter.key} meter={meter} />
          ))}
        </ul>
      </Card>
      <section aria-labelledby="plans-title">
        <h2 id="plans-title" className="mb-3 text-sm font-semibold uppercase tracking-wide text-stone-500">
          Plans
        </h2>
        <ul className="grid gap-4 md:grid-cols-3">
          {TIERS.map((tier: Tier) => {
            const current = tier === overview.tier;
            const up = tierRank(tier) > tierRank(overview.tier);
            return (
              <li key={tier}>
                <Card
                  className={current ? 'flex h-full flex-col p-5 ring-2 ring-accent' : 'flex h-full flex-col p-5'}
                  aria-label={`${TIER_LABELS[tier]} plan`}
                  aria-current={current ? 'true' : undefined}
                  data-testid="plan-card"
                  data-tier={tier}
                >
                  <div className="flex items-center justify-between gap-2">
                    <h3 className="font-serif text-xl text-ink">{TIER_LABELS[tier]}</h3>
                    {current ? <span className="rounded-full bg-accent-soft px-2.5 py-0.5 text-xs font-semibold text-accent">Your plan</span> : null}
                  </div>
                  {priceText(tier, prices) ? (
                    <p className="mt-1 text-stone-600" data-testid="plan-price">
                      <span className="text-2xl font-semibold text-ink">{priceText(tier, prices)}</span> a month
                    </p>
                  ) : null}
                  <ul className="mt-3 space-y-1 text-sm text-stone-700">
                    {LIMIT_LINES.map(([key, label]) => (
                      <li key={key}>
                        {limitText(key, overview.limits[tier][key])} {label}
                      </li>
                    ))}
                  </ul>
                  <div className="mt-auto pt-4">
                    {current || billing !== 'ready' ? null : up ? (
                      <Button disabled={busy !== null} onClick={() => open(tier, '/api/billing/checkout', { tier })}>
                        {busy === tier ? 'Opening checkout…' : `Upgrade to ${TIER_LABELS[tier]}`}
                      </Button>
                    ) : overview.hasCustomer ? (
                      <Button variant="secondary" disabled={busy !== null} onClick={() => open('portal', '/api/billing/portal')}>
                        Downgrade in billing
                      </Button>
                    ) : null}
                  </div>
                </Card>
              </li>
            );
          })}
        </ul>
        <p className="mt-3 text-xs text-stone-500">
          Downgrading deletes nothing: your projects and collaborators stay, and nothing new can be added past the smaller plan&apos;s limits until you
          are under them.
        </p>
      </section>
    </div>
  );
}
