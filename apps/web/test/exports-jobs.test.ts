/**
 * Exports and imports end to end without a browser: the web server's commands queue, a real worker process (as
 * `pnpm --filter @quire/worker start` runs it) carries the jobs out, files land in the real storage subset, and the
 * database is real Postgres. The worker is a separate process so it can be killed mid-export.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeJobConnections, enqueueJob, ensureJobQueues } from '@quire/db/jobs';
import { createProject, listTemplates } from '../src/server/projects';
import sharp from 'sharp';
import { removeCover, requestExport, requestImport, setCover } from '../src/server/exports';
import { epubcheck, epubFiles } from '../../../packages/exports/test/epubcheck';
import { embeddedAuth, joinProject, JWT_SECRET, signUp, testDatabase, type TestDb, type TestUser } from './helpers';
import { startStorageServer, type StorageServer } from './storage-server';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let db: TestDb;
let storage: StorageServer;
let owner: TestUser, viewer: TestUser, outsider: TestUser;
let projectId: string;
const workers: ChildProcess[] = [];

/** A worker process of its own, on this test's database and storage, polling fast, no cron schedules. */
function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      WORKER_PORT: '0',
      WORKER_POLL_SECONDS: '0.5',
      WORKER_SCHEDULE: 'off',
      LOG_LEVEL: 'warn',
      APP_URL: storage.site,
      SUPABASE_URL: '',
      SUPABASE_SERVICE_ROLE_KEY: '',
      SUPABASE_JWT_SECRET: JWT_SECRET,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  workers.push(child);
  return child;
}

