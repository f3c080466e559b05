/**
 * The two billing scripts as an operator runs them, as `pnpm …` child processes on this file's own database:
 * `pnpm quire plan …` (a plan without Stripe) and `pnpm stripe:replay` posting to the web app's webhook (server.ts on
 * the built app, Stripe pointed at the stand-in) whose events the worker applies.
 */
// The ProvidedContext augmentation that types inject('adminUrl').
import type {} from '../global-setup';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, freePort, type Pool } from '@quire/db';
import { closeJobConnections } from '@quire/db/jobs';
import { createTestDatabase } from '@quire/db/testing';
import { TIER_LIMITS } from '@quire/domain';
import { JOBS } from '../../apps/worker/src/jobs';
import { startWorker, type RunningWorker } from '../../apps/worker/src/worker';
import { JWT_SECRET } from '../../apps/web/test/helpers';
import { waitFor } from '../../apps/web/test/worker-process';
import { checkoutCompleted, ids, subscriptionEvent, type StripeEvent } from '../../scripts/stripe-events';
import { startStripeStandin, type StripeStandin } from '../../scripts/stripe-standin';
import { launch, ROOT, type Launched } from './support/clone';

const SECRET = 'whsec_ops_replay';
const PRICES = { STRIPE_PRICE_PRO: 'price_pro_ops', STRIPE_PRICE_TEAM: 'price_team_ops' };

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let standin: StripeStandin;
let web: Launched;
let webhook: string;
let worker: RunningWorker | undefined;
let scratch: string;

/** Runs `pnpm <args>` in the checkout; resolves with its exit code and everything it printed. */
function pnpm(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

// the worker runs in this process so a test can restart it with other prices, the way an operator fixes a setting;
// a failing event reaches its last attempt quickly here
async function startStripeWorker(priceTiers: Record<string, 'pro' | 'team'>) {
  const jobs = JOBS.map((job) => (job.name === 'stripe-event' ? { ...job, retry: { limit: 0, delaySeconds: 1, backoff: false } } : job));
  worker = await startWorker({ databaseUrl: db.url, port: 0, pollSeconds: 0.5, schedule: false, logLevel: 'silent', priceTiers }, { jobs });
}

async function owner() {
  const email = `owner-${ids.event()}@example.test`;
  const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [email]);
  return { id: rows[0]!.id, email };
}

async function plan(id: string) {
  const { rows } = await pool.query(`select subscription_tier as tier, subscription_status as status, billing_event_at from public.user_profiles where id = $1`, [id]);
  return rows[0];
}

const addProject = (userId: string) => pool.query(`insert into public.projects (user_id, title) values ($1, 'Book')`, [userId]);

async function eventRows(events: StripeEvent[]) {
  const { rows } = await pool.query(
    `select e.stripe_event_id as id, e.outcome, e.attempts,
            (select count(*)::int from pgboss.job j where j.name = 'stripe-event' and j.data ->> 'eventId' = e.stripe_event_id) as jobs
       from public.subscription_events e where e.stripe_event_id = any($1) order by e.event_created_at, e.stripe_event_id`,
    [events.map((e) => e.id)],
  );
  return rows;
}

const settled = (events: StripeEvent[]) =>
  waitFor('the worker to settle the events', async () => {
    const rows = await eventRows(events);
    return rows.length === events.length && rows.every((r) => r.outcome !== null) && rows;
  }, 30_000);

async function fixture(name: string, events: StripeEvent[]) {
  const file = path.join(scratch, `${name}.json`);
  await writeFile(file, JSON.stringify(events));
  return file;
}

