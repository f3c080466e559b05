import { expect, inject } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import { createPool, type Pool } from '@quire/db/pool';
import type { Claims } from '@quire/db/session';
import { createTestDatabase } from '@quire/db/testing';
import pg from 'pg';
import WebSocket from 'ws';
import { createGoTrue, type GoTrueOptions } from '../src/lib/auth/embedded/gotrue';
import { anonKey, verifyAccessToken } from '../src/lib/auth/tokens';
import { UserError } from '../src/lib/errors';
import { acceptInvitation, inviteMember } from '../src/server/members';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}

export const JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';
export const SITE = 'http://quire.test';

export interface TestDb {
  url: string;
  pool: Pool;
  admin: pg.Client;
  close(): Promise<void>;
}

/** A migrated, seeded database of its own for one test file. */
export async function testDatabase(): Promise<TestDb> {
  const db = await createTestDatabase(inject('adminUrl'));
  const pool = createPool(db.url, { max: 5 });
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await ensureTemplates(admin);
  return {
    url: db.url,
    pool,
    admin,
    close: async () => {
      await pool.end();
      await admin.end();
      await db.drop();
    },
  };
}

/**
 * The seed is expected to provide the novel, screenplay and blog post templates; while it does not, the tests add
 * a novel of their own so they exercise the same path.
 */
async function ensureTemplates(admin: pg.Client) {
  const { rows } = await admin.query(`select 1 from public.document_templates where kind = 'novel' limit 1`);
  if (rows.length) return;
  await admin.query(
    `insert into public.document_templates (slug, name, kind, description, documents) values ('test-novel', 'Novel', 'novel', 'Chapters and scenes', $1)
     on conflict (slug) do nothing`,
    [
      JSON.stringify([
        {
          title: 'Chapter 1',
          kind: 'chapter',
          content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'It was a dark night.' }] }] },
          children: [{ title: 'Opening scene', kind: 'scene' }],
        },
        { title: 'Chapter 2', kind: 'chapter' },
      ]),
    ],
  );
}

/** The embedded auth, called in-process through the same fetch interface supabase-js uses. */
export function embeddedAuth(pool: Pool, overrides: Partial<GoTrueOptions> = {}) {
  const gotrue = createGoTrue({ pool, jwtSecret: JWT_SECRET, issuer: `${SITE}/auth/v1`, accessTokenTtl: 3600, bcryptCost: 4, ...overrides });
  let clientIp = '203.0.113.7';
  const fetcher: typeof fetch = async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const url = new URL(request.url);
    return gotrue.handle(request, url.pathname.replace(/^\/auth\/v1/, ''), { clientIp, userAgent: 'vitest' });
  };
  return {
    gotrue,
    fetch: fetcher,
    setClientIp: (ip: string) => void (clientIp = ip),
    async client() {
      return createClient(SITE, await anonKey(JWT_SECRET), {
        global: { fetch: fetcher },
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
        // Node 20 has no global WebSocket; realtime is never connected here, supabase-js only wants a constructor
        realtime: { transport: WebSocket as never },
      });
    },
  };
}

export type Auth = ReturnType<typeof embeddedAuth>;

let counter = 0;
export function uniqueEmail(label = 'writer'): string {
  return `${label}-${process.pid}-${Date.now().toString(36)}-${counter++}@example.com`;
}

export interface TestUser {
  email: string;
  userId: string;
  claims: Claims;
  accessToken: string;
}

/** Signs a new person up through supabase-js and returns the verified claims the app would hand to withUser. */
export async function signUp(auth: Auth, label = 'writer', displayName?: string): Promise<TestUser> {
  const email = uniqueEmail(label);
  const client = await auth.client();
  const { data, error } = await client.auth.signUp({ email, password: 'correct horse battery', options: { data: { display_name: displayName ?? label } } });
  if (error || !data.session) throw error ?? new Error('no session');
  const claims = await verifyAccessToken(JWT_SECRET, data.session.access_token);
  if (!claims) throw new Error('token did not verify');
  return { email, userId: claims.sub, claims, accessToken: data.session.access_token };
}

/** The refusal a call ends in; fails the test when the call succeeds or fails in an unplanned way. */
export async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a refusal, but the call succeeded');
}

/** Brings someone into a project the way people join: the owner invites, they accept the link. */
export async function joinProject(pool: Pool, owner: TestUser, projectId: string, who: TestUser, role: 'editor' | 'commenter' | 'viewer') {
  const invitation = await inviteMember(pool, owner.claims, { projectId, email: who.email, role }, SITE);
  await acceptInvitation(pool, who.claims, { token: invitation.link.split('/invite/')[1]! });
}
