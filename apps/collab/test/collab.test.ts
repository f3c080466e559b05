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

let db: TestDb;
let server: CollabServer;
let owner: { id: string; email: string };
let editor: { id: string; email: string };
let viewer: { id: string; email: string };
let stranger: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  editor = await createUser(db.pool, 'Eddie Editor');
  viewer = await createUser(db.pool, 'Vera Viewer');
  stranger = await createUser(db.pool, 'Sam Stranger');
  projectId = await createProject(db.pool, owner.id);
  await addMember(db.pool, projectId, editor.id, 'editor');
  await addMember(db.pool, projectId, viewer.id, 'viewer');
  server = await startServer(db);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
  await db?.drop();
});

describe('collab server', () => {
  it('two writers converge on concurrent edits, and the store holds the merged text', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    const b = track(connect(server.url, documentId, await token(editor)));
    await synced(a);
    await synced(b);
    // Concurrent: both edit before either sees the other.
    for (let i = 0; i < 20; i++) {
      appendParagraph(a.doc, `a${i}`);
      appendParagraph(b.doc, `b${i}`);
    }
    await waitFor(() => paragraphs(a.doc).length === 40 && paragraphs(b.doc).length === 40, 'both clients to see 40 paragraphs');
    expect(paragraphs(a.doc)).toEqual(paragraphs(b.doc));
    await waitFor(() => allSaved(a) && allSaved(b), 'saved acknowledgements');
    const durable = await durableDoc(db.pool, documentId);
    expect(paragraphs(durable)).toEqual(paragraphs(a.doc));
    await waitFor(async () => (await storedState(db.pool, documentId)).word_count === 40, 'the store to write word count');
    const stored = await storedState(db.pool, documentId);
    expect(stored.plain_text.split('\n').sort()).toEqual(paragraphs(a.doc).sort());
  });

  it('refuses a bad token, an expired token, a non-member and an unknown document with their reasons', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const cases: Array<[string | (() => Promise<string>), string, string]> = [
      ['not-a-jwt', documentId, 'invalid-token'],
      [await token(owner, { secret: 'another-secret-another-secret-123' }), documentId, 'invalid-token'],
      [await token(owner, { expiresInSeconds: -60 }), documentId, 'token-expired'],
      [await token(stranger), documentId, 'forbidden'],
      [await token(owner), crypto.randomUUID(), 'not-found'],
      [await token(owner), 'not-a-uuid', 'not-found'],
    ];
    for (const [tok, name, reason] of cases) {
      const client = track(connect(server.url, name, tok));
      await waitFor(() => client.authFailures.length > 0, `refusal ${reason}`);
      expect(client.authFailures[0]).toBe(reason);
      client.destroy();
    }
  });

  it("keeps a viewer read-only: its edits reach neither peers nor storage, its awareness does, with the verified identity", async () => {
    const documentId = await createDocument(db.pool, projectId);
    const writer = track(connect(server.url, documentId, await token(editor)));
    const reader = track(connect(server.url, documentId, await token(viewer)));
    await synced(writer);
    await synced(reader);
    appendParagraph(writer.doc, 'from the editor');
    await waitFor(() => paragraphs(reader.doc).includes('from the editor'), 'viewer to receive edits');
    appendParagraph(reader.doc, 'from the viewer');
    reader.provider.setAwarenessField('user', { name: 'Olive Owner', id: owner.id, color: '#000' });
    reader.provider.setAwarenessField('cursor', { anchor: 1 });
    await waitFor(
      () => [...writer.provider.awareness!.getStates().values()].some((s) => (s as { cursor?: unknown }).cursor !== undefined),
      'viewer awareness to reach the editor',
    );
    const state = [...writer.provider.awareness!.getStates().values()].find((s) => (s as { cursor?: unknown }).cursor) as { user: { id: string; name: string } };
    expect(state.user.id).toBe(viewer.id);
    expect(state.user.name).toBe('Vera Viewer');
    // Give the server a round trip to (not) forward the viewer's edit: a marker edit from the editor after it.
    appendParagraph(writer.doc, 'marker');
    await waitFor(() => paragraphs(reader.doc).includes('marker'), 'marker');
    await waitFor(() => allSaved(writer), 'writer saved');
    expect(paragraphs(writer.doc)).not.toContain('from the viewer');
    const durable = await durableDoc(db.pool, documentId);
    expect(paragraphs(durable)).toEqual(['from the editor', 'marker']);
    const session = reader.stateless.find((m) => m.type === 'session');
    expect(session).toMatchObject({ role: 'viewer', readOnly: true, userId: viewer.id });
  });
});