async function stopWorkers() {
  await Promise.all(
    workers.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const exportRow = async (id: string) => (await db.admin.query(`select * from public.export_jobs where id = $1`, [id])).rows[0];
const importRow = async (id: string) => (await db.admin.query(`select * from public.import_jobs where id = $1`, [id])).rows[0];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw rows of the tables under test
const settled = (row: any) => row && ['succeeded', 'failed', 'canceled'].includes(row.status) && row;

async function chapter(project: string, title: string, text: string, position: number) {
  const content = { type: 'doc', content: text.split('\n\n').map((p) => ({ type: 'paragraph', content: [{ type: 'text', text: p }] })) };
  await db.admin.query(
    `insert into public.documents (project_id, kind, title, position, content, plain_text, word_count) values ($1, 'chapter', $2, $3, $4, $5, $6)`,
    [project, title, position, JSON.stringify(content), text, text.split(/\s+/).length],
  );
}

beforeAll(async () => {
  db = await testDatabase();
  await ensureJobQueues(db.pool);
  storage = await startStorageServer(db.pool);
  const auth = embeddedAuth(db.pool);
  [owner, viewer, outsider] = await Promise.all([signUp(auth, 'owner', 'Ada Marsh'), signUp(auth, 'viewer'), signUp(auth, 'outsider')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'pro' where id = $1`, [owner.userId]);
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Harbour Lights', templateId })).id;
  await db.admin.query(`delete from public.documents where project_id = $1`, [projectId]);
  await chapter(projectId, 'The wreck', 'The ship broke on the rocks at dawn.\n\nNobody on the quay moved.', 0);
  await chapter(projectId, 'The keeper', 'Mara climbed the hundred steps.', 1);
  await joinProject(db.pool, owner, projectId, viewer, 'viewer');
}, 120_000);

afterEach(stopWorkers);
afterAll(async () => {
  await stopWorkers();
  await closeJobConnections();
  await storage?.close();
  await db?.close();
});

describe('exports through the worker', () => {
  it('writes the file, stores it under the project and records it; members get a signed link, others do not', async () => {
    startWorkerProcess();
    const { id } = await requestExport(db.pool, viewer.claims, { projectId, scope: 'project', format: 'markdown' });
    const row = await waitFor('the export', async () => settled(await exportRow(id)));
    expect(row).toMatchObject({ status: 'succeeded', progress: 100, attempts: 1, error: null, storage_url: `${projectId}/${id}/Harbour Lights.md` });
    const keptDays = (new Date(row.expires_at).getTime() - new Date(row.finished_at).getTime()) / 86_400_000;
    expect(Math.round(keptDays)).toBe(30);

    const signed = await storage.as(viewer.accessToken).from('exports').createSignedUrl(row.storage_url, 60);
    expect(signed.error).toBeNull();
    const text = await (await fetch(signed.data!.signedUrl)).text();
    expect(Number(row.size_bytes)).toBe(new TextEncoder().encode(text).byteLength);
    expect(text.indexOf('The wreck')).toBeLessThan(text.indexOf('The keeper'));
    expect(text).toContain('Nobody on the quay moved.');
    const refused = await storage.as(outsider.accessToken).from('exports').createSignedUrl(row.storage_url, 60);
    expect(refused.data).toBeNull();
  }, 90_000);

  it('fails a request the format cannot take at once, with a sentence for the writer and no retry', async () => {
    startWorkerProcess();
    // queued behind the server's back (the request itself refuses this): the worker must cope on its own
    const { rows } = await db.admin.query(`insert into public.export_jobs (project_id, user_id, format, filename) values ($1, $2, 'fdx', 'x.fdx') returning id`, [projectId, owner.userId]);
    await enqueueJob(db.pool, 'export-run', { exportId: rows[0].id });
    const row = await waitFor('the refused export', async () => settled(await exportRow(rows[0].id)));
    expect(row).toMatchObject({ status: 'failed', attempts: 1, storage_url: null });
    expect(row.error).toMatch(/for screenplays/);
  }, 90_000);

  it('resumes an export whose worker was killed mid-run, and stores one file', async () => {
    const big = (await createProject(db.pool, owner.claims, { title: 'Long haul', templateId: (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id })).id;
    await db.admin.query(
      `insert into public.documents (project_id, kind, title, position, content, plain_text, word_count)
       select $1, 'chapter', 'Chapter ' || n, n, jsonb_build_object('type', 'doc', 'content', jsonb_build_array(jsonb_build_object('type', 'paragraph',
              'content', jsonb_build_array(jsonb_build_object('type', 'text', 'text', repeat('Waves against the hull. ', 40)))))), '', 160
         from generate_series(1, 2500) n`,
      [big],
    );
    const first = startWorkerProcess();
    const { id } = await requestExport(db.pool, owner.claims, { projectId: big, scope: 'project', format: 'markdown' });
    await waitFor('the export to be under way', async () => {
      const row = await exportRow(id);
      return row.status === 'running' && row.progress > 0;
    });
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect((await exportRow(id)).status).toBe('running');

    // the sweep finds it without a heartbeat and queues it again; a new worker takes it
    await new Promise((r) => setTimeout(r, 1500));
    startWorkerProcess();
    await enqueueJob(db.pool, 'exports-sweep', { staleSeconds: 1 });
    const row = await waitFor('the resumed export', async () => settled(await exportRow(id)), 120_000);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2 });
    const objects = await db.admin.query(`select name from storage.objects where bucket_id = 'exports' and name like $1`, [`${big}/${id}/%`]);
    expect(objects.rows.map((o) => o.name)).toEqual([row.storage_url]);
  }, 180_000);

  it('makes the project cover the EPUB\'s cover image and first page; the book passes epubcheck; a removed cover leaves it out', async () => {
    startWorkerProcess();
    const service = storage.asService();
    const coverObjects = async () =>
      (await db.admin.query(`select name from storage.objects where bucket_id = 'covers' and name like $1`, [`${projectId}/%`])).rows.map((r) => r.name);
    // a picture as a writer might upload it: a tall PNG, larger than the stores ask for
    const picture = await sharp({ create: { width: 1000, height: 3000, channels: 3, background: '#1d4e89' } }).png().toBuffer();
    await expect(setCover(db.pool, viewer.claims, service, projectId, picture)).rejects.toThrow(/Only editors and the owner/);
    await expect(setCover(db.pool, owner.claims, service, projectId, new TextEncoder().encode('a letter, not a picture'))).rejects.toThrow(/not a JPEG, PNG/);
    expect(await coverObjects()).toEqual([]);
    const cover = await setCover(db.pool, owner.claims, service, projectId, picture);
    expect(cover).toMatchObject({ width: 853, height: 2560 });
    const [stored] = await coverObjects();

    const epub = async () => {
      const { id } = await requestExport(db.pool, viewer.claims, { projectId, scope: 'project', format: 'epub' });
      const row = await waitFor('the EPUB', async () => settled(await exportRow(id)));
      expect(row.status).toBe('succeeded');
      const { data, error } = await service.from('exports').download(row.storage_url);
      expect(error).toBeNull();
      return new Uint8Array(await data!.arrayBuffer());
    };
    const book = await epub();
    const { files, text } = epubFiles(book);
    const opf = text('OEBPS/content.opf');
    expect(opf).toContain('<item id="cover-image" href="cover.jpg" media-type="image/jpeg" properties="cover-image"/>');
    expect(opf.match(/<itemref idref="([^"]+)"/)![1]).toBe('cover');
    expect(text('OEBPS/cover.xhtml')).toContain('<img src="cover.jpg" alt="Cover of Harbour Lights"/>');
    const { data: original } = await service.from('covers').download(stored!);
    expect(Buffer.from(files['OEBPS/cover.jpg']!).equals(Buffer.from(await original!.arrayBuffer()))).toBe(true);
    expect(await sharp(files['OEBPS/cover.jpg']!).metadata()).toMatchObject({ format: 'jpeg', width: 853, height: 2560 });
    expect(await epubcheck(book, 'harbour-lights.epub')).toMatch(/No errors or warnings detected/);

    // a new picture replaces the old one in storage; removing the cover removes the picture and the next book has none
    await setCover(db.pool, owner.claims, service, projectId, await sharp(picture).rotate(90).png().toBuffer());
    expect((await coverObjects()).filter((name) => name !== stored)).toHaveLength(1);
    expect(await coverObjects()).not.toContain(stored);
    await removeCover(db.pool, owner.claims, service, projectId);
    expect(await coverObjects()).toEqual([]);
    expect(epubFiles(await epub()).names.filter((name) => name.includes('cover'))).toEqual([]);
  }, 240_000);

  it('deletes files past their keep-until date and keeps the history row', async () => {
    startWorkerProcess();
    const { id } = await requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'txt' });
    const done = await waitFor('the export', async () => settled(await exportRow(id)));
    await db.admin.query(`update public.export_jobs set expires_at = now() - interval '1 minute' where id = $1`, [id]);
    await enqueueJob(db.pool, 'exports-sweep', {});
    await waitFor('the expiry', async () => (await exportRow(id)).storage_url === null);
    const left = await db.admin.query(`select 1 from storage.objects where bucket_id = 'exports' and name = $1`, [done.storage_url]);
    expect(left.rowCount).toBe(0);
    expect((await exportRow(id)).status).toBe('succeeded');
  }, 90_000);
});

describe('imports through the worker', () => {
  it('reports a corrupt file, creates nothing, and goes on to the next import', async () => {
    startWorkerProcess();
    const count = async () => (await db.admin.query(`select count(*)::int as n from public.documents where project_id = $1`, [projectId])).rows[0].n;
    const before = await count();
    const corrupt = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('this is not really a zip archive at all')]);
    const bad = await requestImport(db.pool, owner.claims, { projectId, filename: 'Draft.docx', bytes: corrupt });
    const failed = await waitFor('the corrupt import', async () => settled(await importRow(bad.id)));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^Nothing was imported: /);
    expect(await count()).toBe(before);
    expect((await db.admin.query(`select 1 from public.import_sources where job_id = $1`, [bad.id])).rowCount).toBe(0);

    const markdown = new TextEncoder().encode('# Arrival\n\nThe ferry was late.\n\n# Departure\n\nShe left *before* the storm.\n');
    const good = await requestImport(db.pool, owner.claims, { projectId, filename: 'Draft.md', bytes: markdown });
    const done = await waitFor('the good import', async () => settled(await importRow(good.id)));
    expect(done).toMatchObject({ status: 'succeeded', progress: 100 });
    const docs = await db.admin.query(
      `select id, title, kind, plain_text, yjs_state, word_count from public.documents where id = any($1::uuid[]) order by position`,
      [done.document_ids],
    );
    expect(docs.rows.map((d) => [d.title, d.kind])).toEqual([['Arrival', 'chapter'], ['Departure', 'chapter']]);
    expect(docs.rows[1].plain_text).toContain('She left before the storm.');
    // like a template's documents: JSON now, Yjs state built by the collab server when first opened
    expect(docs.rows.every((d) => d.yjs_state === null && d.word_count > 0)).toBe(true);
  }, 90_000);
});
