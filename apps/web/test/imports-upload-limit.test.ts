/**
 * An import larger than IMPORT_MAX_BYTES sent over real HTTP to the built web app (server.ts, as the launcher runs
 * it): refused with a sentence a writer understands, nothing recorded, and the body never held whole — the refusal
 * comes back while the client is still far from done sending.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@quire/db';
import { closeJobConnections, ensureJobQueues } from '@quire/db/jobs';
import { IMPORT_MAX_BYTES } from '@quire/domain/exports';
import { createProject, listTemplates } from '../src/server/projects';
import { embeddedAuth, JWT_SECRET, signUp, testDatabase, type TestDb, type TestUser } from './helpers';
import { waitFor } from './worker-process';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;
// the example
const UPLOAD_BYTES = 200 * MB;
const CHUNK = new Uint8Array(64 * 1024).fill(0x61);

let db: TestDb;
let web: ChildProcess | undefined;
let site = '';
let log = '';
let owner: TestUser;
let projectId: string;

const recorded = async () => {
  const jobs = await db.admin.query(`select count(*)::int as n from public.import_jobs where project_id = $1`, [projectId]);
  const sources = await db.admin.query(`select count(*)::int as n from public.import_sources s join public.import_jobs j on j.id = s.job_id where j.project_id = $1`, [projectId]);
  const queued = await db.admin.query(`select count(*)::int as n from pgboss.job where name = 'import-run'`);
  return { jobs: jobs.rows[0].n, sources: sources.rows[0].n, queued: queued.rows[0].n };
};

const importUrl = () => `${site}/api/projects/${projectId}/imports`;

beforeAll(async () => {
  db = await testDatabase();
  // what the worker does on a real deployment before anyone can queue
  await ensureJobQueues(db.pool);
  owner = await signUp(embeddedAuth(db.pool), 'owner');
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Big Drafts', templateId })).id;

  // the already built app, not a build: only the settings that point it at this test's database
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', DATABASE_URL: db.url, SUPABASE_JWT_SECRET: JWT_SECRET, PORT: String(port), WEB_HOST: '127.0.0.1' };
  for (const name of ['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'APP_URL', 'STRIPE_SECRET_KEY']) delete env[name];
  web = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], { cwd: WEB, env, stdio: ['ignore', 'pipe', 'pipe'] });
  log = '';
  web.stdout!.on('data', (chunk: Buffer) => void (log += chunk));
  web.stderr!.on('data', (chunk: Buffer) => void (log += chunk));
  await waitFor('the web server', async () => {
    if (web!.exitCode !== null) throw new Error('the web server exited');
    return log.includes('web listening on');
  }, 90_000).catch((error: Error) => {
    throw new Error(`${error.message}:\n${log.slice(-4000)}`);
  });
  site = `http://127.0.0.1:${port}`;
}, 150_000);

afterAll(async () => {
  if (web && web.exitCode === null && web.signalCode === null) {
    await new Promise<void>((resolve) => {
      web!.once('exit', () => resolve());
      web!.kill('SIGTERM');
    });
  }
  await closeJobConnections();
  await db?.close();
});

/** The web process's peak resident memory so far, in bytes (Linux /proc). */
async function peakMemory(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

async function post(body: BodyInit, filename: string) {
  return fetch(importUrl(), {
    method: 'POST',
    headers: { authorization: `Bearer ${owner.accessToken}`, 'x-filename': encodeURIComponent(filename), 'content-type': 'application/octet-stream' },
    body,
    duplex: 'half',
  } as RequestInit);
}

describe('POST /api/projects/:id/imports', () => {
  it('refuses a streamed 200 MB file in words, records nothing, and never holds the file whole', async () => {
    // one small import first, so the route's code is loaded and warm before the peak is taken
    const warm = await post('# Arrival\n\nThe ferry was late.\n', 'Short.md');
    expect(warm.status).toBe(202);
    const before = await recorded();
    expect(before).toMatchObject({ jobs: 1, sources: 1 });
    const peakBefore = await peakMemory(web!.pid!);

    let sent = 0;
    // no length declared (chunked), so the server can only tell by counting what arrives
    async function* body() {
      while (sent < UPLOAD_BYTES) {
        sent += CHUNK.byteLength;
        yield CHUNK;
      }
    }
    const response = await post(body() as unknown as BodyInit, 'Whole saga.md');
    const answer = (await response.json()) as { error: string; kind: string };

    expect(response.status).toBe(400);
    expect(answer).toMatchObject({ kind: 'invalid', error: `Files up to ${IMPORT_MAX_BYTES / MB} MB can be imported.` });
    expect(await recorded()).toEqual(before);
    // at most about the cap in memory at once (plus Next's copy for the proxy), nowhere near the 200 MB sent
    expect(sent).toBeGreaterThan(IMPORT_MAX_BYTES);
    expect((await peakMemory(web!.pid!)) - peakBefore).toBeLessThan(100 * MB);
  }, 90_000);

  it('takes a file just under the cap whole: nothing is cut off on the way to the route', async () => {
    // a Markdown file of 19 MB: ten chapters, each a heading and the same line many times over
    const line = 'The tide came in over the causeway and nobody crossed. '.repeat(1000) + '\n\n';
    const chapter = (n: number) => `# Chapter ${n}\n\n` + line.repeat(Math.floor((19 * MB) / 10 / line.length));
    const file = new TextEncoder().encode(Array.from({ length: 10 }, (_, i) => chapter(i + 1)).join(''));
    expect(file.byteLength).toBeGreaterThan(10 * MB);
    expect(file.byteLength).toBeLessThan(IMPORT_MAX_BYTES);
    const response = await post(file, 'Long tide.md');
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const { rows } = await db.admin.query(`select octet_length(bytes) as size from public.import_sources where job_id = $1`, [id]);
    expect(Number(rows[0].size)).toBe(file.byteLength);
  }, 90_000);
});
