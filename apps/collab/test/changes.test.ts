import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabServer } from '../src/server';
import { addMember, connect, createDocument, createProject, createUser, startServer, synced, testDatabase, token, waitFor, type Client, type TestDb } from './helpers';

let db: TestDb;
let server: CollabServer;
let owner: { id: string; email: string };
let editor: { id: string; email: string };
let viewer: { id: string; email: string };
let projectId: string;
const clients: Client[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  db = await testDatabase();
  owner = await createUser(db.pool, 'Olive Owner');
  editor = await createUser(db.pool, 'Eddie Editor');
  viewer = await createUser(db.pool, 'Vera Viewer');
  projectId = await createProject(db.pool, owner.id);
  await addMember(db.pool, projectId, editor.id, 'editor');
  await addMember(db.pool, projectId, viewer.id, 'editor');
  server = await startServer(db);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
  await db?.drop();
});

const listeners = `select pid from pg_stat_activity
                    where datname = current_database() and application_name = 'quire-collab' and query ilike 'listen %'`;

describe('the change feed', () => {
  it('a removal that happened while the LISTEN connection was down still closes the connection, and later changes arrive', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const removed = track(connect(server.url, documentId, await token(editor)));
    const downgraded = track(connect(server.url, documentId, await token(viewer)));
    await Promise.all([synced(removed), synced(downgraded)]);
    await waitFor(async () => (await db.pool.query(listeners)).rowCount === 1, 'the LISTEN connection');

    // The listener dies and the membership row goes in one transaction: its NOTIFY has nobody to reach.
    const tx = await db.pool.connect();
    try {
      await tx.query('begin');
      await tx.query(`select pg_terminate_backend(pid) from (${listeners}) l`);
      await tx.query('delete from public.project_members where project_id = $1 and user_id = $2', [projectId, editor.id]);
      await tx.query('commit');
    } finally {
      tx.release();
    }

    await waitFor(() => removed.closes.includes('membership-revoked'), 'the re-check after reconnecting to close the removed member');
    // The feed is back: an ordinary change reaches the other session.
    await waitFor(async () => (await db.pool.query(listeners)).rowCount === 1, 'a new LISTEN connection');
    await db.pool.query(`update public.project_members set role = 'viewer' where project_id = $1 and user_id = $2`, [projectId, viewer.id]);
    await waitFor(() => downgraded.stateless.some((m) => m.type === 'role' && m.role === 'viewer'), 'the downgrade notice');
    expect(downgraded.closes).toEqual([]);
  });
});