const replay = (args: string[], secret = SECRET) => pnpm(['stripe:replay', '--url', webhook, ...args], { STRIPE_WEBHOOK_SECRET: secret });

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'quire-billing-scripts-'));
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url, { max: 4, applicationName: 'billing-scripts-test' });
  standin = await startStripeStandin([{ id: PRICES.STRIPE_PRICE_PRO }, { id: PRICES.STRIPE_PRICE_TEAM }]);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...PRICES,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: db.url,
    SUPABASE_JWT_SECRET: JWT_SECRET,
    PORT: String(port),
    WEB_HOST: '127.0.0.1',
    QUIRE_STORAGE_DIR: path.join(scratch, 'storage'),
    STRIPE_SECRET_KEY: 'sk_test_standin',
    STRIPE_WEBHOOK_SECRET: SECRET,
    STRIPE_API_URL: standin.url,
  };
  for (const name of ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'APP_URL']) delete env[name];
  // the web app is built before the suite (`pnpm test`); a launcher rebuilding it meanwhile holds this lock
  const webDir = path.join(ROOT, 'apps/web');
  await waitFor('the web app build', async () => !existsSync(path.join(webDir, '.build-lock')) && existsSync(path.join(webDir, '.next/BUILD_ID')), 5 * 60_000);
  web = launch(process.execPath, ['--import', 'tsx', 'server.ts'], { cwd: webDir, env });
  await web.waitFor(/web listening on http:\/\/127\.0\.0\.1:\d+/, 90_000);
  webhook = `http://127.0.0.1:${port}/api/webhooks/stripe`;
  await startStripeWorker({ [PRICES.STRIPE_PRICE_PRO]: 'pro' });
}, 7 * 60_000);

afterAll(async () => {
  await worker?.stop();
  await closeJobConnections();
  await web?.stop();
  await standin?.close();
  await pool?.end();
  await db?.drop();
  await rm(scratch, { recursive: true, force: true });
});

describe('pnpm quire plan', () => {
  it('set moves the owner to the plan, and the database enforces that plan’s limits', async () => {
    const { id, email } = await owner();
    for (let i = 0; i < TIER_LIMITS.free.projects!; i++) await addProject(id);
    await expect(addProject(id)).rejects.toMatchObject({ hint: 'quota:projects' });

    // the email as the operator typed it, not as it was stored
    const up = await pnpm(['quire', 'plan', 'set', email.toUpperCase(), 'pro']);
    expect(up.out).toContain(`${email.toUpperCase()} is now on the pro plan`);
    expect(up.code).toBe(0);
    expect(await plan(id)).toMatchObject({ tier: 'pro', status: 'active' });
    await addProject(id);

    const shown = await pnpm(['quire', 'plan', 'show', email]);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`${email}: pro (active)`);

    const down = await pnpm(['quire', 'plan', 'set', email, 'free']);
    expect(down.code).toBe(0);
    expect((await plan(id)).tier).toBe('free');
    // downgraded: the projects stay, a new one is refused
    await expect(addProject(id)).rejects.toMatchObject({ hint: 'quota:projects' });
    expect((await pool.query(`select count(*)::int as n from public.projects where user_id = $1`, [id])).rows[0].n).toBe(TIER_LIMITS.free.projects! + 1);
  });

  it('refuses an unknown plan or email with a clear message and a failing exit, changing nothing', async () => {
    const { email } = await owner();
    const profiles = () => pool.query(`select id, subscription_tier, subscription_status, grace_until from public.user_profiles order by id`).then((r) => r.rows);
    const before = await profiles();

    const tier = await pnpm(['quire', 'plan', 'set', email, 'enterprise']);
    expect(tier.code).not.toBe(0);
    expect(tier.out).toContain('unknown plan "enterprise": choose one of free, pro, team');

    const nobody = await pnpm(['quire', 'plan', 'set', `nobody-${ids.event()}@example.test`, 'team']);
    expect(nobody.code).not.toBe(0);
    expect(nobody.out).toMatch(/no account with the email nobody-evt_\w+@example\.test/);

    const usage = await pnpm(['quire', 'plan', 'set', email]);
    expect(usage.code).not.toBe(0);
    expect(usage.out).toContain('usage: pnpm quire plan set <email> <free|pro|team>');

    expect(await profiles()).toEqual(before);
  });
});

