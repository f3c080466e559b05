/**
 * Billing against a local Stripe stand-in: the launch check of the prices, the webhook's signature and exactly-once
 * storage, Checkout (customer created once, the server's own price) and the meters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '@quire/db';
import { applyStripeEvent } from '@quire/db/billing';
import { failureReporter } from '@quire/db/failures';
import { subscriptionEvent, ids } from '../../../scripts/stripe-events';
import { startStripeStandin, type StripeStandin } from '../../../scripts/stripe-standin';
import { billingOverview, startCheckout } from '../src/server/billing/account';
import { billingSettings, createStripe, getBilling, startBilling, validatePrices, type Billing } from '../src/server/billing/stripe';
import { receiveStripeWebhook, type WebhookDeps } from '../src/server/billing/webhook';
import { refusal, testDatabase, type TestDb } from './helpers';

const ENV = { STRIPE_SECRET_KEY: 'sk_test_standin', STRIPE_WEBHOOK_SECRET: 'whsec_test_secret', STRIPE_PRICE_PRO: 'price_pro', STRIPE_PRICE_TEAM: 'price_team' };
let db: TestDb;
let standin: StripeStandin;
let billing: Billing;
let deps: WebhookDeps;
const lines: object[] = [];

async function owner(): Promise<Claims> {
  const email = `owner-${ids.event()}@example.com`;
  const { rows } = await db.pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [email]);
  return { sub: rows[0]!.id, email, role: 'authenticated' };
}

const sign = (payload: string, timestamp?: number) =>
  billing.stripe.webhooks.generateTestHeaderString({ payload, secret: ENV.STRIPE_WEBHOOK_SECRET, timestamp });

const eventCount = async () => (await db.pool.query(`select count(*)::int as n from public.subscription_events`)).rows[0].n as number;

beforeAll(async () => {
  db = await testDatabase();
  standin = await startStripeStandin([
    { id: 'price_pro' },
    { id: 'price_team' },
    { id: 'price_yearly', interval: 'year' },
    { id: 'price_eur', currency: 'eur' },
    { id: 'price_archived', active: false },
  ]);
  const settings = billingSettings({ ...ENV, STRIPE_API_URL: standin.url })!;
  const stripe = createStripe(settings);
  billing = { settings, stripe, prices: await validatePrices(stripe, settings) };
  deps = { pool: db.pool, stripe: billing.stripe, secret: ENV.STRIPE_WEBHOOK_SECRET, failures: failureReporter({ error: (fields) => lines.push(fields) }) };
});

afterAll(async () => {
  await standin?.close();
  await db?.close();
});

describe('the launch check of STRIPE_PRICE_*', () => {
  it('accepts active monthly prices in the billing currency', async () => {
    await expect(validatePrices(billing.stripe, billing.settings)).resolves.toEqual({ pro: { amount: 1200, currency: 'usd' }, team: { amount: 1200, currency: 'usd' } });
  });

  it('refuses to start billing, naming each bad variable', async () => {
    for (const [team, problem] of [
      ['price_missing', /STRIPE_PRICE_TEAM \(price_missing\) does not exist/],
      ['price_yearly', /STRIPE_PRICE_TEAM \(price_yearly\) renews every year/],
      ['price_eur', /STRIPE_PRICE_TEAM \(price_eur\) is in EUR/],
      ['price_archived', /STRIPE_PRICE_TEAM \(price_archived\) is archived/],
    ] as const) {
      const settings = { ...billing.settings, prices: { pro: 'price_pro', team } };
      await expect(validatePrices(billing.stripe, settings)).rejects.toThrow(problem);
    }
    expect(() => billingSettings({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/STRIPE_WEBHOOK_SECRET is not set/);
    expect(billingSettings({})).toBeNull();
  });
});

describe('the launch check at process start (instrumentation.ts -> startBilling)', () => {
  const names = [...Object.keys(ENV), 'STRIPE_API_URL'];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  const holder = globalThis as { __quireBilling?: unknown };
  const errors: string[] = [];
  let original: typeof console.error;

  async function startWith(env: Record<string, string>) {
    for (const name of names) delete process.env[name];
    Object.assign(process.env, env);
    holder.__quireBilling = undefined;
    const outcome = await startBilling();
    await new Promise((resolve) => setImmediate(resolve));
    return outcome;
  }

  beforeAll(() => {
    original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args.join(' '));
  });
  afterAll(() => {
    console.error = original;
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    holder.__quireBilling = undefined;
  });

  it('starts billing with good prices, and leaves it off naming the variable when one is wrong', async () => {
    expect(await startWith({ ...ENV, STRIPE_API_URL: standin.url })).toBe('ready');
    expect(await getBilling()).not.toBeNull();

    errors.length = 0;
    expect(await startWith({ ...ENV, STRIPE_PRICE_TEAM: 'price_typo', STRIPE_API_URL: standin.url })).toBe('refused');
    expect(errors.join('\n')).toMatch(/Billing is not started: STRIPE_PRICE_TEAM \(price_typo\) does not exist in this Stripe account\./);
    // billing stays off for the life of the process: the routes and the screen see the same refusal
    await expect(getBilling()).rejects.toThrow(/STRIPE_PRICE_TEAM/);
    await expect(getBilling()).rejects.toThrow(/STRIPE_PRICE_TEAM/);

    expect(await startWith({})).toBe('not_configured');
  });

  it('asks again at the next billing request when Stripe could not be reached at start', async () => {
    const closed = await startStripeStandin();
    await closed.close();
    errors.length = 0;
    expect(await startWith({ ...ENV, STRIPE_API_URL: closed.url })).toBe('refused');
    expect(errors.join('\n')).toMatch(/STRIPE_PRICE_PRO \(price_pro\) could not be checked/);
    expect(holder.__quireBilling).toBeUndefined();
    // Stripe is back (the stand-in with the right prices): the next request starts billing
    process.env.STRIPE_API_URL = standin.url;
    expect(await getBilling()).not.toBeNull();
  }, 60_000);
});

describe('POST /api/webhooks/stripe', () => {
  it('stores a signed event once, and applying it upgrades the owner', async () => {
    const claims = await owner();
    const event = subscriptionEvent('created', Math.floor(Date.now() / 1000), { customer: ids.customer(), subscription: ids.subscription(), price: 'price_team', userId: claims.sub });
    const body = JSON.stringify(event);
    const result = await receiveStripeWebhook(deps, body, sign(body));
    expect(result).toEqual({ status: 200, body: { received: true, duplicate: false } });
    await applyStripeEvent(db.pool, event.id, { priceTiers: { price_pro: 'pro', price_team: 'team' } });
    expect((await billingOverview(db.pool, claims)).tier).toBe('team');
  });

  it('applies the same event delivered 10 times at once exactly once', async () => {
    const claims = await owner();
    const event = subscriptionEvent('created', Math.floor(Date.now() / 1000), { customer: ids.customer(), subscription: ids.subscription(), price: 'price_pro', userId: claims.sub });
    const body = JSON.stringify(event);
    const results = await Promise.all(Array.from({ length: 10 }, () => receiveStripeWebhook(deps, body, sign(body))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results.filter((r) => (r.body as { duplicate: boolean }).duplicate === false)).toHaveLength(1);
    const { rows } = await db.pool.query(`select count(*)::int as n from public.subscription_events where stripe_event_id = $1`, [event.id]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses a bad signature, a stale timestamp and a malformed body without side effects', async () => {
    const claims = await owner();
    const event = subscriptionEvent('created', Math.floor(Date.now() / 1000), { customer: ids.customer(), subscription: ids.subscription(), price: 'price_team', userId: claims.sub });
    const body = JSON.stringify(event);
    const before = await eventCount();
    const forged = billing.stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_someone_else' });
    expect((await receiveStripeWebhook(deps, body, forged)).status).toBe(400);
    // signed for another body
    expect((await receiveStripeWebhook(deps, body.replace('price_team', 'price_pro'), sign(body))).status).toBe(400);
    expect((await receiveStripeWebhook(deps, body, sign(body, Math.floor(Date.now() / 1000) - 3600))).status).toBe(400);
    expect((await receiveStripeWebhook(deps, body, null)).status).toBe(400);
    const malformed = '{"id": "evt_1", "type": ';
    expect((await receiveStripeWebhook(deps, malformed, sign(malformed))).status).toBe(400);
    const notAnEvent = JSON.stringify({ hello: 'world' });
    expect((await receiveStripeWebhook(deps, notAnEvent, sign(notAnEvent))).status).toBe(400);
    expect(await eventCount()).toBe(before);
    expect((await billingOverview(db.pool, claims)).tier).toBe('free');
    expect(lines.filter((l) => (l as { reason?: string }).reason === 'signature').length).toBeGreaterThanOrEqual(4);
  });
});

describe('Checkout', () => {
  it('creates the Stripe customer once per owner, at the server’s own price, and returns the Checkout URL', async () => {
    const claims = await owner();
    const urls = await Promise.all([startCheckout(db.pool, billing, claims, 'pro', 'http://quire.test'), startCheckout(db.pool, billing, claims, 'team', 'http://quire.test')]);
    for (const url of urls) expect(url).toMatch(new RegExp(`^${standin.url}/checkout/cs_test_`));
    const customers = standin.requests.filter((r) => r.path === '/v1/customers' && r.form['metadata[user_id]'] === claims.sub);
    expect(customers).toHaveLength(1);
    const sessions = standin.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.form.client_reference_id === claims.sub);
    expect(sessions.map((s) => s.form['line_items[0][price]']).sort()).toEqual(['price_pro', 'price_team']);
    const { rows } = await db.pool.query(`select stripe_customer_id from public.user_profiles where id = $1`, [claims.sub]);
    expect(standin.customers.has(rows[0].stripe_customer_id)).toBe(true);
    expect((await refusal(startCheckout(db.pool, billing, claims, 'enterprise', 'http://quire.test'))).kind).toBe('invalid');
    expect((await refusal(startCheckout(db.pool, billing, claims, 'free', 'http://quire.test'))).kind).toBe('invalid');
  });

  it('shows the meters of the owner’s own usage', async () => {
    const claims = await owner();
    await db.pool.query(`insert into public.projects (user_id, title) values ($1, 'A'), ($1, 'B')`, [claims.sub]);
    const overview = await billingOverview(db.pool, claims);
    expect(overview.meters.find((m) => m.key === 'projects')).toEqual({ key: 'projects', label: 'Projects', used: 2, limit: 3 });
    expect(overview.meters.map((m) => m.key)).toEqual(['projects', 'collaborators', 'ai_words', 'exports', 'storage_bytes']);
  });
});
