import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import type { Browser, Page } from 'playwright-core';
import { createPool, type Pool } from '@quire/db';
import { reserveAiWords, settleAiWords } from '@quire/db/ai-quota';
import { checkoutCompleted, ids, subscriptionEvent, type StripeEvent } from '../scripts/stripe-events';
import { startStripeStandin, type StripeStandin } from '../scripts/stripe-standin';
import { launchBrowser, newPerson, PHONE } from './support/browser';
import { invite, within, type Person } from './support/editor';
import { startService, type Service } from './support/service';
import { createNovel, shot } from './support/structure';
import { signUp } from './support/studio';

/**
 * The billing screen as an owner meets it, on the studio as the README starts it with Stripe pointed at the local
 * stand-in (scripts/stripe-standin.ts): the plan, a meter per limit over seeded usage, the renewal and cancellation
 * dates, the plan cards, and Upgrade reaching a Checkout page. Then the same screen for someone who only works in
 * another owner's project, on a studio without Stripe keys, and on one whose STRIPE_PRICE_TEAM is wrong.
 */

const PASSWORD = 'ledgers and lanterns';
const WEBHOOK_SECRET = 'whsec_e2e_billing';
const PRICES = { STRIPE_PRICE_PRO: 'price_pro_e2e', STRIPE_PRICE_TEAM: 'price_team_e2e' };
const stamp = Date.now().toString(36);
const people = {
  ana: { name: 'Ana Reyes', email: `ana-bill-${stamp}@example.com` },
  ben: { name: 'Ben Okafor', email: `ben-bill-${stamp}@example.com` },
};

let standin: StripeStandin;
let service: Service;
let browser: Browser;
let pool: Pool;
let ana: Person;
let ben: Person;
let anaId = '';
let projectId = '';

const stripeEnv = (standinUrl: string, prices = PRICES) => ({
  STRIPE_SECRET_KEY: 'sk_test_standin',
  STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  STRIPE_API_URL: standinUrl,
  ...prices,
});

beforeAll(async () => {
  standin = await startStripeStandin([
    { id: PRICES.STRIPE_PRICE_PRO, amount: 1200 },
    { id: PRICES.STRIPE_PRICE_TEAM, amount: 2900 },
  ]);
  service = await startService({ env: stripeEnv(standin.url) });
  pool = createPool(service.databaseUrl, { max: 4 });
  browser = await launchBrowser();
  [ana, ben] = await Promise.all([newPerson(browser, service.url), newPerson(browser, service.url)]);
  await signUp(ana.page, { ...people.ana, password: PASSWORD });
  await signUp(ben.page, { ...people.ben, password: PASSWORD });
  const projectUrl = await createNovel(ana.page, 'The Salt Road');
  projectId = projectUrl.split('/').pop()!;
  await invite(ana.page, projectUrl, ben, people.ben, 'editor');
  anaId = (await pool.query<{ id: string }>(`select id from auth.users where email = $1`, [people.ana.email])).rows[0]!.id;
}, 10 * 60_000);

afterAll(async () => {
  await browser?.close();
  await pool?.end();
  await service?.stop();
  await standin?.close();
});

/** Posts a Stripe event to the studio's webhook, signed the way Stripe signs. */
async function deliver(event: StripeEvent) {
  const payload = JSON.stringify(event);
  const signature = new Stripe('sk_test_standin').webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  const response = await fetch(`${service.url}/api/webhooks/stripe`, { method: 'POST', headers: { 'stripe-signature': signature, 'content-type': 'application/json' }, body: payload });
  expect(response.status).toBe(200);
}

/** The plan's heading on /billing, reloaded until it says `plan` (the worker applies webhook events). */
async function waitForPlan(page: Page, plan: string) {
  await within(
    60_000,
    async () => {
      await page.goto('/billing');
      return page.locator('#current-plan').innerText();
    },
    (heading) => heading === `${plan} plan`,
    'the plan on the billing screen',
  );
}

function meter(page: Page, key: string) {
  return page.locator(`[data-meter=${key}]`);
}

const longDate = (seconds: number) => new Date(seconds * 1000).toLocaleDateString('en-US', { dateStyle: 'long', timeZone: 'UTC' });

