/**
 * Writes docs/erd/schema.mmd, a Mermaid diagram of the public schema, read from a database migrated from zero.
 * Run after any schema change: `pnpm db:erd` (uses an embedded Postgres of its own unless DATABASE_URL is set).
 */
import { mkdir, mkdtemp, chmod, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, ensureDatabase, migrate } from '@quire/db';
import { startEmbeddedPostgres } from '@quire/db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-erd-'));
  await chmod(dir, 0o755);
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
  try {
    const url = await ensureDatabase(embedded.url, 'quire_erd');
    await migrate(url, { seed: false });
    return await fn(url);
  } finally {
    await embedded.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const sql = {
  columns: `
    select c.table_name, c.column_name, c.data_type, c.udt_name,
           exists (select 1 from information_schema.table_constraints tc
                     join information_schema.key_column_usage k using (constraint_schema, constraint_name)
                    where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = 'public'
                      and k.table_name = c.table_name and k.column_name = c.column_name) as pk
      from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
     where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
     order by c.table_name, c.ordinal_position`,
  relations: `
    select distinct cl.relname as child, pcl.relname as parent, pn.nspname as parent_schema,
           con.confdeltype as on_delete,
           (select string_agg(a.attname, ', ') from unnest(con.conkey) k join pg_attribute a
              on a.attrelid = con.conrelid and a.attnum = k) as columns
      from pg_constraint con
      join pg_class cl on cl.oid = con.conrelid join pg_namespace n on n.oid = cl.relnamespace
      join pg_class pcl on pcl.oid = con.confrelid join pg_namespace pn on pn.oid = pcl.relnamespace
     where con.contype = 'f' and n.nspname = 'public'
     order by child, parent, columns`,
};

const ON_DELETE: Record<string, string> = { c: 'cascade', n: 'set null', r: 'restrict', a: 'no action', d: 'set default' };

await withDatabase(async (url) => {
  const pool = createPool(url, { max: 1 });
  try {
    const columns = (await pool.query(sql.columns)).rows;
    const relations = (await pool.query(sql.relations)).rows;
    const lines = ['erDiagram'];
    const tables = [...new Set(columns.map((c) => c.table_name as string))];
    for (const table of tables) {
      lines.push(`  ${table} {`);
      for (const c of columns.filter((c) => c.table_name === table)) {
        const type = (c.data_type === 'USER-DEFINED' || c.data_type === 'ARRAY' ? c.udt_name : c.data_type).replace(/\s+/g, '_');
        lines.push(`    ${type} ${c.column_name}${c.pk ? ' PK' : ''}`);
      }
      lines.push('  }');
    }
    for (const r of relations) {
      const parent = r.parent_schema === 'public' ? r.parent : `${r.parent_schema}_${r.parent}`;
      lines.push(`  ${parent} ||--o{ ${r.child} : "${r.columns} (${ON_DELETE[r.on_delete] ?? r.on_delete})"`);
    }
    const out = path.join(root, 'docs/erd/schema.mmd');
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, lines.join('\n') + '\n');
    console.log(`wrote ${path.relative(root, out)}: ${tables.length} tables, ${relations.length} relations`);
  } finally {
    await pool.end();
  }
});
