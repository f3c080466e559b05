/**
 * `pnpm db:backup` / `pnpm db:restore` as a round trip: write a studio's worth of rows and a storage file, back up,
 * change things, restore into a fresh data folder (or database), and find exactly what was backed up.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, ensureDatabase, migrate, type Pool } from '@quire/db';
import { backupLocal, backupRemote, restoreLocal, restoreRemote } from '@quire/db/backup';
import { startEmbeddedPostgres } from '@quire/db/embedded';
import { createTestDatabase } from '@quire/db/testing';
import { databaseUrl } from '@quire/db';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'quire-backup-'));
  await chmod(scratch, 0o755);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A writer, a project and three chapters with Yjs state, a version and a comment. */
async function fillStudio(pool: Pool): Promise<void> {
  const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [`writer-${randomBytes(4).toString('hex')}@example.test`]);
  const userId = rows[0]!.id;
  const project = await pool.query<{ id: string }>(`insert into public.projects (user_id, title) values ($1, 'Backed up') returning id`, [userId]);
  for (let i = 0; i < 3; i++) {
    const text = `Chapter ${i}: ` + 'words '.repeat(200 + i);
    const doc = await pool.query<{ id: string }>(
      `insert into public.documents (project_id, user_id, title, plain_text, word_count, content, yjs_state)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [project.rows[0]!.id, userId, `Chapter ${i}`, text, 201 + i, { type: 'doc', text }, randomBytes(5000 + i)],
    );
    await pool.query(`insert into public.document_versions (project_id, document_id, user_id, yjs_state, label)
                      values ($1, $2, $3, $4, 'first draft')`, [project.rows[0]!.id, doc.rows[0]!.id, userId, randomBytes(3000)]);
  }
}

/** Row counts of every table in public and auth, and the full contents of documents. */
async function snapshot(pool: Pool) {
  const { rows: tables } = await pool.query<{ name: string }>(
    `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname in ('public', 'auth') order by 1`);
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = Number((await pool.query(`select count(*) as n from ${name}`)).rows[0].n);
  const documents = (await pool.query(`select id, title, plain_text, word_count, content, md5(yjs_state) as state from public.documents order by id`)).rows;
  return { counts, documents };
}

describe('pnpm db:backup and db:restore, embedded Postgres (base backup)', () => {
  it('restores into a fresh data folder exactly what was backed up, storage files included', async () => {
    const dataDir = path.join(scratch, 'studio');
    await mkdir(dataDir);
    const server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres') });
    const url = await ensureDatabase(server.url, 'quire');
    const image = randomBytes(20_000);
    let before: Awaited<ReturnType<typeof snapshot>>;
    try {
      await migrate(url);
      const pool = createPool(url, { max: 2 });
      try {
        await fillStudio(pool);
        await mkdir(path.join(dataDir, 'storage/character-images/someone'), { recursive: true });
        await writeFile(path.join(dataDir, 'storage/character-images/someone/face.png'), image);
        before = await snapshot(pool);
        expect(before.documents).toHaveLength(3);
        // taken while the server runs, as it would be under `npm start`
        await backupLocal(dataDir, path.join(scratch, 'backup'));
        // changes after the backup must not come back
        await pool.query(`delete from public.documents where title = 'Chapter 1'`);
      } finally {
        await pool.end();
      }
    } finally {
      await server.stop();
    }

    const fresh = path.join(scratch, 'restored');
    await restoreLocal(path.join(scratch, 'backup'), fresh);
    const restored = await startEmbeddedPostgres({ dataDir: path.join(fresh, 'postgres') });
    try {
      const pool = createPool(databaseUrl(restored.url, 'quire'), { max: 1 });
      try {
        const after = await snapshot(pool);
        expect(after.counts).toEqual(before!.counts);
        expect(after.documents).toEqual(before!.documents);
      } finally {
        await pool.end();
      }
    } finally {
      await restored.stop();
    }
    expect(await readFile(path.join(fresh, 'storage/character-images/someone/face.png'))).toEqual(image);
  }, 300_000);
});

/** pg_dump only dumps servers of its own major version or older. */
function pgDumpFits(adminUrl: string): boolean {
  if (spawnSync('pg_dump', ['--version']).status !== 0) return false;
  const tool = Number(/(\d+)\./.exec(execFileSync('pg_dump', ['--version']).toString())?.[1]);
  const server = Number(execFileSync('psql', [adminUrl, '-Atc', 'show server_version_num']).toString().trim()) / 10000;
  return Math.floor(server) <= tool;
}

const adminUrl = inject('adminUrl');

describe.skipIf(!pgDumpFits(adminUrl))('pnpm db:backup and db:restore with DATABASE_URL (pg_dump)', () => {
  it('restores into a fresh database the same rows and documents', async () => {
    const source = await createTestDatabase(adminUrl);
    const target = await ensureDatabase(adminUrl, `quire_restore_${process.pid}`);
    const files = path.join(scratch, 'remote-files');
    try {
      const pool = createPool(source.url, { max: 1 });
      let before: Awaited<ReturnType<typeof snapshot>>;
      try {
        await fillStudio(pool);
        before = await snapshot(pool);
      } finally {
        await pool.end();
      }
      await mkdir(path.join(files, 'storage'), { recursive: true });
      await writeFile(path.join(files, 'storage/note.txt'), 'kept');
      await backupRemote(source.url, files, path.join(scratch, 'dump'));
      await restoreRemote(path.join(scratch, 'dump'), target, path.join(scratch, 'remote-restored'));
      const restored = createPool(target, { max: 1 });
      try {
        const after = await snapshot(restored);
        expect(after.counts).toEqual(before!.counts);
        expect(after.documents).toEqual(before!.documents);
      } finally {
        await restored.end();
      }
      expect(await readFile(path.join(scratch, 'remote-restored/storage/note.txt'), 'utf8')).toBe('kept');
    } finally {
      await source.drop();
      const admin = createPool(adminUrl, { max: 1 });
      await admin.query(`drop database if exists quire_restore_${process.pid} with (force)`).finally(() => admin.end());
    }
  }, 300_000);
});
