import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const SUPABASE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../supabase');
const MIGRATION_FILE = /^(\d{14})_(.+)\.sql$/;
// Any constant works; it only has to be the same for every migrator so two never run at once.
const MIGRATION_LOCK = 7_310_221;

export interface MigrateOptions {
  /** Also load supabase/seed.sql (idempotent). Defaults to true. */
  seed?: boolean;
  log?: (line: string) => void;
}

export interface MigrateResult {
  shim: boolean;
  applied: string[];
}

export async function listMigrations(dir = path.join(SUPABASE_DIR, 'migrations')) {
  const files = (await readdir(dir)).filter((f) => MIGRATION_FILE.test(f)).sort();
  return files.map((file) => {
    const [, version, name] = MIGRATION_FILE.exec(file)!;
    return { version: version!, name: name!, file: path.join(dir, file) };
  });
}

/** Supabase projects have this role; plain Postgres does not, and then needs the shim. */
async function isSupabase(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query(`select 1 from pg_roles where rolname = 'supabase_admin'`);
  return rows.length > 0;
}

/**
 * Applies supabase/shim (plain Postgres only), every migration not yet recorded, then the seed.
 * Versions are recorded in supabase_migrations.schema_migrations exactly as the Supabase CLI records them,
 * so `supabase db push` and this runner agree on what is applied.
 */
export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const log = options.log ?? (() => {});
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'quire-migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // Concurrent CREATE ROLE across databases of one cluster can still collide; the shim tolerates that.
    const shim = !(await isSupabase(client));
    if (shim) {
      const shimDir = path.join(SUPABASE_DIR, 'shim');
      for (const file of (await readdir(shimDir)).filter((f) => f.endsWith('.sql')).sort()) {
        await runFile(client, path.join(shimDir, file));
      }
      log('supabase shim applied');
    }
    await client.query(`
      create schema if not exists supabase_migrations;
      create table if not exists supabase_migrations.schema_migrations (version text primary key);
      alter table supabase_migrations.schema_migrations add column if not exists statements text[];
      alter table supabase_migrations.schema_migrations add column if not exists name text;
    `);
    const { rows } = await client.query<{ version: string }>('select version from supabase_migrations.schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    const applied: string[] = [];
    for (const migration of await listMigrations()) {
      if (done.has(migration.version)) continue;
      const sql = await readFile(migration.file, 'utf8');
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)', [
          migration.version,
          migration.name,
          [sql],
        ]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(`${migration.version}_${migration.name}`);
      log(`applied ${migration.version}_${migration.name}`);
    }
    if (options.seed ?? true) {
      await runFile(client, path.join(SUPABASE_DIR, 'seed.sql'));
      log('seed loaded');
    }
    return { shim, applied };
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    await client.end();
  }
}

async function runFile(client: pg.Client, file: string) {
  const sql = await readFile(file, 'utf8');
  await client.query('begin');
  try {
    await client.query(sql);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw new Error(`${path.relative(SUPABASE_DIR, file)} failed: ${(error as Error).message}`, { cause: error });
  }
}
