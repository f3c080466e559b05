import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { MSG } from '../src/frames';
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
import { authFrame, awarenessFrame, frame, RawSocket, statelessFrame, syncFrame } from './raw';

// Seeded, so a failure can be replayed.
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261102);
const int = (n: number) => Math.floor(rand() * n);
const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
const tick = () => new Promise((r) => setImmediate(r));

let db: TestDb;
let server: CollabServer;
let owner: { id: string; email: string };
let editor: { id: string; email: string };
let viewer: { id: string; email: string };
let watcher: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const track = (client: Client) => (clients.push(client), client);
const MAX_MESSAGE = 256 * 1024;

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  editor = await createUser(db.pool, 'Eddie Editor');
  viewer = await createUser(db.pool, 'Vera Viewer');
  watcher = await createUser(db.pool, 'Wendy Watcher');
  projectId = await createProject(db.pool, owner.id);
  await addMember(db.pool, projectId, editor.id, 'editor');
  await addMember(db.pool, projectId, viewer.id, 'viewer');
  await addMember(db.pool, projectId, watcher.id, 'viewer');
  server = await startServer(db, { maxMessageBytes: MAX_MESSAGE, storeDebounceMs: 100, storeMaxDebounceMs: 200 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
  await db?.drop();
});

describe('bad input', () => {
  it('10,000+ fuzzed and malformed frames leave the server serving everyone else and the stored document byte-identical', async () => {
    // The target: written, stored, compacted and unloaded before the fuzzing starts.
    const target = await createDocument(db.pool, projectId);
    const author = connect(server.url, target, await token(editor));
    await synced(author);
    for (let i = 0; i < 10; i++) appendParagraph(author.doc, `line ${i}`);
    await waitFor(() => allSaved(author), 'target saved');
    author.destroy();
    await waitFor(async () => !server.hocuspocus.documents.has(target) && (await storedState(db.pool, target)).log.length === 0, 'target stored and unloaded');
    const before = await storedState(db.pool, target);

    // Everyone else: two writers on another document keep typing for the whole run.
    const other = await createDocument(db.pool, projectId);
    const w1 = track(connect(server.url, other, await token(owner)));
    const w2 = track(connect(server.url, other, await token(editor)));
    // Another user than the spoofer below: a user may move their own clientID to a new connection, not someone else's.
    const reader = track(connect(server.url, target, await token(watcher)));
    await Promise.all([synced(w1), synced(w2), synced(reader)]);
    // The reader publishes a cursor, as an open editor does; the spoofer will try to speak for it. The writers publish
    // their names once synced, as the editor does: the awareness sent with the connection itself can cross the other
    // writer's join on a busy machine and would then only come back with the 15 s renewal.
    reader.provider.setAwarenessField('cursor', { anchor: 0 });
    w1.provider.setAwarenessField('user', { name: 'w1' });
    w2.provider.setAwarenessField('user', { name: 'w2' });
    await waitFor(() => [...w1.provider.awareness!.getStates().keys()].length >= 2, 'awareness to settle');
    let typing = true;
    let typed = 0;
    const typist = (async () => {
      for (let i = 0; typing && i < 5_000; i++) {
        appendParagraph(i % 2 ? w1.doc : w2.doc, `w${i}`);
        typed++;
        await new Promise((r) => setTimeout(r, 15));
      }
    })();

    let frames = 0;
    const tokens = { editor: await token(editor), viewer: await token(viewer) };

    // 1. Unauthenticated garbage, one connection after another: random bytes, truncated varints, unknown types.
    const garbage: Array<() => Uint8Array> = [
      () => bytes(1 + int(64)),
      () => Uint8Array.from([...Array.from({ length: 1 + int(6) }, () => 0x80 | int(128))]),
      () => frame(target, 11 + int(200)),
      () => frame(target, MSG.Sync, () => {}),
      () => Uint8Array.from([36, ...new TextEncoder().encode(target)].slice(0, 1 + int(30))),
      () => frame(target, MSG.SyncStatus),
    ];
    for (let i = 0; i < 4_000; ) {
      const socket = new RawSocket(server.url);
      await socket.open();
      // A few frames per turn: the first bad one closes the socket, the rest must be dropped unprocessed.
      while (socket.isOpen && i < 4_000) {
        for (let burst = 0; burst < 4 && i < 4_000; burst++) {
          if (socket.send(garbage[int(garbage.length)]!())) {
            frames++;
            i++;
          }
        }
        await tick();
        if (socket.closed) break;
      }
      socket.close();
    }

    // 2. Floods before authentication: well-formed frames that pile up while no token was sent.
    for (let c = 0; c < 10; c++) {
      const socket = new RawSocket(server.url);
      await socket.open();
      for (let i = 0; i < 300 && socket.isOpen; i++) if (socket.send(syncFrame(target, 0, Y.encodeStateVector(new Y.Doc())))) frames++;
      await waitFor(() => socket.closed !== null, 'an unauthenticated flood to be cut off');
    }

    // 3. Oversized frames and text frames.
    for (let c = 0; c < 5; c++) {
      const socket = new RawSocket(server.url);
      await socket.open();
      if (socket.send(syncFrame(target, 2, bytes(MAX_MESSAGE + 1024)))) frames++;
      await waitFor(() => socket.closed !== null, 'an oversized frame to be refused');
      expect(socket.closed!.code).toBe(1009);
      const text = new RawSocket(server.url);
      await text.open();
      if (text.send('hello', false)) frames++;
      await waitFor(() => text.closed !== null, 'a text frame to be refused');
    }

    // 4. An authenticated viewer: SyncStep2 and updates with new content, spoofed awareness, bad requests.
    const spoofer = new RawSocket(server.url);
    await spoofer.open();
    spoofer.send(authFrame(target, tokens.viewer));
    await waitFor(() => spoofer.authReplies().length > 0, 'viewer auth');
    expect(spoofer.authReplies()[0]).toBe('authenticated:readonly');
    const intruder = new Y.Doc();
    for (let i = 0; i < 1_200; i++) {
      appendParagraph(intruder, `intruder ${i}`);
      const kind = i % 6;
      let sent = false;
      if (kind === 0) sent = spoofer.send(syncFrame(target, 1, Y.encodeStateAsUpdate(intruder)));
      else if (kind === 1) sent = spoofer.send(syncFrame(target, 2, Y.encodeStateAsUpdate(intruder, Y.encodeStateVector(new Y.Doc()))));
      else if (kind === 2)
        sent = spoofer.send(awarenessFrame(target, [{ clientId: reader.doc.clientID, clock: 1_000 + i, state: { user: { id: owner.id, name: 'Olive Owner' } } }]));
      else if (kind === 3) sent = spoofer.send(awarenessFrame(target, [{ clientId: 777_000 + (i % 3), clock: 1 + i, state: { user: { id: owner.id, name: 'Olive Owner', color: '#000' } } }]));
      else if (kind === 4) sent = spoofer.send(statelessFrame(target, i % 12 === 4 ? '{"type":"restore-version","versionId":"00000000-0000-0000-0000-000000000000"}' : '{not json'));
      else sent = spoofer.send(statelessFrame(target, JSON.stringify({ type: 'save-version', label: 'x'.repeat(int(200)) })));
      if (sent) frames++;
      // Pace to the rate limit a real client lives within; the flood test below breaks it on purpose.
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 300));
    }
    await waitFor(() => spoofer.syncStatuses().length >= 400, 'the viewer updates to be answered');
    expect(spoofer.syncStatuses().every((applied) => applied === false)).toBe(true);
    expect(spoofer.closed).toBe(null);
    spoofer.close();

    // 5. Client-sent broadcasts and malformed Yjs payloads from authenticated users, each on a fresh connection.
    let malformedUpdates = 0;
    for (let c = 0; c < 300; c++) {
      const socket = new RawSocket(server.url);
      await socket.open();
      socket.send(authFrame(target, c % 2 ? tokens.editor : tokens.viewer));
      await waitFor(() => socket.authReplies().length > 0, 'auth');
      let payload: Uint8Array;
      if (c % 5 === 0) payload = statelessFrame(target, '{"type":"saved","pending":0}', MSG.BroadcastStateless);
      else {
        // Random bytes that do not decode as a Yjs update (one that did would be a legitimate edit).
        let update = bytes(1 + int(40));
        for (let tries = 0; tries < 50; tries++) {
          try {
            Y.decodeUpdate(update);
            update = bytes(1 + int(40));
          } catch {
            break;
          }
        }
        payload = syncFrame(target, 1 + int(2), update);
        malformedUpdates++;
      }
      if (socket.send(payload)) frames++;
      await waitFor(() => socket.closed !== null, 'a malformed or forbidden frame to close the connection');
      expect(['malformed-message', 'forbidden-message']).toContain(socket.closed!.reason);
    }
    expect(malformedUpdates).toBeGreaterThan(200);

    // 6. A flood from an authenticated editor beyond the rate limit.
    const flooder = new RawSocket(server.url);
    await flooder.open();
    flooder.send(authFrame(target, tokens.editor));
    await waitFor(() => flooder.authReplies().length > 0, 'flooder auth');
    for (let i = 0; i < 2_500 && flooder.isOpen; i++) if (flooder.send(frame(target, MSG.QueryAwareness))) frames++;
    await waitFor(() => flooder.closed !== null, 'the flood to be cut off');
    expect(flooder.closed!.reason).toBe('rate-limited');

    typing = false;
    await typist;
    expect(frames).toBeGreaterThanOrEqual(10_000);

    // Everyone else was served throughout.
    await waitFor(() => paragraphs(w1.doc).length === typed && paragraphs(w2.doc).length === typed, 'the writers to converge');
    expect(paragraphs(w1.doc)).toEqual(paragraphs(w2.doc));
    await waitFor(() => allSaved(w1) && allSaved(w2), 'the writers to be saved');
    expect(w1.closes).toEqual([]);
    expect(reader.closes).toEqual([]);
    expect(paragraphs(reader.doc)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i}`));
    // No awareness entry claims to be someone who is not there.
    for (const state of reader.provider.awareness!.getStates().values()) {
      const user = (state as { user?: { id: string } }).user;
      if (user) expect([viewer.id, editor.id, watcher.id]).toContain(user.id);
    }
    const health = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(health.status).toBe(200);

    // And the target is exactly what it was.
    reader.destroy();
    await waitFor(() => !server.hocuspocus.documents.has(target), 'the target to unload');
    const after = await storedState(db.pool, target);
    expect(Buffer.compare(after.yjs_state!, before.yjs_state!)).toBe(0);
    expect(after).toEqual(before);
    const metrics = await server.metrics.registry.getSingleMetricAsString('collab_refusals_total');
    for (const reason of ['malformed-message', 'forbidden-message', 'rate-limited', 'message-too-big', 'awareness-spoof']) expect(metrics).toContain(`reason="${reason}"`);
  }, 240_000);

  it('refuses an update that would make a document too large, without closing or storing it', async () => {
    const small = await startServer(db, { maxDocumentBytes: 20_000 });
    try {
      const documentId = await createDocument(db.pool, projectId);
      const a = track(connect(small.url, documentId, await token(editor)));
      const b = track(connect(small.url, documentId, await token(owner)));
      await synced(a);
      await synced(b);
      appendParagraph(a.doc, 'fits');
      await waitFor(() => allSaved(a) && paragraphs(b.doc).includes('fits'), 'a small edit');
      appendParagraph(a.doc, 'x'.repeat(30_000));
      await waitFor(() => a.stateless.some((m) => m.type === 'error' && m.code === 'document-too-large'), 'the refusal');
      appendParagraph(b.doc, 'others carry on');
      await waitFor(() => allSaved(b), 'the other writer saved');
      expect(paragraphs(b.doc)).toEqual(['fits', 'others carry on']);
      expect(a.closes).toEqual([]);
      const stored = paragraphs(await durableDoc(db.pool, documentId));
      expect(stored).toEqual(['fits', 'others carry on']);
    } finally {
      await small.stop();
    }
  });
});
