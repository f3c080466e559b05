/**
 * An export whose attempt throws is retried by the queue with backoff; after the last try the row fails with the
 * sentence a writer can act on, and a job that fails once and then works ends with one file. The worker runs in this
 * process with export-run's own definition (retry limit and backoff as configured), only its first delay shortened
 * through startWorker's `jobs` option so the test does not sit through 10 + 20 + 40 seconds. The failure is real: a
 * document whose stored Yjs state is cut short cannot be read, so rendering throws.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJobConnections } from '@quire/db/jobs';
import { exportRun } from '../../worker/src/jobs/export-run';
import { startWorker, type RunningWorker } from '../../worker/src/worker';
import { requestExport } from '../src/server/exports';
import { createProject, listTemplates } from '../src/server/projects';
import { embeddedAuth, JWT_SECRET, signUp, testDatabase, type TestDb, type TestUser } from './helpers';
import { startStorageServer, type StorageServer } from './storage-server';
import { waitFor } from './worker-process';

const DELAY_SECONDS = 1;
// a Yjs update truncated after three bytes, as a save cut off mid-write would leave it
const TRUNCATED_STATE = Buffer.from([1, 2, 3]);

let db: TestDb;
let storage: StorageServer;
let worker: RunningWorker;
let owner: TestUser;
let projectId: string;
let chapterId: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw rows of the tables under test
const exportRow = async (id: string): Promise<any> => (await db.admin.query(`select * from public.export_jobs where id = $1`, [id])).rows[0];
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- raw rows of the tables under test
const settled = (row: any) => row && ['succeeded', 'failed', 'canceled'].includes(row.status) && row;
const failures = async (jobId: string) =>
  (
    await db.admin.query<{ attempt: number; final: boolean; error_message: string; created_at: Date }>(
      `select attempt, final, error_message, created_at from public.background_failures where kind = 'job' and source = 'export-run' and reference_id = $1 order by id`,
      [jobId],
    )
  ).rows;
const storedObjects = async (id: string) =>
  (await db.admin.query(`select name from storage.objects where bucket_id = 'exports' and name like $1`, [`${projectId}/${id}/%`])).rows.map((r) => r.name);
const setState = (state: Buffer | null) => db.admin.query(`update public.documents set yjs_state = $2 where id = $1`, [chapterId, state]);

beforeAll(async () => {
  db = await testDatabase();
  storage = await startStorageServer(db.pool);
  // the worker's storage client reads these when the first export stores its file
  Object.assign(process.env, { APP_URL: storage.site, SUPABASE_URL: '', SUPABASE_SERVICE_ROLE_KEY: '', SUPABASE_JWT_SECRET: JWT_SECRET });
  owner = await signUp(embeddedAuth(db.pool), 'owner', 'Ada Marsh');
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Tide Tables', templateId })).id;
  await db.admin.query(`delete from public.documents where project_id = $1`, [projectId]);
  const content = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'The tide turned at noon.' }] }] };
  const { rows } = await db.admin.query(
    `insert into public.documents (project_id, kind, title, position, content, plain_text, word_count)
     values ($1, 'chapter', 'Low water', 0, $2, 'The tide turned at noon.', 5) returning id`,
    [projectId, JSON.stringify(content)],
  );
  chapterId = rows[0].id;
  worker = await startWorker(
    { databaseUrl: db.url, port: 0, pollSeconds: 0.5, schedule: false, logLevel: 'silent' },
    { jobs: [{ ...exportRun, retry: { ...exportRun.retry, delaySeconds: DELAY_SECONDS } }] },
  );
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await closeJobConnections();
  await storage?.close();
  await db?.close();
});

describe('export retries', () => {
  it('is configured as documented: 3 retries from 10 s, doubling', async () => {
    expect(exportRun.retry).toEqual({ limit: 3, delaySeconds: 10, backoff: true });
    // what the queue itself holds, as the worker registered it
    expect(await worker.boss.getQueue('export-run')).toMatchObject({ retryLimit: 3, retryDelay: DELAY_SECONDS, retryBackoff: true });
  });

  it('retries a failing export with growing delays, then fails it with the sentence for the writer and no file', async () => {
    await setState(TRUNCATED_STATE);
    const { id } = await requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'markdown' });
    const row = await waitFor('the export to run out of retries', async () => settled(await exportRow(id)), 60_000);
    const attempts = exportRun.retry.limit + 1;
    expect(row).toMatchObject({ status: 'failed', attempts, storage_url: null, size_bytes: null });
    expect(row.error).toBe(
      `The export could not be finished. Try again in a few minutes; if it keeps failing, contact support and mention export ${id.slice(0, 8)}.`,
    );
    expect(await storedObjects(id)).toEqual([]);

    const job = await worker.boss.getJobById('export-run', id, { includeArchive: true });
    expect(job).toMatchObject({ state: 'failed', retryCount: exportRun.retry.limit, retryLimit: exportRun.retry.limit });
    // every attempt is on record for support with the real error, only the last one final
    const tries = await failures(id);
    expect(tries.map((t) => [t.attempt, t.final])).toEqual(Array.from({ length: attempts }, (_, i) => [i + 1, i === attempts - 1]));
    expect(tries.every((t) => /Unexpected end of array/.test(t.error_message))).toBe(true);
    // pg-boss waits between delay·2^(n-1) and twice that before retry n: each wait at least the doubled minimum
    const gaps = tries.slice(1).map((t, i) => (t.created_at.getTime() - tries[i]!.created_at.getTime()) / 1000);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(DELAY_SECONDS * 2 ** i));
  }, 90_000);

  it('ends done with one file when an attempt fails once and the retry works', async () => {
    await setState(TRUNCATED_STATE);
    const { id } = await requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'markdown' });
    // the first attempt fails and hands the row back to the queue; the document is repaired before the retry
    await waitFor('the first attempt to fail', async () => {
      const row = await exportRow(id);
      return row.status === 'queued' && row.attempts === 1;
    });
    await setState(null);
    const row = await waitFor('the retried export', async () => settled(await exportRow(id)), 60_000);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, progress: 100, error: null });
    expect(await storedObjects(id)).toEqual([row.storage_url]);
    const { data, error } = await storage.asService().from('exports').download(row.storage_url);
    expect(error).toBeNull();
    expect(await data!.text()).toContain('The tide turned at noon.');
    expect((await failures(id)).map((t) => [t.attempt, t.final])).toEqual([[1, false]]);
  }, 90_000);
});
