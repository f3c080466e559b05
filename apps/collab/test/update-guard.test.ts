import * as encoding from 'lib0/encoding';
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
  synced,
  testDatabase,
  token,
  waitFor,
  type Client,
  type TestDb,
} from './helpers';
import { authFrame, RawSocket, syncFrame } from './raw';

let db: TestDb;
let server: CollabServer;
let owner: { id: string; email: string };
let editor: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const sockets: RawSocket[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  editor = await createUser(db.pool, 'Eddie Editor');
  projectId = await createProject(db.pool, owner.id);
  await addMember(db.pool, projectId, editor.id, 'editor');
  server = await startServer(db);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await server?.stop();
  await db?.drop();
});

/** A v1 update holding one GC struct for `client` over [clock, clock + length), as only a hand-made client sends. */
function gcUpdate(client: number, clock: number, length: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // clients
  encoding.writeVarUint(e, 1); // structs of this client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 0); // info: GC
  encoding.writeVarUint(e, length);
  encoding.writeVarUint(e, 0); // empty delete set
  return encoding.toUint8Array(e);
}

/** A v1 update with no structs and one deletion of [clock, clock + length) of `client`. */
function deletionUpdate(client: number, clock: number, length: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, 1); // delete set: one client
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, length);
  return encoding.toUint8Array(e);
}

async function writerSocket(documentId: string): Promise<RawSocket> {
  const socket = new RawSocket(server.url);
  sockets.push(socket);
  await socket.open();
  socket.send(authFrame(documentId, await token(editor)));
  await waitFor(() => socket.authReplies().length > 0, 'raw auth');
  expect(socket.authReplies()[0]).toBe('authenticated:read-write');
  return socket;
}

const closedWith = (socket: RawSocket, reason: string) =>
  socket.ofType(MSG.Close).some(({ decoder }) => new TextDecoder().decode(decoder.arr.subarray(decoder.pos)).includes(reason));

describe('Yjs structures only a forged client sends', () => {
  it("refuses a GC struct or a deletion that reaches into another writer's future clocks, and that writer keeps going", async () => {
    const documentId = await createDocument(db.pool, projectId);
    const victim = track(connect(server.url, documentId, await token(owner)));
    await synced(victim);
    victim.provider.setAwarenessField('cursor', { anchor: 0 });
    appendParagraph(victim.doc, 'before');
    await waitFor(() => allSaved(victim), 'the first edit saved');
    const client = victim.doc.clientID;
    const loaded = () => server.hocuspocus.documents.get(documentId)!;
    const state = Y.getState(loaded().store, client);

    for (const update of [gcUpdate(client, state, 2 ** 40), gcUpdate(client, state, 10), deletionUpdate(client, state, 1_000)]) {
      const forger = await writerSocket(documentId);
      forger.send(syncFrame(documentId, 2, update));
      await waitFor(() => closedWith(forger, 'forbidden-update'), 'the forged update to be refused');
      forger.close();
      expect(Y.getState(loaded().store, client)).toBe(state);
    }

    appendParagraph(victim.doc, 'after');
    await waitFor(() => allSaved(victim), 'the next edit saved');
    expect(paragraphs(await durableDoc(db.pool, documentId))).toEqual(['before', 'after']);
    expect(victim.closes).toEqual([]);
  });

  it('refuses any clock past MAX_CLOCK, even for a clientID nobody has claimed', async () => {
    const documentId = await createDocument(db.pool, projectId);
    // Someone stays, so the document stays loaded and its state can be read after the refusal.
    const reader = track(connect(server.url, documentId, await token(owner)));
    await synced(reader);
    const forger = await writerSocket(documentId);
    forger.send(syncFrame(documentId, 2, gcUpdate(424_242, 0, 2 ** 40)));
    await waitFor(() => closedWith(forger, 'forbidden-update'), 'the forged update to be refused');
    expect(Y.getState(server.hocuspocus.documents.get(documentId)!.store, 424_242)).toBe(0);
  });

  it("accepts what real editors send: their own edits, offline work and deletions of others' text", async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    const b = track(connect(server.url, documentId, await token(editor)));
    await Promise.all([synced(a), synced(b)]);
    a.provider.setAwarenessField('cursor', { anchor: 0 });
    b.provider.setAwarenessField('cursor', { anchor: 0 });
    appendParagraph(a.doc, 'from a');
    await waitFor(() => paragraphs(b.doc).includes('from a'), 'b to see a');
    // b deletes a's paragraph: a deletion of a's clocks that the server already has.
    b.doc.getXmlFragment('default').delete(0, 1);
    appendParagraph(b.doc, 'from b');
    await waitFor(() => paragraphs(a.doc).join() === 'from b', 'a to see the deletion');
    await waitFor(() => allSaved(a) && allSaved(b), 'saved');
    expect(a.closes).toEqual([]);
    expect(b.closes).toEqual([]);
  });
});
