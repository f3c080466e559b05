/** The committed ERD (docs/erd/phase0-schema.*) must describe the schema the migrations build today. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, type Pool } from '@quire/db';
import { schemaDiagram } from '@quire/db/erd';
import { createTestDatabase } from '@quire/db/testing';
import { ROOT } from './support/clone';

const ERD = path.join(ROOT, 'docs/erd/phase0-schema');
const STALE = 'docs/erd/phase0-schema.mmd is out of date with supabase/migrations: run `pnpm db:erd` and commit docs/erd/';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url, { max: 1 });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('the ERD', () => {
  it('matches a freshly migrated database', async () => {
    const fresh = (await schemaDiagram(pool)).text;
    const committed = await readFile(`${ERD}.mmd`, 'utf8').catch(() => '');
    expect(committed, STALE).toBe(fresh);
  });

  it('was rendered from the committed diagram: the SVG names every table and the PNG is an image', async () => {
    const mmd = await readFile(`${ERD}.mmd`, 'utf8');
    const tables = [...mmd.matchAll(/^ {2}(\w+) \{$/gm)].map((m) => m[1]!);
    expect(tables.length).toBeGreaterThan(20);
    const svg = await readFile(`${ERD}.svg`, 'utf8');
    const missing = tables.filter((table) => !svg.includes(`>${table}<`));
    expect(missing, 'the SVG misses tables of the .mmd: run `pnpm db:erd`').toEqual([]);
    const png = await readFile(`${ERD}.png`);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });
});
