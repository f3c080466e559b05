/**
 * Rules read from the system catalogs rather than from behaviour, so a new table or function cannot skip them.
 * Each check must come back empty; each is also run once against a violation planted in a rolled-back transaction,
 * which proves the check can see what it is looking for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './fixtures';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

interface Check {
  name: string;
  /** Returns one row `{ what }` per violation. */
  sql: string;
  params?: unknown[];
  /** A violation of exactly this rule. */
  plant: string;
}

/** Text columns whose values are one of a fixed set; each must be held to it by a check constraint. */
const ENUMERATED_COLUMNS = ['role', 'tier', 'subscription_tier', 'subscription_status', 'status', 'severity', 'category',
  'format', 'kind', 'feature', 'metric', 'source', 'client', 'reason', 'structure', 'arc_type', 'scope'];

/** SECURITY DEFINER functions anon may call, and why. */
const ANON_CALLABLE = [
  // whoever holds an invitation link sees what it invites them to before signing up
  'public.invitation_preview(text)',
];

const CHECKS: Check[] = [
  {
    name: 'every SECURITY DEFINER function pins search_path (to empty, in our schemas)',
    sql: `select p.oid::regprocedure::text as what
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where p.prosecdef and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
             and not exists (
               select 1 from unnest(coalesce(p.proconfig, '{}')) c
                where c like 'search_path=%' and (n.nspname not in ('public', 'private') or c = 'search_path=""'))`,
    plant: `create function public.planted() returns int language sql security definer as 'select 1'`,
  },
  {
    name: 'no view bypasses RLS: every view is security_invoker, and there are no materialized views',
    sql: `select c.oid::regclass::text as what
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname in ('public', 'private')
             and (c.relkind = 'm' or (c.relkind = 'v' and not exists (
               select 1 from unnest(coalesce(c.reloptions, '{}')) o
                where o in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1'))))`,
    plant: `create view public.planted as select * from public.projects`,
  },
  {
    name: 'anon holds no grant on any table, column or sequence of public or private, nor usage of private',
    sql: `select c.oid::regclass::text || ' ' || priv as what
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
           cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) priv
           where n.nspname in ('public', 'private') and c.relkind in ('r', 'p', 'v', 'm', 'f')
             and (has_table_privilege('anon', c.oid, priv)
                  or (priv in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') and has_any_column_privilege('anon', c.oid, priv)))
          union all
          select c.oid::regclass::text || ' USAGE' from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where n.nspname in ('public', 'private')
             and case when c.relkind = 'S' then has_sequence_privilege('anon', c.oid, 'USAGE') else false end
          union all
          select 'schema private' where has_schema_privilege('anon', 'private', 'USAGE')`,
    plant: `grant select (body) on public.comments to anon`,
  },
  {
    name: 'no policy on a table of public is using (true) or with check (true)',
    sql: `select schemaname || '.' || tablename || ': ' || policyname as what from pg_policies
           where schemaname in ('public', 'private') and (btrim(qual) = 'true' or btrim(with_check) = 'true')`,
    plant: `create policy planted on public.characters for select to authenticated using (true)`,
  },
  {
    name: 'no policy applies to anon or to PUBLIC: every one is written for signed-in users',
    sql: `select schemaname || '.' || tablename || ': ' || policyname as what from pg_policies
           where schemaname in ('public', 'private') and roles && array['public', 'anon']::name[]`,
    plant: `create policy planted on public.characters for select using (false)`,
  },
  {
    name: 'every UPDATE policy has a WITH CHECK',
    sql: `select schemaname || '.' || tablename || ': ' || policyname as what from pg_policies
           where schemaname in ('public', 'private', 'storage') and cmd in ('UPDATE', 'ALL') and with_check is null`,
    plant: `create policy planted on public.characters for update to authenticated using (false)`,
  },
  {
    name: 'policies read auth.uid() only as (select auth.uid()), evaluated once per statement',
    sql: `select schemaname || '.' || tablename || ': ' || policyname as what from pg_policies
           where schemaname in ('public', 'private', 'storage')
             and regexp_count(coalesce(qual, '') || ' ' || coalesce(with_check, ''), 'auth\\.uid\\(\\)')
              <> regexp_count(coalesce(qual, '') || ' ' || coalesce(with_check, ''), 'SELECT auth\\.uid\\(\\) AS uid')`,
    plant: `create policy planted on public.characters for select to authenticated using (user_id = auth.uid())`,
  },
  {
    name: 'every table of public has RLS enabled and at least one policy',
    sql: `select c.oid::regclass::text as what from pg_class c
           where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
             and (not c.relrowsecurity or not exists (select 1 from pg_policy p where p.polrelid = c.oid))`,
    plant: `create table public.planted (id int)`,
  },
  {
    name: 'every foreign key has an index leading with its columns',
    sql: `select c.conrelid::regclass::text || ' ' || c.conname as what from pg_constraint c
           where c.contype = 'f' and c.connamespace in ('public'::regnamespace, 'private'::regnamespace)
             and not exists (
               select 1 from pg_index i
                where i.indrelid = c.conrelid
                  and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] @> c.conkey
                  and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] <@ c.conkey)`,
    plant: `create table public.planted (id int primary key, project_id uuid references public.projects (id))`,
  },
  {
    name: 'every table with updated_at keeps it current with private.touch_updated_at',
    sql: `select c.oid::regclass::text as what from pg_class c join pg_attribute a on a.attrelid = c.oid
           where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attname = 'updated_at' and not a.attisdropped
             and not exists (
               select 1 from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal
                  and t.tgfoid = 'private.touch_updated_at()'::regprocedure)`,
    plant: `create table public.planted (id int, updated_at timestamptz)`,
  },
  {
    name: 'every enumerated text column is held to its values by a check constraint',
    sql: `select c.oid::regclass::text || '.' || a.attname as what
            from pg_class c join pg_attribute a on a.attrelid = c.oid
           where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
             and a.atttypid = 'text'::regtype and a.attname = any($1)
             and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'c' and a.attnum = any(k.conkey))`,
    params: [ENUMERATED_COLUMNS],
    plant: `create table public.planted (id int, status text)`,
  },
  {
    name: 'only the listed SECURITY DEFINER functions are callable by anon',
    sql: `select n.nspname || '.' || p.oid::regprocedure::text as what from pg_proc p join pg_namespace n on n.oid = p.pronamespace
           where p.prosecdef and n.nspname in ('public', 'private') and has_schema_privilege('anon', n.oid, 'USAGE')
             and has_function_privilege('anon', p.oid, 'EXECUTE') and not (p.oid = any($1::regprocedure[]))`,
    params: [ANON_CALLABLE],
    plant: `grant execute on function public.accept_invitation(text) to anon`,
  },
];

async function violations(client: { query: TestDatabase['pool']['query'] }, check: Check): Promise<string[]> {
  const { rows } = await client.query<{ what: string }>(check.sql, check.params ?? []);
  return rows.map((r) => r.what);
}

describe('catalog', () => {
  for (const check of CHECKS) {
    it(check.name, async () => {
      expect(await violations(db.pool, check)).toEqual([]);
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await client.query(check.plant);
        expect((await violations(client, check)).length, `the check did not notice: ${check.plant}`).toBeGreaterThan(0);
      } finally {
        await client.query('rollback');
        client.release();
      }
    });
  }

  it('keeps Postgres from granting new functions to PUBLIC in public', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`create function public.planted() returns int language sql as 'select 1'`);
      const { rows } = await client.query(`select has_function_privilege('anon', 'public.planted()', 'EXECUTE') as anon`);
      expect(rows).toEqual([{ anon: false }]);
    } finally {
      await client.query('rollback');
      client.release();
    }
  });
});
