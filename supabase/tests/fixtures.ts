/**
 * Shared fixtures for tests that need real users, projects and roles on a real Postgres.
 *
 * Users are created the way GoTrue creates them (a row in auth.users, written as the superuser), so the signup
 * trigger builds their profile. Everything a test then does as a user goes through withUser/withAnon from
 * @quire/db, so Row Level Security decides exactly as it does for the apps.
 */
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createPool, withAnon, withService, withUser, type Pool, type Tx } from '@quire/db';
import { createTestDatabase } from '@quire/db/testing';
import type { ProjectRole, Tier } from '@quire/domain';

export interface TestDatabase {
  /** Pool connected as the superuser: setup and inspection only, never the code under test. */
  pool: Pool;
  url: string;
  name: string;
  close(): Promise<void>;
}

/** A fresh, migrated and seeded database for one test file. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase(inject('adminUrl'));
  const pool = createPool(db.url, { max: 4, applicationName: 'quire-test' });
  return {
    pool,
    url: db.url,
    name: db.name,
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

export interface TestUser {
  id: string;
  email: string;
}

let userCounter = 0;

/** An account as GoTrue would create it; `tier` sets the plan on the profile the trigger made. */
export async function createUser(pool: Pool, options: { name?: string; email?: string; tier?: Tier } = {}): Promise<TestUser> {
  const id = randomUUID();
  const email = options.email ?? `${options.name ?? 'user'}-${++userCounter}-${id.slice(0, 8)}@example.test`;
  await pool.query(
    `insert into auth.users (id, email, aud, role, email_confirmed_at, raw_user_meta_data)
     values ($1, $2, 'authenticated', 'authenticated', now(), $3)`,
    [id, email, JSON.stringify({ display_name: options.name ?? email.split('@')[0] })],
  );
  if (options.tier && options.tier !== 'free') {
    await pool.query('update public.user_profiles set subscription_tier = $2 where id = $1', [id, options.tier]);
  }
  return { id, email };
}

/** Creates a project owned by `owner` (the owner-membership trigger makes them its owner member). */
export async function createProject(pool: Pool, owner: TestUser, title = 'A project'): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'insert into public.projects (user_id, title) values ($1, $2) returning id',
    [owner.id, title],
  );
  return rows[0]!.id;
}

export async function addMember(pool: Pool, projectId: string, user: TestUser, role: ProjectRole): Promise<void> {
  await pool.query(
    `insert into public.project_members (project_id, user_id, role) values ($1, $2, $3)
     on conflict (project_id, user_id) do update set role = excluded.role`,
    [projectId, user.id, role],
  );
}

export async function createDocument(
  pool: Pool,
  projectId: string,
  options: { title?: string; kind?: string; parentId?: string | null; userId?: string | null } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into public.documents (project_id, title, kind, parent_id, user_id) values ($1, $2, $3, $4, $5) returning id`,
    [projectId, options.title ?? 'Chapter', options.kind ?? 'chapter', options.parentId ?? null, options.userId ?? null],
  );
  return rows[0]!.id;
}

/** The actors of DESIGN.md's roles table, plus a visitor who is not signed in. */
export const ACTORS = ['owner', 'editor', 'commenter', 'viewer', 'nonMember', 'anon'] as const;
export type Actor = (typeof ACTORS)[number];

export interface Team {
  projectId: string;
  documentId: string;
  /** Every actor but anon; anon has no user. */
  users: Record<Exclude<Actor, 'anon'>, TestUser>;
}

/**
 * One project with a member in each role, a signed-in stranger, and one chapter.
 * The owner's plan defaults to 'pro' so a full team fits under the collaborators limit.
 */
export async function createTeam(pool: Pool, options: { ownerTier?: Tier; title?: string } = {}): Promise<Team> {
  const owner = await createUser(pool, { name: 'owner', tier: options.ownerTier ?? 'pro' });
  const editor = await createUser(pool, { name: 'editor' });
  const commenter = await createUser(pool, { name: 'commenter' });
  const viewer = await createUser(pool, { name: 'viewer' });
  const nonMember = await createUser(pool, { name: 'stranger' });
  const projectId = await createProject(pool, owner, options.title);
  await addMember(pool, projectId, editor, 'editor');
  await addMember(pool, projectId, commenter, 'commenter');
  await addMember(pool, projectId, viewer, 'viewer');
  const documentId = await createDocument(pool, projectId, { title: 'Chapter 1', userId: owner.id });
  return { projectId, documentId, users: { owner, editor, commenter, viewer, nonMember } };
}

/** Runs fn as `user` (signed in), or as anon when user is null, and commits. */
export function as<T>(pool: Pool, user: TestUser | null, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return user ? withUser(pool, { sub: user.id, email: user.email }, fn) : withAnon(pool, fn);
}

/** Runs fn as service_role (what jobs and webhooks use), and commits. */
export function asService<T>(pool: Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return withService(pool, fn);
}

export type Outcome =
  | { ok: true; rowCount: number; rows: Record<string, unknown>[] }
  | { ok: false; code: string; message: string };

class Rollback extends Error {}

/**
 * Tries one statement as `user` (null = anon, 'service' = service_role) and always rolls back, so a matrix of attempts
 * leaves the database as it found it. Database errors become an Outcome; anything else is rethrown.
 */
export async function attempt(
  pool: Pool,
  user: TestUser | null | 'service',
  sql: string,
  params: unknown[] = [],
): Promise<Outcome> {
  let outcome: Outcome | undefined;
  const run = async (tx: Tx) => {
    try {
      const result = await tx.query(sql, params);
      outcome = { ok: true, rowCount: result.rowCount ?? 0, rows: result.rows };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      if (!e.code) throw error;
      outcome = { ok: false, code: e.code, message: e.message ?? '' };
    }
    throw new Rollback();
  };
  try {
    if (user === 'service') await withService(pool, run);
    else await as(pool, user, run);
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return outcome!;
}

/** Postgres error codes that mean "not allowed": insufficient_privilege covers both missing grants and RLS. */
export const DENIED = '42501';
