import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@quire/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabServer } from '../src/server';
import {
  addMember,
  allSaved,
  appendParagraph,
  connect,
  createDocument,
  createProject,
  createUser,
  durableDoc,
  JWT_SECRET,
  paragraphs,
  startServer,
  storedState,
  synced,
  testDatabase,
  token,
  waitFor,
  type Client,
  type TestDb,
} from './helpers';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let db: TestDb;
let owner: { id: string; email: string };
let editor: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  editor = await createUser(db.pool, 'Eddie Editor');
  projectId = await createProject(db.pool, owner.id);
  await addMember(db.pool, projectId, editor.id, 'editor');
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await db?.drop();
});

function startProcess(port: number): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  let output = '';
  // One process (no tsx wrapper process), so SIGKILL hits the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/collab/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      SUPABASE_JWT_SECRET: JWT_SECRET,
      COLLAB_PORT: String(port),
      COLLAB_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      COLLAB_STORE_DEBOUNCE_MS: '200',
      COLLAB_STORE_MAX_DEBOUNCE_MS: '600',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function healthy(port: number) {
  await waitFor(
    async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        return res.status === 200;
      } catch {
        return false;
      }
    },
    'the server process to report healthy',
    30_000,
    100,
  );
}

describe('durability', () => {
  it('kill -9 of the server process and a restart lose nothing; SIGTERM stores everything', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    let server = startProcess(port);
    await healthy(port);

    // A writes, waits until the server says it is in Postgres, and leaves: nobody holds A's edits but the server.
    const a = track(connect(url, documentId, await token(owner)));
    await synced(a);
    for (let i = 0; i < 30; i++) appendParagraph(a.doc, `durable ${i}`);
    await waitFor(() => allSaved(a), 'A to be saved');
    a.destroy();

    // B and C stay connected and keep typing through the crash.
    const b = track(connect(url, documentId, await token(editor)));
    const c = track(connect(url, documentId, await token(owner)));
    await synced(b);
    await synced(c);
    for (let i = 0; i < 40; i++) {
      appendParagraph(b.doc, `b ${i}`);
      appendParagraph(c.doc, `c ${i}`);
      if (i === 25) server.child.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(await server.exited).toBe(null);
    // Edits made while the server is down.
    appendParagraph(b.doc, 'b offline');
    appendParagraph(c.doc, 'c offline');

    server = startProcess(port);
    await healthy(port);
    await waitFor(() => b.provider.isSynced && c.provider.isSynced, 'B and C to reconnect');
    await waitFor(() => allSaved(b) && allSaved(c), 'B and C to be saved after the restart');

    const expected = [...Array.from({ length: 30 }, (_, i) => `durable ${i}`), ...Array.from({ length: 40 }, (_, i) => `b ${i}`), ...Array.from({ length: 40 }, (_, i) => `c ${i}`), 'b offline', 'c offline'].sort();
    const fresh = track(connect(url, documentId, await token(editor)));
    await synced(fresh);
    await waitFor(() => paragraphs(fresh.doc).length === expected.length, 'a fresh client to see everything');
    expect([...paragraphs(fresh.doc)].sort()).toEqual(expected);
    // The edits C made around the crash travel back in the reconnect's sync, not as updates the client counts as
    // unsaved, so C can read "saved" from an earlier write a moment before they are in the log (docs/collab.md).
    // They must still all reach Postgres.
    await waitFor(async () => paragraphs(await durableDoc(db.pool, documentId)).length === expected.length, 'the log to hold the edits resent at reconnect', 5_000);
    expect([...paragraphs(await durableDoc(db.pool, documentId))].sort()).toEqual(expected);

    // SIGTERM: everything lands in yjs_state (and the derived columns) before the process exits.
    b.destroy();
    c.destroy();
    fresh.destroy();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    if (code !== 0) console.log(server.output());
    expect(code).toBe(0);
    const stored = await storedState(db.pool, documentId);
    const fromState = new Y.Doc();
    Y.applyUpdate(fromState, stored.yjs_state!);
    expect([...paragraphs(fromState)].sort()).toEqual(expected);
    expect(stored.log).toHaveLength(0);
    expect(stored.word_count).toBe(expected.join(' ').split(' ').length);
  }, 120_000);
});

