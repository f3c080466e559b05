import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CollabServer } from '../src/server';
import { addMember, connect, createDocument, createProject, createUser, startServer, synced, testDatabase, token, waitFor, type Client, type TestDb } from './helpers';
import { authFrame, awarenessFrame, RawSocket } from './raw';

let db: TestDb;
let server: CollabServer;
let owner: { id: string; email: string };
let editor: { id: string; email: string };
let viewer: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const sockets: RawSocket[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  editor = await createUser(db.pool, 'Eddie Editor');
  viewer = await createUser(db.pool, 'Vera Viewer');
  projectId = await createProject(db.pool, owner.id);
  await addMember(db.pool, projectId, editor.id, 'editor');
  await addMember(db.pool, projectId, viewer.id, 'viewer');
  server = await startServer(db);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await server?.stop();
  await db?.drop();
});

type Presence = { user?: { id: string; name: string }; cursor?: { anchor: number } };
const seen = (observer: Client, clientId: number) => observer.provider.awareness!.getStates().get(clientId) as Presence | undefined;

async function rawEditor(documentId: string, user: { id: string }): Promise<RawSocket> {
  const socket = new RawSocket(server.url);
  sockets.push(socket);
  await socket.open();
  socket.send(authFrame(documentId, await token(user)));
  await waitFor(() => socket.authReplies().length > 0, 'raw auth');
  expect(socket.authReplies()[0]).toMatch(/^authenticated:/);
  return socket;
}

async function refusals(reason: string): Promise<number> {
  const metric = await server.metrics.registry.getSingleMetric('collab_refusals_total')!.get();
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('awareness identity', () => {
  it('refuses a frame that names several new clientIDs, and the same connection’s later valid entry still shows', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const observer = track(connect(server.url, documentId, await token(viewer)));
    await synced(observer);
    const raw = await rawEditor(documentId, editor);
    const spoofsBefore = await refusals('awareness-spoof');
    // As many junk ids as the per-connection allowance: accepting any of them would leave no room for the real one.
    raw.send(awarenessFrame(documentId, [1_001, 1_002, 1_003, 1_004].map((clientId) => ({ clientId, clock: 1, state: { cursor: { anchor: 1 } } }))));
    raw.send(awarenessFrame(documentId, [{ clientId: 2_001, clock: 1, state: { cursor: { anchor: 7 } } }]));
    await waitFor(() => seen(observer, 2_001)?.cursor?.anchor === 7, 'the valid entry to reach the observer');
    expect(seen(observer, 2_001)!.user).toMatchObject({ id: editor.id, name: 'Eddie Editor' });
    for (const junk of [1_001, 1_002, 1_003, 1_004]) expect(seen(observer, junk)).toBeUndefined();
    expect(await refusals('awareness-spoof')).toBeGreaterThan(spoofsBefore);
  });

  it("refuses taking over another user's clientID, while they are here and after they left, without disturbing them", async () => {
    const documentId = await createDocument(db.pool, projectId);
    const observer = track(connect(server.url, documentId, await token(viewer)));
    const writer = track(connect(server.url, documentId, await token(owner)));
    await Promise.all([synced(observer), synced(writer)]);
    writer.provider.setAwarenessField('cursor', { anchor: 3 });
    const victim = writer.doc.clientID;
    await waitFor(() => seen(observer, victim)?.cursor?.anchor === 3, "the owner's cursor");

    const raw = await rawEditor(documentId, editor);
    raw.send(awarenessFrame(documentId, [{ clientId: victim, clock: 1_000, state: { cursor: { anchor: 99 } } }]));
    // Frames of one connection are handled in order: once this one shows, the takeover attempt was judged.
    raw.send(awarenessFrame(documentId, [{ clientId: 3_001, clock: 1, state: { cursor: { anchor: 1 } } }]));
    await waitFor(() => seen(observer, 3_001) !== undefined, 'the marker entry');
    expect(seen(observer, victim)).toMatchObject({ cursor: { anchor: 3 }, user: { id: owner.id, name: 'Olive Owner' } });
    // The owner keeps publishing normally.
    writer.provider.setAwarenessField('cursor', { anchor: 4 });
    await waitFor(() => seen(observer, victim)?.cursor?.anchor === 4, "the owner's next cursor");

    // Gone, but the clientID stays theirs for as long as the document is loaded.
    writer.destroy();
    await waitFor(() => seen(observer, victim) === undefined, 'the owner to leave');
    raw.send(awarenessFrame(documentId, [{ clientId: victim, clock: 2_000, state: { cursor: { anchor: 99 } } }]));
    raw.send(awarenessFrame(documentId, [{ clientId: 3_001, clock: 2, state: { cursor: { anchor: 2 } } }]));
    await waitFor(() => seen(observer, 3_001)?.cursor?.anchor === 2, 'the second marker');
    expect(seen(observer, victim)).toBeUndefined();
  });

  it('a user who reconnects with the same Y.Doc keeps their cursor and name', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const observer = track(connect(server.url, documentId, await token(viewer)));
    const doc = new Y.Doc();
    const first = track(connect(server.url, documentId, await token(owner), { doc }));
    await Promise.all([synced(observer), synced(first)]);
    for (let anchor = 1; anchor <= 5; anchor++) first.provider.setAwarenessField('cursor', { anchor });
    await waitFor(() => seen(observer, doc.clientID)?.cursor?.anchor === 5, 'the first cursor');

    // Reconnect after the old connection is gone: a new provider starts its awareness clock from scratch.
    first.destroy();
    await waitFor(() => seen(observer, doc.clientID) === undefined, 'the first connection to leave');
    const second = track(connect(server.url, documentId, await token(owner), { doc }));
    await synced(second);
    second.provider.setAwarenessField('cursor', { anchor: 5 });
    await waitFor(() => seen(observer, doc.clientID)?.cursor?.anchor === 5, 'the cursor after the reconnect');
    expect(seen(observer, doc.clientID)!.user).toMatchObject({ id: owner.id, name: 'Olive Owner' });

    // Reconnect while the old connection is still open: its close must not take the entry along.
    const third = track(connect(server.url, documentId, await token(owner), { doc }));
    await synced(third);
    third.provider.setAwarenessField('cursor', { anchor: 6 });
    await waitFor(() => seen(observer, doc.clientID)?.cursor?.anchor === 6, 'the cursor from the third connection');
    const connections = server.hocuspocus.getConnectionsCount();
    second.destroy();
    await waitFor(() => server.hocuspocus.getConnectionsCount() === connections - 1, 'the second connection to close');
    third.provider.setAwarenessField('cursor', { anchor: 7 });
    await waitFor(() => seen(observer, doc.clientID)?.cursor?.anchor === 7, 'the cursor after the old connection closed');
    expect(seen(observer, doc.clientID)!.user).toMatchObject({ id: owner.id, name: 'Olive Owner' });
  });
});
