// The ProvidedContext augmentation that types inject('adminUrl').
import type {} from '../../../test/global-setup';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, type Pool } from '@quire/db';
import { recordStripeEvent } from '@quire/db/billing';
import { closeJobConnections, enqueueJob } from '@quire/db/jobs';
import { createTestDatabase } from '@quire/db/testing';
import { TIER_LIMITS } from '@quire/domain';
import { checkoutCompleted, ids, invoiceEvent, subscriptionEvent } from '../../../scripts/stripe-events';
import { JOBS } from '../src/jobs';
import { startWorker, type RunningWorker } from '../src/worker';

const PRICES = { price_pro_test: 'pro', price_team_test: 'team' } as const;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let worker: RunningWorker;
let clock = new Date('2026-12-10T12:00:00Z');

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function user(email = `owner-${ids.event()}@example.test`) {
  const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [email]);
  return rows[0]!.id;
}

async function profile(id: string) {
  const { rows } = await pool.query(
    `select subscription_tier as tier, subscription_status as status, stripe_customer_id, stripe_subscription_id, grace_until, cancel_at
       from public.user_profiles where id = $1`,
    [id],
  );
  return rows[0];
}

/** Records events (as the webhook does) and waits until the worker has processed every one of them. */
async function deliver(...events: ReturnType<typeof subscriptionEvent>[]) {
  for (const event of events) await recordStripeEvent(pool, event);
  await waitFor('the events to be processed', async () => {
    const { rows } = await pool.query(`select count(*)::int as n from public.subscription_events where stripe_event_id = any($1) and (processed_at is not null or outcome = 'failed')`, [
      events.map((e) => e.id),
    ]);
    return rows[0].n === new Set(events.map((e) => e.id)).size;
  });
}

async function runJob(name: 'ai-usage-reset' | 'billing-grace-expiry', asOf: Date) {
  const id = await enqueueJob(pool, name, { asOf: asOf.toISOString() });
  return waitFor(`${name} to finish`, async () => {
    const job = await worker.boss.getJobById<object>(name, id!, { includeArchive: true });
    return job?.state === 'completed' && (job.output as Record<string, number>);
  });
}

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url, { max: 12, applicationName: 'billing-test' });
  // retries quickly here, so a failing event reaches its last attempt within the test
  const jobs = JOBS.map((job) => (job.name === 'stripe-event' ? { ...job, retry: { limit: 1, delaySeconds: 1, backoff: false } } : job));
  worker = await startWorker(
    { databaseUrl: db.url, port: 0, pollSeconds: 0.5, schedule: false, priceTiers: { ...PRICES } },
    { logger: pino({ level: 'silent' }), now: () => clock, jobs },
  );
});

afterAll(async () => {
  await worker?.stop();
  await closeJobConnections();
  await pool?.end();
  await db?.drop();
});

const t0 = Math.floor(Date.parse('2026-12-01T10:00:00Z') / 1000);

