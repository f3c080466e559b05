import type { Pool } from './pool';

/**
 * A Mermaid ER diagram of the `public` schema as the database has it: every table with its columns and their types
 * (PK and FK marked), and one line per foreign key with its columns and `on delete` rule. Tables outside `public`
 * that are referenced (auth.users, storage.objects) appear by name only, as `auth_users`.
 * Deterministic (ordered by name), so a committed copy can be compared with a freshly migrated database.
 */
export async function schemaDiagram(pool: Pool): Promise<{ text: string; tables: number; relations: number }> {
  const columns = (
    await pool.query<{ table_name: string; column_name: string; type: string; pk: boolean; fk: boolean; nullable: boolean }>(`
      select c.relname as table_name, a.attname as column_name,
             format_type(a.atttypid, null) as type, not a.attnotnull as nullable,
             exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p' and a.attnum = any (k.conkey)) as pk,
             exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'f' and a.attnum = any (k.conkey)) as fk
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
       where n.nspname = 'public' and c.relkind in ('r', 'p')
       order by c.relname, a.attnum`)
  ).rows;
  const relations = (
    await pool.query<{ child: string; parent: string; parent_schema: string; on_delete: string; columns: string }>(`
      select cl.relname as child, pcl.relname as parent, pn.nspname as parent_schema, con.confdeltype as on_delete,
             (select string_agg(a.attname, ', ' order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
                join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns
        from pg_constraint con
        join pg_class cl on cl.oid = con.conrelid join pg_namespace n on n.oid = cl.relnamespace
        join pg_class pcl on pcl.oid = con.confrelid join pg_namespace pn on pn.oid = pcl.relnamespace
       where con.contype = 'f' and n.nspname = 'public'
       order by child, parent, columns, on_delete`)
  ).rows;

  const lines = ['erDiagram'];
  const tables = [...new Set(columns.map((c) => c.table_name))];
  for (const table of tables) {
    lines.push(`  ${table} {`);
    for (const c of columns.filter((c) => c.table_name === table)) {
      const keys = [c.pk && 'PK', c.fk && 'FK'].filter(Boolean).join(', ');
      lines.push(`    ${mermaidType(c.type)} ${c.column_name}${keys ? ` ${keys}` : ''}${c.nullable && !c.pk ? ' "null"' : ''}`);
    }
    lines.push('  }');
  }
  const ON_DELETE: Record<string, string> = { c: 'cascade', n: 'set null', r: 'restrict', a: 'no action', d: 'set default' };
  for (const r of relations) {
    const parent = r.parent_schema === 'public' ? r.parent : `${r.parent_schema}_${r.parent}`;
    lines.push(`  ${parent} ||--o{ ${r.child} : "${r.columns} (${ON_DELETE[r.on_delete] ?? r.on_delete})"`);
  }
  return { text: lines.join('\n') + '\n', tables: tables.length, relations: relations.length };
}

/** Mermaid attribute types are one word: `timestamp with time zone` becomes `timestamptz`, `text[]` `text_array`. */
function mermaidType(type: string): string {
  const short: Record<string, string> = {
    'timestamp with time zone': 'timestamptz',
    'timestamp without time zone': 'timestamp',
    'character varying': 'varchar',
    'double precision': 'float8',
    'time without time zone': 'time',
  };
  const array = type.endsWith('[]');
  const base = array ? type.slice(0, -2) : type;
  return `${(short[base] ?? base).replace(/[^A-Za-z0-9_]+/g, '_')}${array ? '_array' : ''}`;
}
