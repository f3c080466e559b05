// The ProvidedContext augmentation that types inject('adminUrl').
import type {} from '../../../test/global-setup';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool, type Pool } from '@quire/db';
import { closeJobConnections, enqueueJob } from '@quire/db/jobs';
import { createTestDatabase } from '@quire/db/testing';
import { startWorker, type RunningWorker } from '../src/worker';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let worker: RunningWorker;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url, { max: 3, applicationName: 'worker-test' });
  worker = await startWorker({ databaseUrl: db.url, port: 0, pollSeconds: 0.5 }, { logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await worker?.stop();
  await closeJobConnections();
  await pool?.end();
  await db?.drop();
});

async function project(title: string): Promise<string> {
  const user = randomUUID();
  await pool.query(`insert into auth.users (id, email, aud, role) values ($1, $2, 'authenticated', 'authenticated')`, [user, `${user}@example.test`]);
  return (await pool.query('insert into public.projects (user_id, title) values ($1, $2) returning id', [user, title])).rows[0].id as string;
}

async function queuedRun(projectId: string): Promise<string> {
  return (await pool.query(`insert into public.plot_analyses (project_id, kind, status, source) values ($1, 'structure', 'queued', 'checks') returning id`, [projectId])).rows[0].id;
}

describe('the plot-checks job', () => {
  it('works a queued run through to completed with the planted problems as cards, and a clean project to none', async () => {
    const planted = await project('Planted');
    await pool.query(`insert into public.story_beats (project_id, name, percent) values ($1, 'Midpoint', 50)`, [planted]);
    const empty = (await pool.query(`insert into public.documents (project_id, title, kind) values ($1, 'Empty chapter', 'chapter') returning id`, [planted])).rows[0].id;
    const outline = (await pool.query(`insert into public.outlines (project_id, title) values ($1, 'Plan') returning id`, [planted])).rows[0].id;
    await pool.query(`insert into public.outline_sections (outline_id, title, document_id) values ($1, 'Nothing yet', $2)`, [outline, empty]);
    const run = await queuedRun(planted);
    expect(await enqueueJob(pool, 'plot-checks', { analysisId: run })).not.toBeNull();
    const done = await waitFor('the run to complete', async () => (await pool.query(`select status, summary from public.plot_analyses where id = $1 and status = 'completed'`, [run])).rows[0]);
    expect(done.summary).toBe('2 issues found by the structure checks.');
    const rules = (await pool.query('select rule from public.plot_issues where analysis_id = $1 order by rule', [run])).rows.map((r) => r.rule);
    expect(rules).toEqual(['beat_unlinked', 'section_empty']);

    const clean = await project('Clean');
    const cleanRun = await queuedRun(clean);
    await enqueueJob(pool, 'plot-checks', { analysisId: cleanRun });
    const cleanDone = await waitFor('the clean run', async () => (await pool.query(`select summary from public.plot_analyses where id = $1 and status = 'completed'`, [cleanRun])).rows[0]);
    expect(cleanDone.summary).toBe('The structure checks found nothing to flag.');
    expect((await pool.query('select count(*)::int as n from public.plot_issues where analysis_id = $1', [cleanRun])).rows[0].n).toBe(0);
  });

  it('leaves a finished run alone when the same job comes again', async () => {
    const p = await project('Twice');
    await pool.query(`insert into public.story_beats (project_id, name) values ($1, 'Alone')`, [p]);
    const run = await queuedRun(p);
    await enqueueJob(pool, 'plot-checks', { analysisId: run });
    await waitFor('the first pass', async () => (await pool.query(`select 1 from public.plot_analyses where id = $1 and status = 'completed'`, [run])).rowCount);
    const first = (await pool.query('select id from public.plot_issues where analysis_id = $1', [run])).rows.map((r) => r.id);
    await enqueueJob(pool, 'plot-checks', { analysisId: run });
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await pool.query('select id from public.plot_issues where analysis_id = $1', [run])).rows.map((r) => r.id)).toEqual(first);
  });
});
