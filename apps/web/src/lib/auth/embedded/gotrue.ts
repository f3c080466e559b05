import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { withService, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import {
  gotruePasswordGrantBody,
  gotrueRefreshGrantBody,
  gotrueSignUpBody,
  gotrueUpdateUserBody,
  signUpInput,
  password as passwordRule,
  email as emailRule,
} from '@quire/domain/schemas';
import { FailureLimiter } from './rate-limit';
import { childRefreshToken, hashToken, isApiKey, newRefreshToken, signAccessToken, verifyAccessToken } from '../tokens';
import { API_VERSION, authError, BadRequest, json, readJson } from './responses';
import { USER_COLUMNS, userJson, type UserRow } from './users';

/**
 * The part of Supabase Auth (GoTrue) Quire uses, served by the web app itself when no Supabase project is configured:
 * POST /signup, POST /token?grant_type=password|refresh_token, POST /logout, GET|PUT /user (+ /settings, /health).
 * Paths, bodies, statuses and error codes follow GoTrue so @supabase/supabase-js and @supabase/ssr work unchanged.
 *
 * Every query here touches GoTrue's own tables (auth.users, auth.sessions, auth.refresh_tokens), which no signed-in
 * role may read; that is why it runs through withService.
 */

export interface GoTrueOptions {
  pool: Pool;
  jwtSecret: string;
  /** The `iss` of access tokens: <site>/auth/v1, as Supabase sets it. */
  issuer: string;
  accessTokenTtl: number;
  /** A revoked refresh token presented again within this window is a race between tabs, not theft. */
  reuseIntervalSeconds?: number;
  signInLimits?: { perAddress: number; perEmail: number; windowMs: number };
  bcryptCost?: number;
}

export interface RequestContext {
  /** The browser's address, for rate limits. */
  clientIp: string;
  userAgent?: string | null;
}

// Compared against when the address has no account, so a wrong email costs the same time as a wrong password.
const DUMMY_HASH = bcrypt.hashSync('quire-no-such-user', 10);

function minutes(ms: number): string {
  const m = Math.max(1, Math.ceil(ms / 60_000));
  return m === 1 ? '1 minute' : `${m} minutes`;
}

export function createGoTrue(options: GoTrueOptions) {
  const { pool, jwtSecret, issuer, accessTokenTtl } = options;
  const reuseInterval = options.reuseIntervalSeconds ?? 10;
  const limits = options.signInLimits ?? { perAddress: 20, perEmail: 5, windowMs: 15 * 60_000 };
  const byAddress = new FailureLimiter(pool, { max: limits.perAddress, windowMs: limits.windowMs });
  const byEmail = new FailureLimiter(pool, { max: limits.perEmail, windowMs: limits.windowMs });
  const cost = options.bcryptCost ?? 10;

  async function issueSession(user: UserRow, sessionId: string, refreshToken: string) {
    const { token, exp } = await signAccessToken(
      jwtSecret,
      {
        iss: issuer,
        sub: user.id,
        email: user.email,
        phone: '',
        session_id: sessionId,
        is_anonymous: false,
        app_metadata: { provider: 'email', providers: ['email'], ...(user.raw_app_meta_data ?? {}) },
        user_metadata: user.raw_user_meta_data ?? {},
        amr: [{ method: 'password', timestamp: Math.floor(Date.now() / 1000) }],
      },
      accessTokenTtl,
    );
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: accessTokenTtl,
      expires_at: exp,
      refresh_token: refreshToken,
      user: userJson(user),
    };
  }

  async function startSession(tx: Tx, user: UserRow, ctx: RequestContext) {
    const sessionId = randomUUID();
    await tx.query(`insert into auth.sessions (id, user_id, user_agent, ip, refreshed_at) values ($1, $2, $3, $4, now())`, [
      sessionId,
      user.id,
      ctx.userAgent?.slice(0, 512) ?? null,
      /^[0-9a-f:.]+$/i.test(ctx.clientIp) ? ctx.clientIp : null,
    ]);
    const refresh = newRefreshToken();
    await tx.query(`insert into auth.refresh_tokens (token, user_id, session_id) values ($1, $2, $3)`, [hashToken(refresh), user.id, sessionId]);
    const { rows } = await tx.query<UserRow>(
      `update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1 returning ${USER_COLUMNS}`,
      [user.id],
    );
    return issueSession(rows[0]!, sessionId, refresh);
  }

  async function signup(request: Request, ctx: RequestContext): Promise<Response> {
    const body = gotrueSignUpBody.safeParse(await readJson(request));
    if (!body.success) return authError(400, 'validation_failed', 'Enter an email address and a password.');
    const meta = body.data.data ?? {};
    const parsed = signUpInput.safeParse({
      email: body.data.email,
      password: body.data.password,
      displayName: typeof meta.display_name === 'string' ? meta.display_name : '',
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      if (issue.path[0] === 'password') {
        return authError(422, 'weak_password', issue.message, { weak_password: { reasons: ['length'], message: issue.message } });
      }
      return authError(400, 'validation_failed', issue.message);
    }
    const { email, password, displayName } = parsed.data;
    const hash = await bcrypt.hash(password, cost);
    const userMeta = { ...meta, display_name: displayName || email.split('@')[0] };
    try {
      const session = await withService(pool, async (tx) => {
        const { rows } = await tx.query<UserRow>(
          `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data)
           values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1, $2, now(), $3, $4)
           returning ${USER_COLUMNS}`,
          [email, hash, { provider: 'email', providers: ['email'] }, userMeta],
        );
        return startSession(tx, rows[0]!, ctx);
      });
      return json(session);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        return authError(422, 'user_already_exists', 'An account with this email already exists. Sign in instead.');
      }
      throw error;
    }
  }

  async function passwordGrant(request: Request, ctx: RequestContext): Promise<Response> {
    const body = gotruePasswordGrantBody.safeParse(await readJson(request));
    if (!body.success) return authError(400, 'validation_failed', 'Enter your email address and password.');
    const email = emailRule.safeParse(body.data.email);
    if (!email.success) return authError(400, 'validation_failed', email.error.issues[0]!.message);
    const addressKey = `ip:${ctx.clientIp}`;
    const emailKey = `email:${email.data}`;
    const wait = Math.max(await byAddress.retryAfter(addressKey), await byEmail.retryAfter(emailKey));
    if (wait > 0) {
      return authError(
        429,
        'over_request_rate_limit',
        `Too many sign-in attempts. Wait ${minutes(wait)} and try again, or reset your password.`,
        {},
        { 'retry-after': String(Math.ceil(wait / 1000)) },
      );
    }
    // why service: reading a password hash is the auth server's job and no user role may see auth.users
    const user = await withService(pool, async (tx) => {
      const { rows } = await tx.query<UserRow>(`select ${USER_COLUMNS} from auth.users where lower(email) = $1 and deleted_at is null`, [email.data]);
      return rows[0];
    });
    const ok = await bcrypt.compare(body.data.password, user?.encrypted_password ?? DUMMY_HASH);
    if (!user || !ok) {
      await Promise.all([byAddress.fail(addressKey), byEmail.fail(emailKey)]);
      return authError(400, 'invalid_credentials', 'That email and password do not match an account. Check them and try again.');
    }
    if (user.banned_until && user.banned_until > new Date()) {
      return authError(400, 'user_banned', 'This account is suspended. Contact support.');
    }
    await byEmail.reset(emailKey);
    const session = await withService(pool, (tx) => startSession(tx, user, ctx));
    return json(session);
  }

  async function refreshGrant(request: Request): Promise<Response> {
    const body = gotrueRefreshGrantBody.safeParse(await readJson(request));
    if (!body.success) return authError(400, 'validation_failed', 'A refresh token is required.');
    const presented = hashToken(body.data.refresh_token);
    // why service: rotating refresh tokens is the auth server's own bookkeeping
    return withService(pool, async (tx) => {
      const { rows } = await tx.query<{
        id: number;
        revoked: boolean;
        session_id: string | null;
        user_id: string;
        updated_at: Date;
        not_after: Date | null;
      }>(
        `select rt.id, rt.revoked, rt.session_id, rt.user_id, rt.updated_at, s.not_after
           from auth.refresh_tokens rt left join auth.sessions s on s.id = rt.session_id
          where rt.token = $1 for update of rt`,
        [presented],
      );
      const row = rows[0];
      if (!row || !row.session_id) {
        return authError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      }
      if (row.not_after && row.not_after <= new Date()) {
        return authError(400, 'session_expired', 'Your session has expired. Sign in again.');
      }
      let next = childRefreshToken(jwtSecret, body.data.refresh_token);
      if (row.revoked) {
        const ageSeconds = (Date.now() - row.updated_at.getTime()) / 1000;
        if (ageSeconds > reuseInterval) {
          // A token that was already exchanged came back: someone holds a copy. End the whole session.
          await tx.query('delete from auth.sessions where id = $1', [row.session_id]);
          return authError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
        }
        // Two tabs, or a page and the proxy, refreshed at once: the latecomer gets the live successor of its token.
        for (let step = 0; step < 20; step++) {
          const { rows: successor } = await tx.query<{ revoked: boolean }>('select revoked from auth.refresh_tokens where token = $1', [hashToken(next)]);
          if (!successor[0]?.revoked) break;
          next = childRefreshToken(jwtSecret, next);
        }
      } else {
        await tx.query('update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [row.id]);
      }
      await tx.query(
        'insert into auth.refresh_tokens (token, user_id, session_id, parent) values ($1, $2, $3, $4) on conflict (token) do nothing',
        [hashToken(next), row.user_id, row.session_id, presented],
      );
      await tx.query('update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [row.session_id]);
      const { rows: users } = await tx.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [row.user_id]);
      const user = users[0];
      if (!user) return authError(400, 'user_not_found', 'This account no longer exists.');
      if (user.banned_until && user.banned_until > new Date()) return authError(400, 'user_banned', 'This account is suspended.');
      return json(await issueSession(user, row.session_id, next));
    });
  }

  /** The signed-in caller from the Authorization header, with the session still alive. */
  async function caller(request: Request): Promise<{ userId: string; sessionId: string } | Response> {
    const header = request.headers.get('authorization') ?? '';
    const token = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    const claims = await verifyAccessToken(jwtSecret, token);
    if (!claims) return authError(401, 'bad_jwt', 'Your session is not valid. Sign in again.');
    const alive = await withService(pool, async (tx) => {
      const { rows } = await tx.query('select 1 from auth.sessions where id = $1 and user_id = $2', [claims.session_id, claims.sub]);
      return rows.length > 0;
    });
    if (!alive) return authError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    return { userId: claims.sub, sessionId: claims.session_id };
  }

  async function logout(request: Request): Promise<Response> {
    const who = await caller(request);
    if (who instanceof Response) return who;
    const scope = new URL(request.url).searchParams.get('scope') ?? 'global';
    // why service: ending sessions is the auth server's own bookkeeping
    await withService(pool, async (tx) => {
      if (scope === 'local') await tx.query('delete from auth.sessions where id = $1', [who.sessionId]);
      else if (scope === 'others') await tx.query('delete from auth.sessions where user_id = $1 and id <> $2', [who.userId, who.sessionId]);
      else await tx.query('delete from auth.sessions where user_id = $1', [who.userId]);
    });
    return new Response(null, { status: 204, headers: { 'x-supabase-api-version': API_VERSION } });
  }

  async function getUser(request: Request): Promise<Response> {
    const who = await caller(request);
    if (who instanceof Response) return who;
    const user = await withService(pool, async (tx) => {
      const { rows } = await tx.query<UserRow>(`select ${USER_COLUMNS} from auth.users where id = $1 and deleted_at is null`, [who.userId]);
      return rows[0];
    });
    if (!user) return authError(404, 'user_not_found', 'This account no longer exists.');
    return json(userJson(user));
  }

  async function updateUser(request: Request): Promise<Response> {
    const who = await caller(request);
    if (who instanceof Response) return who;
    const body = gotrueUpdateUserBody.safeParse(await readJson(request));
    if (!body.success) return authError(400, 'validation_failed', 'Nothing to update.');
    const sets: string[] = [];
    const values: unknown[] = [who.userId];
    if (body.data.password !== undefined) {
      const rule = passwordRule.safeParse(body.data.password);
      if (!rule.success) {
        const message = rule.error.issues[0]!.message;
        return authError(422, 'weak_password', message, { weak_password: { reasons: ['length'], message } });
      }
      values.push(await bcrypt.hash(rule.data, cost));
      sets.push(`encrypted_password = $${values.length}`);
    }
    if (body.data.email !== undefined) {
      const rule = emailRule.safeParse(body.data.email);
      if (!rule.success) return authError(400, 'validation_failed', rule.error.issues[0]!.message);
      values.push(rule.data);
      sets.push(`email = $${values.length}`);
    }
    if (body.data.data) {
      values.push(body.data.data);
      sets.push(`raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || $${values.length}::jsonb`);
    }
    try {
      const user = await withService(pool, async (tx) => {
        const { rows } = await tx.query<UserRow>(
          `update auth.users set ${[...sets, 'updated_at = now()'].join(', ')} where id = $1 returning ${USER_COLUMNS}`,
          values,
        );
        return rows[0];
      });
      if (!user) return authError(404, 'user_not_found', 'This account no longer exists.');
      return json(userJson(user));
    } catch (error) {
      if ((error as { code?: string }).code === '23505') {
        return authError(422, 'email_exists', 'Another account already uses that email address.');
      }
      throw error;
    }
  }

  /** Entry point: `path` is what follows /auth/v1. */
  async function handle(request: Request, path: string, ctx: RequestContext): Promise<Response> {
    try {
      if (request.method === 'OPTIONS') return new Response(null, { status: 204 });
      if (path === '/health' && request.method === 'GET') {
        return json({ version: 'quire-embedded', name: 'GoTrue', description: 'Quire embedded auth' });
      }
      const apikey = request.headers.get('apikey');
      if (!(await isApiKey(jwtSecret, apikey))) {
        return json({ message: apikey ? 'Invalid API key' : 'No API key found in request' }, 401);
      }
      if (path === '/settings' && request.method === 'GET') {
        return json({ external: { email: true, phone: false }, disable_signup: false, mailer_autoconfirm: true, phone_autoconfirm: false, sms_provider: '' });
      }
      if (path === '/signup' && request.method === 'POST') return await signup(request, ctx);
      if (path === '/token' && request.method === 'POST') {
        const grant = new URL(request.url).searchParams.get('grant_type');
        if (grant === 'password') return await passwordGrant(request, ctx);
        if (grant === 'refresh_token') return await refreshGrant(request);
        return authError(400, 'unsupported_grant_type', 'This sign-in method is not available here.');
      }
      if (path === '/logout' && request.method === 'POST') return await logout(request);
      if (path === '/user' && request.method === 'GET') return await getUser(request);
      if (path === '/user' && request.method === 'PUT') return await updateUser(request);
      return authError(404, 'not_found', 'This auth endpoint is not available in Quire\u2019s embedded auth.');
    } catch (error) {
      if (error instanceof BadRequest) return authError(400, 'bad_json', error.message);
      console.error('embedded auth error', error);
      return authError(500, 'unexpected_failure', 'Sign-in is not working right now. Try again in a moment.');
    }
  }

  return { handle };
}

export type GoTrue = ReturnType<typeof createGoTrue>;
