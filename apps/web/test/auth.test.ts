import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { createPool } from '@quire/db/pool';
import { anonKey } from '../src/lib/auth/tokens';
import { FailureLimiter } from '../src/lib/auth/embedded/rate-limit';
import { embeddedAuth, JWT_SECRET, SITE, signUp, testDatabase, uniqueEmail, type Auth, type TestDb } from './helpers';

let db: TestDb;
let auth: Auth;

beforeAll(async () => {
  db = await testDatabase();
  auth = embeddedAuth(db.pool, { signInLimits: { perAddress: 8, perEmail: 3, windowMs: 60_000 } });
});
afterAll(async () => db?.close());

describe('embedded auth through supabase-js', () => {
  it('signs up, returns a GoTrue session with Supabase claims, and creates the profile', async () => {
    const client = await auth.client();
    const email = uniqueEmail('ana');
    const { data, error } = await client.auth.signUp({ email: email.toUpperCase(), password: 'a long enough secret', options: { data: { display_name: 'Ana' } } });
    expect(error).toBeNull();
    const session = data.session!;
    expect(session.token_type).toBe('bearer');
    expect(session.expires_in).toBe(3600);
    expect(session.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(session.refresh_token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(session.user.email).toBe(email);
    expect(session.user.user_metadata.display_name).toBe('Ana');
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({ sub: session.user.id, role: 'authenticated', aud: 'authenticated', email, iss: `${SITE}/auth/v1` });
    expect(typeof claims.session_id).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(3600);
    const { rows } = await db.admin.query('select email, display_name from public.user_profiles where id = $1', [session.user.id]);
    expect(rows[0]).toEqual({ email, display_name: 'Ana' });
    const stored = await db.admin.query('select encrypted_password from auth.users where id = $1', [session.user.id]);
    expect(stored.rows[0].encrypted_password).toMatch(/^\$2[aby]\$/);
  });

  it('refuses a duplicate address, a short password and a malformed address with readable messages', async () => {
    const client = await auth.client();
    const email = uniqueEmail();
    await client.auth.signUp({ email, password: 'first password ok' });
    const again = await client.auth.signUp({ email, password: 'second password ok' });
    expect(again.error?.code).toBe('user_already_exists');
    expect(again.error?.message).toMatch(/already exists/);
    const weak = await client.auth.signUp({ email: uniqueEmail(), password: 'short' });
    expect(weak.error?.code).toBe('weak_password');
    expect(weak.error?.message).toMatch(/at least 8 characters/);
    const bad = await client.auth.signUp({ email: 'not-an-address', password: 'long enough here' });
    expect(bad.error?.code).toBe('validation_failed');
    expect(bad.error?.message).toMatch(/valid email/);
  });

  it('signs in with the password, refuses a wrong one, and reads and updates the user', async () => {
    const user = await signUp(auth, 'reader');
    const client = await auth.client();
    const wrong = await client.auth.signInWithPassword({ email: user.email, password: 'not the password' });
    expect(wrong.error?.code).toBe('invalid_credentials');
    expect(wrong.error?.status).toBe(400);
    expect(wrong.error?.message).toMatch(/do not match/);
    const ok = await client.auth.signInWithPassword({ email: user.email, password: 'correct horse battery' });
    expect(ok.error).toBeNull();
    const me = await client.auth.getUser();
    expect(me.data.user?.id).toBe(user.userId);
    const updated = await client.auth.updateUser({ data: { display_name: 'Renamed' } });
    expect(updated.data.user?.user_metadata.display_name).toBe('Renamed');
  });

  it('rotates refresh tokens, and reuse of a spent one after the grace window ends the session', async () => {
    const strict = embeddedAuth(db.pool, { reuseIntervalSeconds: 0 });
    const user = await signUp(strict, 'rotator');
    const client = await strict.client();
    const signedIn = await client.auth.signInWithPassword({ email: user.email, password: 'correct horse battery' });
    const first = signedIn.data.session!.refresh_token;
    const refreshed = await client.auth.refreshSession({ refresh_token: first });
    expect(refreshed.error).toBeNull();
    const second = refreshed.data.session!.refresh_token;
    expect(second).not.toBe(first);
    await new Promise((r) => setTimeout(r, 20));
    // the spent token comes back: a copy exists somewhere, so the whole session goes
    const replay = await (await strict.client()).auth.refreshSession({ refresh_token: first });
    expect(replay.error?.code).toBe('refresh_token_already_used');
    const afterTheft = await (await strict.client()).auth.refreshSession({ refresh_token: second });
    expect(afterTheft.error?.code).toBe('refresh_token_not_found');
    const { rows } = await db.admin.query('select count(*)::int as n from auth.sessions where user_id = $1', [user.userId]);
    expect(rows[0].n).toBe(1); // the sign-up session is untouched; only the stolen one ended
  });

  it('tolerates two tabs refreshing the same token at once within the grace window', async () => {
    const user = await signUp(auth, 'twotabs');
    const client = await auth.client();
    const { data } = await client.auth.signInWithPassword({ email: user.email, password: 'correct horse battery' });
    const token = data.session!.refresh_token;
    const [a, b] = await Promise.all([
      (await auth.client()).auth.refreshSession({ refresh_token: token }),
      (await auth.client()).auth.refreshSession({ refresh_token: token }),
    ]);
    expect(a.error).toBeNull();
    expect(b.error).toBeNull();
    // both get the one successor, so the session keeps a single live refresh token
    expect(a.data.session!.refresh_token).toBe(b.data.session!.refresh_token);
    const { rows } = await db.admin.query(
      `select count(*)::int as n from auth.refresh_tokens where session_id = $1 and not revoked`,
      [(decodeJwt(a.data.session!.access_token) as { session_id: string }).session_id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('signs out: the session and its refresh tokens are gone', async () => {
    const user = await signUp(auth, 'leaver');
    const client = await auth.client();
    const { data } = await client.auth.signInWithPassword({ email: user.email, password: 'correct horse battery' });
    const refresh = data.session!.refresh_token;
    const { error } = await client.auth.signOut({ scope: 'local' });
    expect(error).toBeNull();
    const again = await (await auth.client()).auth.refreshSession({ refresh_token: refresh });
    expect(again.error?.code).toBe('refresh_token_not_found');
    const response = await auth.fetch(`${SITE}/auth/v1/user`, {
      headers: { apikey: await anonKey(JWT_SECRET), authorization: `Bearer ${data.session!.access_token}` },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).code).toBe('session_not_found');
  });

  it('rate-limits failed sign-ins per email and per address', async () => {
    const user = await signUp(auth, 'target');
    const client = await auth.client();
    auth.setClientIp('198.51.100.1');
    for (let i = 0; i < 3; i++) {
      const r = await client.auth.signInWithPassword({ email: user.email, password: `guess ${i}` });
      expect(r.error?.code).toBe('invalid_credentials');
    }
    const locked = await client.auth.signInWithPassword({ email: user.email, password: 'correct horse battery' });
    expect(locked.error?.status).toBe(429);
    expect(locked.error?.code).toBe('over_request_rate_limit');
    expect(locked.error?.message).toMatch(/Too many sign-in attempts\. Wait \d+ minutes?/);

    // one address trying many accounts
    auth.setClientIp('198.51.100.2');
    for (let i = 0; i < 8; i++) await client.auth.signInWithPassword({ email: uniqueEmail('spray'), password: 'guess' });
    const other = await signUp(auth, 'bystander');
    const blocked = await client.auth.signInWithPassword({ email: other.email, password: 'correct horse battery' });
    expect(blocked.error?.status).toBe(429);
    auth.setClientIp('198.51.100.3');
    const elsewhere = await client.auth.signInWithPassword({ email: other.email, password: 'correct horse battery' });
    expect(elsewhere.error).toBeNull();
  });

  it('enforces one limit across web instances: failures on two instances with their own pools add up', async () => {
    // two web processes = two GoTrue instances, each with its own connection pool, on one database
    const secondPool = createPool(db.url, { max: 2 });
    try {
      const first = auth;
      const second = embeddedAuth(secondPool, { signInLimits: { perAddress: 8, perEmail: 3, windowMs: 60_000 } });
      const user = await signUp(first, 'shared-target');
      first.setClientIp('198.51.100.20');
      second.setClientIp('198.51.100.21');
      const a = await first.client();
      const b = await second.client();
      expect((await a.auth.signInWithPassword({ email: user.email, password: 'guess 1' })).error?.code).toBe('invalid_credentials');
      expect((await b.auth.signInWithPassword({ email: user.email, password: 'guess 2' })).error?.code).toBe('invalid_credentials');
      expect((await a.auth.signInWithPassword({ email: user.email, password: 'guess 3' })).error?.code).toBe('invalid_credentials');
      // each instance has seen fewer than three failures; together they reached the per-email limit
      for (const client of [a, b]) {
        const locked = await client.auth.signInWithPassword({ email: user.email, password: 'correct horse battery' });
        expect(locked.error?.code).toBe('over_request_rate_limit');
      }
    } finally {
      await secondPool.end();
    }
  });

  it('counts failures in a sliding window by the database clock and sweeps expired ones', async () => {
    const limiter = new FailureLimiter(db.pool, { max: 2, windowMs: 60_000 });
    const other = new FailureLimiter(db.pool, { max: 2, windowMs: 60_000 });
    const key = `test:${uniqueEmail('window')}`;
    expect(await limiter.retryAfter(key)).toBe(0);
    await limiter.fail(key);
    expect(await other.retryAfter(key)).toBe(0);
    await other.fail(key);
    const wait = await limiter.retryAfter(key);
    expect(wait).toBeGreaterThan(55_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    // age the older failure past its window: one failure left in the window, so the key may try again
    await db.admin.query(
      `update private.sign_in_failures set expires_at = now() - interval '1 second' where ctid = (
         select ctid from private.sign_in_failures where key = $1 order by expires_at limit 1)`,
      [key],
    );
    expect(await other.retryAfter(key)).toBe(0);
    await limiter.fail(`test:${uniqueEmail('sweeper')}`);
    const { rows } = await db.admin.query('select count(*)::int as n from private.sign_in_failures where expires_at <= now()');
    expect(rows[0].n).toBe(0);
    await limiter.reset(key);
    const left = await db.admin.query('select count(*)::int as n from private.sign_in_failures where key = $1', [key]);
    expect(left.rows[0].n).toBe(0);
  });

  it('refuses requests without a valid API key, as Supabase does', async () => {
    const response = await auth.fetch(`${SITE}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: 'forged' },
      body: JSON.stringify({ email: 'a@example.com', password: 'x' }),
    });
    expect(response.status).toBe(401);
    const garbage = await auth.fetch(`${SITE}/auth/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: await anonKey(JWT_SECRET) },
      body: '{not json',
    });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: 'bad_json', error_code: 'bad_json' });
  });
});