describe('the billing screen with Stripe', () => {
  it('shows the free plan to a new owner, and Upgrade reaches Stripe Checkout for the server’s price', async () => {
    const page = ana.page;
    await page.goto('/projects');
    await page.getByTestId('billing-link').click();
    await page.waitForURL('**/billing');
    await expect(page.locator('#current-plan').innerText()).resolves.toBe('Free plan');
    await expect(page.getByTestId('plan-dates').innerText()).resolves.toMatch(/Free forever/);
    await expect(page.getByTestId('plan-card').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-tier')))).resolves.toEqual(['free', 'pro', 'team']);
    await expect(page.locator('[data-testid=plan-card][aria-current=true]').getAttribute('data-tier')).resolves.toBe('free');
    await expect(page.locator('[data-testid=plan-card][data-tier=free]').innerText()).resolves.toMatch(/Your plan[\s\S]*3 projects/);
    await expect(page.getByTestId('plan-status').count()).resolves.toBe(0);
    await expect(page.getByTestId('plan-price').allInnerTexts()).resolves.toEqual(['$0 a month', '$12 a month', '$29 a month']);
    await expect(page.getByRole('button', { name: 'Upgrade to Team' }).isVisible()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Upgrade to Pro' }).click();
    await page.waitForURL(`${standin.url}/checkout/**`);
    await expect(page.getByRole('heading', { name: 'Checkout' }).isVisible()).resolves.toBe(true);
    const session = standin.requests.filter((r) => r.path === '/v1/checkout/sessions' && r.form.client_reference_id === anaId);
    expect(session.map((r) => r.form['line_items[0][price]'])).toEqual([PRICES.STRIPE_PRICE_PRO]);
    expect([...standin.customers.values()].filter((c) => (c.metadata as { user_id?: string }).user_id === anaId)).toHaveLength(1);
  }, 120_000);

  it('shows the paid plan, its renewal date and a meter per limit over the owner’s usage', async () => {
    const page = ana.page;
    const customer = [...standin.customers.values()].find((c) => (c.metadata as { user_id?: string }).user_id === anaId)!.id as string;
    const subscription = ids.subscription();
    const now = Math.floor(Date.now() / 1000);
    const periodEnd = now + 30 * 86_400;
    await deliver(checkoutCompleted(now - 2, { customer, subscription, userId: anaId }));
    await deliver(subscriptionEvent('created', now - 1, { customer, subscription, userId: anaId, price: PRICES.STRIPE_PRICE_PRO, periodEnd }));
    await waitForPlan(page, 'Pro');
    await expect(page.getByTestId('plan-dates').innerText()).resolves.toBe(`Renews on ${longDate(periodEnd)}.`);
    await expect(page.getByTestId('plan-status').innerText()).resolves.toBe('Active');

    // usage a writer of a few months would have: two more books, a second collaborator, exports, AI help
    await pool.query(`insert into public.projects (user_id, title) values ($1, 'Harbour Lights'), ($1, 'The Winter Orchard')`, [anaId]);
    const cleo = (await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [`cleo-bill-${stamp}@example.com`])).rows[0]!.id;
    await pool.query(`insert into public.project_members (project_id, user_id, role) values ($1, $2, 'commenter')`, [projectId, cleo]);
    await pool.query(
      `insert into public.export_jobs (project_id, user_id, format, status, finished_at)
       select $1, $2, f, 'succeeded', now() from unnest(array['docx', 'epub', 'pdf', 'markdown']) f`,
      [projectId, anaId],
    );
    const reservation = await reserveAiWords(pool, { userId: anaId, projectId, words: 20_000 });
    await settleAiWords(pool, reservation, { words: 12_480, feature: 'continue', model: 'e2e-model' });

    await page.goto('/billing');
    const expected: Record<string, string> = {
      projects: 'Projects3 / 50',
      collaborators: 'Collaborators (largest project)2 / 10',
      ai_words: 'AI words this month12,480 / 200,000',
      exports: 'Exports this month4 / 100',
      storage_bytes: 'Picture storage0 MB / 5.0 GB',
    };
    for (const [key, text] of Object.entries(expected)) {
      await expect(meter(page, key).innerText().then((t) => t.replace(/\s+/g, ''))).resolves.toBe(text.replace(/\s+/g, ''));
    }
    await expect(meter(page, 'ai_words').getByRole('meter').getAttribute('aria-valuenow')).resolves.toBe('12480');
    await expect(page.getByRole('button', { name: 'Manage billing' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Upgrade to Team' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Downgrade in billing' }).isVisible()).resolves.toBe(true);

    await shot(page, 'billing');
    await page.setViewportSize(PHONE);
    await shot(page, 'billing-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // Manage billing opens the customer portal of Ana's own Stripe customer
    await page.getByRole('button', { name: 'Manage billing' }).click();
    await page.waitForURL(`${standin.url}/portal/**`);
    expect(standin.requests.filter((r) => r.path === '/v1/billing_portal/sessions').map((r) => r.form.customer)).toEqual([customer]);

    // canceled at the period's end: the screen says when the plan ends instead of when it renews
    await deliver(subscriptionEvent('updated', now, { customer, subscription, userId: anaId, price: PRICES.STRIPE_PRICE_PRO, periodEnd, cancelAtPeriodEnd: true }));
    await within(
      60_000,
      async () => {
        await page.goto('/billing');
        return page.getByTestId('plan-dates').innerText();
      },
      (text) => text.startsWith('Ends on'),
      'the cancellation date',
    );
    await expect(page.getByTestId('plan-dates').innerText()).resolves.toBe(`Ends on ${longDate(periodEnd)}; then Free.`);
    await expect(page.getByTestId('plan-status').innerText()).resolves.toBe('Canceled at period end');
  }, 180_000);

  it('never shows an owner’s billing to a member of their project', async () => {
    const page = ben.page;
    await page.goto('/projects');
    await expect(page.getByRole('link', { name: 'The Salt Road' }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId('billing-link').count()).resolves.toBe(0);
    // /billing is about the signed-in account only: Ben's own free plan and nothing of Ana's
    await page.goto('/billing');
    await expect(page.locator('#current-plan').innerText()).resolves.toBe('Free plan');
    await expect(meter(page, 'projects').innerText()).resolves.toMatch(/0\s*\/\s*3/);
    await expect(page.getByRole('button', { name: 'Manage billing' }).count()).resolves.toBe(0);
    const portal = await page.request.post('/api/billing/portal', { headers: { origin: service.url }, data: {} });
    expect(portal.status()).toBe(404);
    expect(standin.requests.filter((r) => r.path === '/v1/billing_portal/sessions')).toHaveLength(1);
    // and the plan of Ana's project is not his to read or change
    const { rows } = await pool.query(`select subscription_tier from public.user_profiles where id = $1`, [anaId]);
    expect(rows[0].subscription_tier).toBe('pro');
  }, 60_000);
});

describe('the billing screen without Stripe, and with a wrong price', () => {
  it('says billing is not configured without keys, and stays off naming the variable when a price is wrong', async () => {
    const [plain, misconfigured] = await Promise.all([startService(), startService({ env: stripeEnv(standin.url, { ...PRICES, STRIPE_PRICE_TEAM: 'price_team_typo' }) })]);
    try {
      // the launch check ran at start, before anyone opened a billing page
      expect(misconfigured.output()).toMatch(/Billing is not started: STRIPE_PRICE_TEAM \(price_team_typo\) does not exist in this Stripe account\./);
      expect(plain.output()).toMatch(/billing: not configured/);

      for (const [studio, tag] of [[plain, 'plain'], [misconfigured, 'wrong']] as const) {
        const person = await newPerson(browser, studio.url);
        await signUp(person.page, { name: 'Dee Lindqvist', email: `dee-${tag}-${stamp}@example.com`, password: PASSWORD });
        await person.page.goto('/billing');
        await expect(person.page.locator('#current-plan').innerText()).resolves.toBe('Free plan');
        const notice = person.page.getByRole('status').filter({ hasText: tag === 'plain' ? 'Billing is not configured' : 'Billing is unavailable' });
        await expect(notice.count()).resolves.toBe(1);
        await expect(person.page.getByRole('button', { name: /Upgrade to/ }).count()).resolves.toBe(0);
        const checkout = await person.page.request.post('/api/billing/checkout', { headers: { origin: studio.url }, data: { tier: 'pro' } });
        expect(checkout.status()).toBe(503);
        await person.context.close();
      }
      // a webhook cannot be taken in while billing is off: Stripe keeps redelivering until it is fixed
      const response = await fetch(`${misconfigured.url}/api/webhooks/stripe`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(503);
    } finally {
      await Promise.all([plain.stop(), misconfigured.stop()]);
    }
  }, 10 * 60_000);
});
