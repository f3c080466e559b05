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

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

let db: TestDb;
let one: CollabServer;
let two: CollabServer;
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
  // A prefix of its own, so parallel runs on the same Redis never meet.
  const redisPrefix = `quire-test-${process.pid}-${Date.now()}`;
  one = await startServer(db, { redisUrl: REDIS_URL, redisPrefix, name: 'one' });
  two = await startServer(db, { redisUrl: REDIS_URL, redisPrefix, name: 'two' });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await one?.stop();
  await two?.stop();
  await db?.drop();
});

describe('two instances over Redis', () => {
  it('serve the same document and converge, with awareness and notices crossing instances', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(one.url, documentId, await token(owner)));
    const b = track(connect(two.url, documentId, await token(editor)));
    await synced(a);
    await synced(b);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10; i++) {
        appendParagraph(a.doc, `a${round}.${i}`);
        appendParagraph(b.doc, `b${round}.${i}`);
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => paragraphs(a.doc).length === 100 && paragraphs(b.doc).length === 100, 'both sides to hold 100 paragraphs');
    expect(paragraphs(a.doc)).toEqual(paragraphs(b.doc));

    a.provider.setAwarenessField('cursor', { anchor: 3 });
    await waitFor(
      () => [...b.provider.awareness!.getStates().values()].some((s) => (s as { user?: { id: string }; cursor?: unknown }).cursor && (s as { user: { id: string } }).user.id === owner.id),
      'awareness from instance one to reach instance two, stamped with the verified user',
    );

    b.provider.sendStateless(JSON.stringify({ type: 'save-version', requestId: 'x' }));
    await waitFor(() => a.stateless.some((m) => m.type === 'version-saved' && m.requestId === 'x'), 'the version notice to cross instances');

    await waitFor(() => allSaved(a) && allSaved(b), 'both saved');
    expect([...paragraphs(await durableDoc(db.pool, documentId))].sort()).toEqual([...paragraphs(a.doc)].sort());

    // Both instances store; whichever writes last, the row holds everything.
    a.destroy();
    b.destroy();
    await waitFor(() => !one.hocuspocus.documents.has(documentId) && !two.hocuspocus.documents.has(documentId), 'both instances to unload', 20_000);
    const stored = await storedState(db.pool, documentId);
    const state = new Y.Doc();
    Y.applyUpdate(state, stored.yjs_state!);
    for (const u of stored.log) Y.applyUpdate(state, u);
    expect(paragraphs(state).length).toBe(100);
    expect(stored.word_count).toBe(100);
  }, 60_000);

  it('a comment notice reaches clients on every instance exactly once', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(one.url, documentId, await token(owner)));
    const b = track(connect(two.url, documentId, await token(editor)));
    await synced(a);
    await synced(b);
    await db.pool.query(`insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Hm')`, [projectId, documentId, owner.id]);
    await waitFor(() => a.stateless.some((m) => m.type === 'comments-changed') && b.stateless.some((m) => m.type === 'comments-changed'), 'notices');
    // A marker round trip: anything still in flight would arrive before it.
    b.provider.sendStateless(JSON.stringify({ type: 'save-version', requestId: 'marker' }));
    await waitFor(() => a.stateless.some((m) => m.requestId === 'marker') && b.stateless.some((m) => m.requestId === 'marker'), 'marker');
    expect(a.stateless.filter((m) => m.type === 'comments-changed')).toHaveLength(1);
    expect(b.stateless.filter((m) => m.type === 'comments-changed')).toHaveLength(1);
  }, 30_000);
});