describe('Stripe events, applied by the worker', () => {
  it('upgrade the owner, and the limits move with the plan', async () => {
    const owner = await user();
    const customer = ids.customer();
    const subscription = ids.subscription();
    for (let i = 0; i < TIER_LIMITS.free.projects!; i++) await pool.query(`insert into public.projects (user_id, title) values ($1, 'Book')`, [owner]);
    await expect(pool.query(`insert into public.projects (user_id, title) values ($1, 'One too many')`, [owner])).rejects.toMatchObject({ hint: 'quota:projects' });

    await deliver(checkoutCompleted(t0, { customer, subscription, userId: owner }), subscriptionEvent('created', t0, { customer, subscription, price: 'price_pro_test', userId: owner }));
    expect(await profile(owner)).toMatchObject({ tier: 'pro', status: 'active', stripe_customer_id: customer, stripe_subscription_id: subscription });
    await pool.query(`insert into public.projects (user_id, title) values ($1, 'Now allowed')`, [owner]);
  });

  it('apply an event delivered 10 times concurrently exactly once', async () => {
    const owner = await user();
    const event = subscriptionEvent('created', t0, { customer: ids.customer(), subscription: ids.subscription(), price: 'price_team_test', userId: owner });
    const results = await Promise.all(Array.from({ length: 10 }, () => recordStripeEvent(pool, event)));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    await deliver(event);
    const { rows } = await pool.query(`select outcome, attempts from public.subscription_events where stripe_event_id = $1`, [event.id]);
    expect(rows).toEqual([{ outcome: 'applied', attempts: 1 }]);
    const jobs = await pool.query(`select count(*)::int as n from pgboss.job where name = 'stripe-event' and data ->> 'eventId' = $1`, [event.id]);
    expect(jobs.rows[0].n).toBe(1);
    expect((await profile(owner)).tier).toBe('team');
  });

  it('end in the newest state when events arrive out of order', async () => {
    const owner = await user();
    const fields = { customer: ids.customer(), subscription: ids.subscription(), userId: owner };
    const created = subscriptionEvent('created', t0, { ...fields, price: 'price_pro_test' });
    const pastDue = subscriptionEvent('updated', t0 + 60, { ...fields, price: 'price_pro_test', status: 'past_due' });
    const upgraded = subscriptionEvent('updated', t0 + 120, { ...fields, price: 'price_team_test', status: 'active', cancelAtPeriodEnd: true });
    await deliver(upgraded);
    await deliver(created, pastDue);
    expect(await profile(owner)).toMatchObject({ tier: 'team', status: 'active', grace_until: null });
    expect((await profile(owner)).cancel_at).toBeInstanceOf(Date);
    const { rows } = await pool.query(`select stripe_event_id, outcome from public.subscription_events where stripe_event_id = any($1)`, [[created.id, pastDue.id]]);
    expect(rows.map((r) => r.outcome)).toEqual(['stale', 'stale']);
    // the end of the subscription wins over everything before it
    await deliver(subscriptionEvent('deleted', t0 + 180, { ...fields, price: 'price_team_test' }));
    expect(await profile(owner)).toMatchObject({ tier: 'free', status: 'canceled', stripe_subscription_id: null });
  });

  it('keep the plan through a failed payment for the grace period, then move to free; a payment brings it back', async () => {
    const owner = await user();
    const fields = { customer: ids.customer(), subscription: ids.subscription() };
    await deliver(subscriptionEvent('created', t0, { ...fields, price: 'price_pro_test', userId: owner }));
    await deliver(invoiceEvent('payment_failed', t0 + 3600, fields));
    const failed = await profile(owner);
    expect(failed).toMatchObject({ tier: 'pro', status: 'past_due' });
    expect(failed.grace_until.toISOString()).toBe(new Date((t0 + 3600) * 1000 + 7 * 86_400_000).toISOString());

    expect(await runJob('billing-grace-expiry', new Date((t0 + 3 * 86_400) * 1000))).toEqual({ downgraded: 0 });
    expect((await profile(owner)).tier).toBe('pro');
    await runJob('billing-grace-expiry', new Date((t0 + 8 * 86_400) * 1000));
    expect(await profile(owner)).toMatchObject({ tier: 'free', status: 'unpaid', grace_until: null });

    await deliver(invoiceEvent('paid', t0 + 9 * 86_400, fields));
    expect(await profile(owner)).toMatchObject({ tier: 'pro', status: 'active' });
  });

  it('retry an event it cannot apply, then record it as failed with the reason', async () => {
    const owner = await user();
    const event = subscriptionEvent('created', t0, { customer: ids.customer(), subscription: ids.subscription(), price: 'price_unknown', userId: owner });
    await deliver(event);
    const { rows } = await pool.query(`select outcome, error, processed_at from public.subscription_events where stripe_event_id = $1`, [event.id]);
    expect(rows[0]).toMatchObject({ outcome: 'failed', processed_at: null, error: expect.stringContaining('price_unknown') });
    // the failure row is written right after the event is marked
    const failures = await waitFor('both failure rows', async () => {
      const result = await pool.query(`select attempt, final from public.background_failures where source = 'stripe-event' order by id`);
      return result.rows.length >= 2 && result;
    });
    expect(failures.rows).toEqual([
      { attempt: 1, final: false },
      { attempt: 2, final: true },
    ]);
    expect((await profile(owner)).tier).toBe('free');
  });
});

describe('the monthly AI-words reset', () => {
  it('starts a new UTC month once, whether run twice or late', async () => {
    const a = await user();
    const b = await user();
    await pool.query(`update public.user_profiles set ai_words_used_this_month = 4000, ai_words_reset_at = '2026-11-01T00:00:00Z' where id = any($1)`, [[a, b]]);
    clock = new Date('2026-12-01T00:05:00Z');
    const first = await runJob('ai-usage-reset', clock);
    expect(first.reset).toBeGreaterThanOrEqual(2);
    expect(await runJob('ai-usage-reset', clock)).toEqual({ reset: 0 });
    const { rows } = await pool.query(`select ai_words_used_this_month as used, ai_words_reset_at as at from public.user_profiles where id = $1`, [a]);
    expect(rows[0]).toEqual({ used: 0, at: new Date('2026-12-01T00:00:00Z') });

    // a late run (the worker was down on the 1st) still starts the month it is in, and only once
    await pool.query(`update public.user_profiles set ai_words_used_this_month = 300 where id = $1`, [a]);
    await pool.query(`update public.user_profiles set ai_words_used_this_month = 900, ai_words_reset_at = '2026-11-01T00:00:00Z' where id = $1`, [b]);
    expect(await runJob('ai-usage-reset', new Date('2026-12-17T09:00:00Z'))).toEqual({ reset: 1 });
    const after = await pool.query(`select id, ai_words_used_this_month as used from public.user_profiles where id = any($1)`, [[a, b]]);
    expect(Object.fromEntries(after.rows.map((r) => [r.id, r.used]))).toEqual({ [a]: 300, [b]: 0 });
  });
});
