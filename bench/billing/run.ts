/**
 * Webhook processing benchmark: 10,000 signed Stripe events (20 % duplicates, 10 % out of order) through the webhook's
 * receive step (signature + store once + enqueue) with concurrency 16, against signature verification alone in the
 * same run; then the worker drains the queue and the final plans are checked against the expected ones.
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:billing [--events 10000]
 * (without TEST_DATABASE_URL an embedded Postgres is started)
 */
import { parseArgs } from 'node:util';
import Stripe from 'stripe';
import { createPool } from '@quire/db';
import { failureReporter } from '@quire/db/failures';
import { closeJobConnections } from '@quire/db/jobs';
import { createTestDatabase, startTestServer } from '@quire/db/testing';
import { ids, subscriptionEvent, type StripeEvent } from '../../scripts/stripe-events';
import { receiveStripeWebhook } from '../../apps/web/src/server/billing/webhook';
import { JOBS } from '../../apps/worker/src/jobs';
import { startWorker } from '../../apps/worker/src/worker';

const { values } = parseArgs({ options: { events: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '16' } } });
const TOTAL = Number(values.events);
const CONCURRENCY = Number(values.concurrency);
const SECRET = 'whsec_bench';
const PRICES = { price_pro: 'pro', price_team: 'team' } as const;
const stripe = new Stripe('sk_bench_unused');

/** Unique events per owner in time order; then 10 % swapped with a neighbour of the same owner, and 20 % repeats. */
function workload(userIds: string[]): { deliveries: StripeEvent[]; expected: Map<string, string> } {
  const unique = Math.round(TOTAL * 0.8);
  const perOwner = new Map<string, StripeEvent[]>();
  const base = Math.floor(Date.now() / 1000) - 86_400;
  for (let i = 0; i < unique; i++) {
    const userId = userIds[i % userIds.length]!;
    const list = perOwner.get(userId) ?? [];
    const fields = { customer: `cus_${userId.slice(0, 8)}`, subscription: `sub_${userId.slice(0, 8)}`, userId, price: Math.random() < 0.5 ? 'price_pro' : 'price_team' };
    list.push(subscriptionEvent(list.length ? 'updated' : 'created', base + list.length * 10, fields));
    perOwner.set(userId, list);
  }
  const expected = new Map<string, string>();
  for (const [userId, list] of perOwner) expected.set(userId, PRICES[(list.at(-1)!.data.object.items as { data: Array<{ price: { id: 'price_pro' | 'price_team' } }> }).data[0]!.price.id]);
  // interleave owners in time order, then disorder 10 % by swapping neighbours
  const ordered = [...perOwner.values()].flat().sort((a, b) => a.created - b.created);
  for (let i = 0; i + 1 < ordered.length; i++) if (Math.random() < 0.1) [ordered[i], ordered[i + 1]] = [ordered[i + 1]!, ordered[i]!];
  const deliveries = [...ordered];
  while (deliveries.length < TOTAL) deliveries.splice(Math.floor(Math.random() * deliveries.length), 0, ordered[Math.floor(Math.random() * ordered.length)]!);
  return { deliveries, expected };
}

async function pool16<T>(items: T[], fn: (item: T) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const start = performance.now();
        await fn(item);
        times.push(performance.now() - start);
      }
    }),
  );
  return times;
}

const p99 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.99)]!;

const server = await startTestServer();
const db = await createTestDatabase(server.adminUrl);
const pool = createPool(db.url, { max: 20, applicationName: 'bench-billing' });
try {
  const userIds: string[] = [];
  for (let i = 0; i < 200; i++) {
    const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [`bench-${i}-${ids.event()}@example.test`]);
    userIds.push(rows[0]!.id);
  }
  const { deliveries, expected } = workload(userIds);
  const signed = deliveries.map((event) => {
    const body = JSON.stringify(event);
    return { body, signature: stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }) };
  });

  let t = performance.now();
  const verifyTimes = await pool16(signed, async ({ body, signature }) => {
    stripe.webhooks.constructEvent(body, signature, SECRET, 300);
  });
  const verifySeconds = (performance.now() - t) / 1000;

  const deps = { pool, stripe: stripe as never, secret: SECRET, failures: failureReporter({ error() {} }) };
  let refused = 0;
  t = performance.now();
  const receiveTimes = await pool16(signed, async ({ body, signature }) => {
    const result = await receiveStripeWebhook(deps, body, signature);
    if (result.status !== 200) refused++;
  });
  const receiveSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  const worker = await startWorker(
    { databaseUrl: db.url, port: 0, pollSeconds: 0.5, schedule: false, logLevel: 'silent', priceTiers: { ...PRICES } },
    { jobs: JOBS.filter((job) => job.name === 'stripe-event').map((job) => ({ ...job, concurrency: 8 })) },
  );
  for (let i = 0; ; i++) {
    const { rows } = await pool.query(`select count(*) filter (where processed_at is null)::int as pending from public.subscription_events`);
    if (rows[0].pending === 0) break;
    if (i > 2400) throw new Error('the worker did not drain the queue within 20 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  const drainSeconds = (performance.now() - t) / 1000;
  await worker.stop();

  const { rows } = await pool.query(`select id, subscription_tier from public.user_profiles where id = any($1)`, [userIds]);
  const wrong = rows.filter((row) => expected.get(row.id) !== row.subscription_tier).length;
  const outcomes = await pool.query(`select outcome, count(*)::int as n from public.subscription_events group by outcome order by outcome`);
  const stored = outcomes.rows.reduce((sum, row) => sum + row.n, 0);

  const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 0);
  console.log(`events delivered        ${deliveries.length} (unique ${new Set(deliveries.map((e) => e.id)).size}), concurrency ${CONCURRENCY}, refused ${refused}`);
  console.log(`signature only          ${fmt(deliveries.length / verifySeconds)} events/s, p99 ${fmt(p99(verifyTimes))} ms`);
  console.log(`webhook receive         ${fmt(deliveries.length / receiveSeconds)} events/s, p99 ${fmt(p99(receiveTimes))} ms`);
  console.log(`ratio receive / verify  throughput ${(verifySeconds / receiveSeconds).toFixed(3)}x, p99 ${(p99(receiveTimes) / p99(verifyTimes)).toFixed(1)}x`);
  console.log(`worker drain            ${stored} stored events applied in ${fmt(drainSeconds)} s (${fmt(stored / drainSeconds)} events/s); outcomes ${outcomes.rows.map((r) => `${r.outcome}=${r.n}`).join(' ')}`);
  console.log(`final state             ${wrong === 0 ? 'equals' : 'DIFFERS FROM'} the expected plan for all ${rows.length} owners (${wrong} wrong)`);
  if (wrong) process.exitCode = 1;
} finally {
  await closeJobConnections();
  await pool.end();
  await db.drop();
  await server.stop();
}
