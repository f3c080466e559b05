// The ProvidedContext augmentation that types inject('adminUrl').
import type {} from '../../../test/global-setup';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool, type Pool } from '@quire/db';
import { closeJobConnections, enqueueJob, ensureJobQueues } from '@quire/db/jobs';
import { createTestDatabase } from '@quire/db/testing';
import { withService } from '@quire/db';
import { startWorker, type RunningWorker } from '../src/worker';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let worker: RunningWorker;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function jobState(id: string) {
  const job = await worker.boss.getJobById<object>('worker-canary', id, { includeArchive: true });
  return job ? { state: job.state, retryCount: job.retryCount, output: job.output } : null;
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

describe('the worker', () => {
  it('runs a job enqueued from another connection', async () => {
    const id = await enqueueJob(pool, 'worker-canary', { note: 'hello' });
    const done = await waitFor('the canary', async () => {
      const state = await jobState(id!);
      return state?.state === 'completed' && state;
    });
    expect(done.output).toEqual({ attempt: 1, note: 'hello' });
  });

  it('retries a failing job and records each failure, the last one as final', async () => {
    const retried = await enqueueJob(db.url, 'worker-canary', { note: 'flaky', failAttempts: 1 });
    const doomed = await enqueueJob(pool, 'worker-canary', { note: 'broken', failAttempts: 5 });
    const ok = await waitFor('the retried canary', async () => {
      const state = await jobState(retried!);
      return state?.state === 'completed' && state;
    });
    expect(ok.retryCount).toBe(1);
    await waitFor('the failed canary', async () => (await jobState(doomed!))?.state === 'failed');
    const { rows } = await pool.query(
      `select reference_id, attempt, final, error_message from public.background_failures where kind = 'job' and source = 'worker-canary' order by id`,
    );
    expect(rows.filter((r) => r.reference_id === retried)).toEqual([
      expect.objectContaining({ attempt: 1, final: false, error_message: expect.stringContaining('fail attempt 1') }),
    ]);
    expect(rows.filter((r) => r.reference_id === doomed).map((r) => [r.attempt, r.final])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const metrics = await worker.registry.getSingleMetricAsString('quire_job_failures_total');
    expect(metrics).toContain('quire_job_failures_total{queue="worker-canary",final="true"} 1');
  });

  it('refuses a payload its schema rejects before storing it', async () => {
    await expect(enqueueJob(pool, 'worker-canary', { failAttempts: 99 })).rejects.toThrow();
  });

  it('enqueues inside the caller’s transaction: a rollback drops the job', async () => {
    await ensureJobQueues(pool);
    let id: string | null = null;
    await withService(pool, async (tx) => {
      id = await enqueueJob({ tx }, 'worker-canary', { note: 'rolled back' }, { startAfter: 3600 });
      throw new Error('roll back');
    }).catch(() => {});
    expect(id).toBeTruthy();
    expect(await jobState(id!)).toBeNull();
    await withService(pool, (tx) => enqueueJob({ tx }, 'worker-canary', { note: 'kept' }, { startAfter: 3600 }).then((kept) => (id = kept)));
    expect((await jobState(id!))?.state).toBe('created');
  });

  it('serves /health and /metrics on its port', async () => {
    const health = await fetch(`http://127.0.0.1:${worker.port}/health`);
    expect(health.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toContain('quire_job_attempts_total');
  });
});
