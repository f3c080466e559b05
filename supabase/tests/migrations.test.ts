/**
 * Migration smoke test: an empty database migrated from zero, then migrated again as a no-op.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, databaseUrl, listMigrations, migrate, type Pool } from '@quire/db';

const adminUrl = inject('adminUrl');
const name = `quire_smoke_${process.pid}_${Date.now().toString(36)}`;
const url = databaseUrl(adminUrl, name);
let client: Pool;

async function admin(sql: string) {
  const pool = createPool(adminUrl, { max: 1 });
  try {
    await pool.query(sql);
  } finally {
    await pool.end();
  }
}

beforeAll(async () => {
  // template0: nothing from the migrated test template, nothing a previous run left behind
  await admin(`create database ${name} template template0`);
});

afterAll(async () => {
  await client?.end();
  await admin(`drop database if exists ${name} with (force)`);
});

describe('migrations', () => {
  it('build an empty database from zero, record every version, and then have nothing left to do', async () => {
    const all = await listMigrations();
    expect(all.length).toBeGreaterThan(1);
    for (const m of all) expect(m.file).toMatch(/\/\d{14}_[a-z0-9_]+\.sql$/);

    const first = await migrate(url);
    expect(first.applied).toEqual(all.map((m) => `${m.version}_${m.name}`));

    const second = await migrate(url);
    expect(second.applied).toEqual([]);

    client = createPool(url, { max: 1 });
    const { rows } = await client.query<{ version: string; name: string }>('select version, name from supabase_migrations.schema_migrations order by version');
    expect(rows).toEqual(all.map((m) => ({ version: m.version, name: m.name })));
  });

  it('leave every public table under RLS with at least one policy', async () => {
    const { rows } = await client.query<{ table: string; rls: boolean; policies: number }>(
      `select c.relname as table, c.relrowsecurity as rls, (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
         from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p') order by 1`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(27);
    expect(rows.filter((r) => !r.rls || r.policies === 0)).toEqual([]);
  });

  it('load the seed idempotently: a second run neither duplicates nor loses templates', async () => {
    const snapshot = async () =>
      (await client.query(
        `select (select jsonb_agg(jsonb_build_object('slug', slug, 'documents', documents) order by slug) from public.document_templates) as documents,
                (select jsonb_agg(jsonb_build_object('slug', slug, 'beats', jsonb_array_length(beats)) order by slug) from public.beat_templates) as beats`,
      )).rows[0];
    const before = await snapshot();
    // someone edits a template by hand; the next deploy puts it back
    await client.query(`update public.beat_templates set beats = '[]' where slug = 'save-the-cat'`);
    await migrate(url);
    expect(await snapshot()).toEqual(before);
    expect(before.beats).toEqual([
      { slug: 'heros-journey', beats: 12 },
      { slug: 'save-the-cat', beats: 15 },
      { slug: 'seven-point', beats: 7 },
      { slug: 'story-circle', beats: 8 },
      { slug: 'three-act', beats: 8 },
    ]);
  });

  it('create the character-images and exports buckets, both private (pictures are read by project members, not by URL)', async () => {
    const { rows } = await client.query(`select id, public from storage.buckets where id in ('character-images', 'exports') order by id`);
    expect(rows).toEqual([{ id: 'character-images', public: false }, { id: 'exports', public: false }]);
  });
});