describe('a change that arrives while a store runs', () => {
  let server: CollabServer;
  beforeAll(async () => {
    // The widest log window there is, so a change made during the store is still uncommitted when the store reads the log.
    server = await startServer(db, { durabilityWindowMs: 200, storeDebounceMs: 300, storeMaxDebounceMs: 600 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('is folded in by a later store, so the log ends empty', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    await synced(a);
    appendParagraph(a.doc, 'first');
    await waitFor(async () => (await storedState(db.pool, documentId)).plain_text === 'first', 'the first store');
    const entry = server.persistence.entries.get(documentId)!;

    // Hold the row so the next store waits inside its transaction, before it reads the log.
    const blocker = await db.pool.connect();
    try {
      await blocker.query('begin');
      await blocker.query(`select 1 from public.documents where id = $1 for no key update`, [documentId]);
      appendParagraph(entry.doc, 'second');
      const storing = server.persistence.store(entry);
      await waitFor(
        async () => (await db.pool.query(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)).rowCount! > 0,
        'the store to wait for the row',
      );
      appendParagraph(entry.doc, 'during the store');
      await blocker.query('commit');
      await storing;
    } finally {
      blocker.release();
    }

    await waitFor(async () => server.persistence.isClean(entry) && (await storedState(db.pool, documentId)).log.length === 0, 'the log to be folded in', 10_000);
    expect((await storedState(db.pool, documentId)).plain_text).toBe('first\nsecond\nduring the store');
  }, 30_000);
});

describe('a failing database', () => {
  let server: CollabServer;
  beforeAll(async () => {
    server = await startServer(db, { storeDebounceMs: 100, storeMaxDebounceMs: 300 });
  });
  afterAll(async () => {
    await db.pool.query(`grant all on all tables in schema public to service_role`);
    await server?.stop();
  });

  it('keeps changes in memory and in the log while stores fail, never unloads, and stores once it can', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    await synced(a);
    appendParagraph(a.doc, 'before the outage');
    await waitFor(() => allSaved(a), 'first save');
    await waitFor(async () => (await storedState(db.pool, documentId)).plain_text === 'before the outage', 'first store');

    // Stores fail from here on: the server may append to the log but not rewrite the document row.
    await db.pool.query(`revoke update on public.documents from service_role`);
    appendParagraph(a.doc, 'during the outage');
    await waitFor(() => allSaved(a), 'log commit during the store outage');
    // And now the log fails too, with the server's connections cut for good measure.
    await db.pool.query(`revoke insert on public.document_updates from service_role`);
    await db.pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'quire-collab' and datname = current_database() and pid <> pg_backend_pid()`);
    appendParagraph(a.doc, 'not durable yet');
    await waitFor(() => server.metrics.registry.getSingleMetric('collab_errors_total') !== undefined, 'metrics');
    await waitFor(async () => (await server.metrics.registry.getSingleMetricAsString('collab_errors_total')).includes('reason="log-commit"'), 'a failed log commit');
    expect(allSaved(a)).toBe(false);
    a.destroy();
    // The last client left, but the document holds unstored changes: it must stay loaded.
    await waitFor(async () => (await server.metrics.registry.getSingleMetricAsString('collab_errors_total')).includes('reason="store"'), 'a failed store');
    expect(server.hocuspocus.documents.has(documentId)).toBe(true);
    const during = await storedState(db.pool, documentId);
    expect(during.plain_text).toBe('before the outage');

    await db.pool.query(`grant insert on public.document_updates to service_role`);
    await db.pool.query(`grant update on public.documents to service_role`);
    await waitFor(async () => (await storedState(db.pool, documentId)).plain_text === 'before the outage\nduring the outage\nnot durable yet', 'the retried store', 20_000);
    await waitFor(() => !server.hocuspocus.documents.has(documentId), 'the document to be unloaded once stored', 20_000);
    expect((await storedState(db.pool, documentId)).log).toHaveLength(0);
  }, 60_000);

  it('a failed load refuses the client and leaves the stored document untouched', async () => {
    const documentId = await createDocument(db.pool, projectId, {
      content: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'from a template' }] }] },
    });
    await db.pool.query(`revoke select on public.document_updates from service_role`);
    const before = await storedState(db.pool, documentId);
    const a = track(connect(server.url, documentId, await token(owner)));
    await waitFor(() => a.authFailures.length > 0, 'the load to fail');
    expect(a.authFailures[0]).toBe('load-failed');
    appendParagraph(a.doc, 'typed into a document that never loaded');
    expect(server.hocuspocus.documents.has(documentId)).toBe(false);
    const after = await storedState(db.pool, documentId);
    expect(after).toEqual(before);
    a.destroy();

    await db.pool.query(`grant select on public.document_updates to service_role`);
    const b = track(connect(server.url, documentId, await token(owner)));
    await synced(b);
    expect(paragraphs(b.doc)).toEqual(['from a template']);
    // Built from the template once, under the row lock.
    const seeded = await storedState(db.pool, documentId);
    expect(seeded.yjs_state).not.toBeNull();
  }, 60_000);
});
