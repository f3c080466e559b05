import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabServer } from '../src/server';
import {
  appendParagraph,
  connect,
  createDocument,
  createProject,
  createUser,
  paragraphs,
  startServer,
  synced,
  testDatabase,
  token,
  waitFor,
  type Client,
  type TestDb,
} from './helpers';
import { authFrame, RawSocket } from './raw';

let db: TestDb;
let server: CollabServer;
let owner: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const sockets: RawSocket[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  projectId = await createProject(db.pool, owner.id);
  server = await startServer(db);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await server?.stop();
  await db?.drop();
});

/** Every other way to write the same uuid that we know of; the first group is what Postgres' uuid input accepts. */
function spellings(id: string): { postgresAccepts: string[]; others: string[] } {
  const hex = id.replaceAll('-', '');
  const mixed = [...id].map((ch, i) => (i % 2 ? ch.toUpperCase() : ch)).join('');
  const everyFour = hex.match(/.{4}/g)!.join('-');
  const postgresAccepts = [
    id.toUpperCase(),
    mixed,
    `{${id}}`,
    `{${id.toUpperCase()}}`,
    hex,
    hex.toUpperCase(),
    `{${hex}}`,
    everyFour,
    `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}-${hex.slice(24)}`,
  ];
  const others = [
    `urn:uuid:${id}`,
    ` ${id}`,
    `${id} `,
    `\t${id}`,
    `${id}\n`,
    `${id}%00`,
    `%7B${id}%7D`,
    encodeURIComponent(`{${id}}`),
    `${id}/`,
    `${id}.`,
  ];
  return { postgresAccepts, others };
}

describe('one document, one name', () => {
  it('the test knows the spellings Postgres accepts for one uuid', async () => {
    const id = crypto.randomUUID();
    const { postgresAccepts, others } = spellings(id);
    for (const spelling of postgresAccepts) {
      const { rows } = await db.pool.query<{ id: string }>('select $1::uuid::text as id', [spelling]);
      expect(rows[0]!.id).toBe(id);
    }
    for (const spelling of others) await expect(db.pool.query('select $1::uuid', [spelling])).rejects.toThrow(/uuid/);
  });

  it('refuses every non-canonical spelling of an existing document with its reason, and never loads a second copy', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const writer = track(connect(server.url, documentId, await token(owner)));
    await synced(writer);
    appendParagraph(writer.doc, 'the only copy');
    const { postgresAccepts, others } = spellings(documentId);
    const ownerToken = await token(owner);
    for (const spelling of [...postgresAccepts, ...others]) {
      const socket = new RawSocket(server.url);
      sockets.push(socket);
      await socket.open();
      socket.send(authFrame(spelling, ownerToken));
      await waitFor(() => socket.authReplies().length > 0, `a reply for ${JSON.stringify(spelling)}`);
      expect(socket.authReplies()[0], JSON.stringify(spelling)).toBe('denied:bad-document-name');
      socket.close();
    }
    expect([...server.hocuspocus.documents.keys()]).toEqual([documentId]);
    const refusals = await server.metrics.registry.getSingleMetricAsString('collab_refusals_total');
    expect(refusals).toContain('reason="bad-document-name"');
  });

  it('a provider that uses the upper-case id is refused instead of writing to a copy nobody else sees', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const canonical = track(connect(server.url, documentId, await token(owner)));
    const shouting = track(connect(server.url, documentId.toUpperCase(), await token(owner)));
    await synced(canonical);
    await waitFor(() => shouting.authFailures.length > 0, 'the upper-case connection to be refused');
    expect(shouting.authFailures[0]).toBe('bad-document-name');
    expect(server.hocuspocus.documents.has(documentId.toUpperCase())).toBe(false);
  });

  it('the session suffix of a multiplexed address still names the one canonical document', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    await synced(a);
    const socket = new RawSocket(server.url);
    sockets.push(socket);
    await socket.open();
    socket.send(authFrame(`${documentId}\0some-session`, await token(owner)));
    await waitFor(() => socket.authReplies().length > 0, 'auth reply');
    expect(socket.authReplies()[0]).toMatch(/^authenticated:/);
    appendParagraph(a.doc, 'seen once');
    await waitFor(() => paragraphs(a.doc).length === 1, 'the edit');
    expect([...server.hocuspocus.documents.keys()].filter((name) => name.toLowerCase().includes(documentId))).toEqual([documentId]);
  });

  it('refuses a token whose subject is not a canonical uuid', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const shouting = track(connect(server.url, documentId, await token({ id: owner.id.toUpperCase() })));
    await waitFor(() => shouting.authFailures.length > 0, 'refusal');
    expect(shouting.authFailures[0]).toBe('invalid-token');
  });
});