describe('pnpm stripe:replay', () => {
  it('delivers fixture events that are applied once; replaying them again changes nothing', async () => {
    const { id } = await owner();
    const created = Math.floor(Date.now() / 1000);
    const fields = { customer: ids.customer(), subscription: ids.subscription() };
    const events = [checkoutCompleted(created, { ...fields, userId: id }), subscriptionEvent('created', created + 1, { ...fields, price: PRICES.STRIPE_PRICE_PRO, userId: id })];
    const file = await fixture('upgrade', events);

    const first = await replay(['--file', file]);
    expect(first.out).toContain('2 event(s) sent, 0 refused');
    expect(first.code).toBe(0);
    const applied = await settled(events);
    expect(applied).toEqual(events.map((e) => ({ id: e.id, outcome: 'applied', attempts: 1, jobs: 1 })));
    const upgraded = await plan(id);
    expect(upgraded).toMatchObject({ tier: 'pro', status: 'active' });

    const again = await replay(['--file', file]);
    expect(again.code).toBe(0);
    for (const event of events) expect(again.out).toContain(`${event.id}: 200 {"received":true,"duplicate":true}`);
    // a stored event asked for by id is harmless too
    const byId = await replay(events.flatMap((e) => ['--event', e.id]));
    expect(byId.code).toBe(0);
    await waitFor('the replayed jobs to finish', async () => {
      const { rows } = await pool.query(`select count(*)::int as n from pgboss.job where name = 'stripe-event' and data ->> 'eventId' = any($1) and state <> 'completed'`, [
        events.map((e) => e.id),
      ]);
      return rows[0].n === 0;
    });
    expect(await eventRows(events)).toEqual(events.map((e) => expect.objectContaining({ id: e.id, outcome: 'applied', attempts: 1 })));
    expect(await plan(id)).toEqual(upgraded);
  });

  it('refuses events signed with the wrong secret, and nothing is stored or applied', async () => {
    const { id } = await owner();
    const event = subscriptionEvent('created', Math.floor(Date.now() / 1000), { customer: ids.customer(), subscription: ids.subscription(), price: PRICES.STRIPE_PRICE_PRO, userId: id });
    const result = await replay(['--file', await fixture('forged', [event])], 'whsec_not_this_studio');
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(`${event.id}: 400`);
    expect(result.out).toContain('1 event(s) sent, 1 refused');
    expect(await eventRows([event])).toEqual([]);
    expect((await plan(id)).tier).toBe('free');

    const unsigned = await replay(['--file', await fixture('unsigned', [event])], '');
    expect(unsigned.code).not.toBe(0);
    expect(unsigned.out).toContain('usage: STRIPE_WEBHOOK_SECRET=');
  });

  it('fails, naming it, when an event asked for by id was never stored', async () => {
    const unknown = ids.event();
    const result = await replay(['--event', unknown]);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain(`${unknown}: no such event stored in this database`);
    expect(result.out).toContain('0 event(s) sent, 0 refused, 1 not found');
  });

  it('--failed applies, once, an event that failed before its price was configured', async () => {
    const { id } = await owner();
    const event = subscriptionEvent('created', Math.floor(Date.now() / 1000), { customer: ids.customer(), subscription: ids.subscription(), price: PRICES.STRIPE_PRICE_TEAM, userId: id });
    expect((await replay(['--file', await fixture('team', [event])])).code).toBe(0);
    expect(await settled([event])).toEqual([{ id: event.id, outcome: 'failed', attempts: 1, jobs: 1 }]);
    expect((await plan(id)).tier).toBe('free');

    // the operator sees it: counted on the status page, and listed by `quire failures` with its attempt and error
    const status = (await (await fetch(webhook.replace('/api/webhooks/stripe', '/status'))).text()).replaceAll('<!-- -->', '');
    const counted = /data-failure-source="stripe-event".*?(\d+) failed for good/s.exec(status);
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(1);
    const listed = await pnpm(['quire', 'failures']);
    expect(listed.code).toBe(0);
    expect(listed.out).toMatch(/job stripe-event attempt 1, final.*BillingError/);

    // the operator sets STRIPE_PRICE_TEAM on the worker and restarts it
    await worker!.stop();
    await startStripeWorker({ [PRICES.STRIPE_PRICE_PRO]: 'pro', [PRICES.STRIPE_PRICE_TEAM]: 'team' });
    const retried = await replay(['--failed']);
    expect(retried.code).toBe(0);
    expect(retried.out).toContain('1 event(s) sent, 0 refused');
    expect(await settled([event])).toEqual([{ id: event.id, outcome: 'applied', attempts: 2, jobs: 2 }]);
    expect(await plan(id)).toMatchObject({ tier: 'team', status: 'active' });

    const nothingLeft = await replay(['--failed']);
    expect(nothingLeft.code).toBe(0);
    expect(nothingLeft.out).toContain('0 event(s) sent, 0 refused');
    expect(await eventRows([event])).toEqual([{ id: event.id, outcome: 'applied', attempts: 2, jobs: 2 }]);
  });
});
