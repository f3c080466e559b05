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
  server = await startServer(db, { tokenRefreshGraceMs: 500 });
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
      [await token(owner), 'not-a-uuid', 'bad-document-name'],
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

  it('delivers comment changes to connected clients at once', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(viewer)));
    await synced(a);
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Nice line') returning id`,
      [projectId, documentId, owner.id],
    );
    const commentId = rows[0]!.id;
    await waitFor(() => a.stateless.some((m) => m.type === 'comments-changed' && m.op === 'insert'), 'insert notice');
    await db.pool.query(`update public.comments set resolved_at = now() where id = $1`, [commentId]);
    await waitFor(() => a.stateless.some((m) => m.type === 'comments-changed' && m.op === 'update'), 'resolve notice');
    await db.pool.query(`delete from public.comments where id = $1`, [commentId]);
    await waitFor(() => a.stateless.some((m) => m.type === 'comments-changed' && m.op === 'delete'), 'delete notice');
    expect(a.stateless.filter((m) => m.type === 'comments-changed').every((m) => m.commentId === commentId && m.documentId === documentId)).toBe(true);
  });

  it('applies membership changes to open connections: downgrade, upgrade, removal', async () => {
    const member = await createUser(db.pool, 'Mo Member');
    await addMember(db.pool, projectId, member.id, 'editor');
    const documentId = await createDocument(db.pool, projectId);
    const watcher = track(connect(server.url, documentId, await token(owner)));
    const m = track(connect(server.url, documentId, await token(member)));
    await synced(watcher);
    await synced(m);
    appendParagraph(m.doc, 'while editor');
    await waitFor(() => paragraphs(watcher.doc).includes('while editor'), 'editor edit to arrive');

    await db.pool.query(`update public.project_members set role = 'viewer' where project_id = $1 and user_id = $2`, [projectId, member.id]);
    await waitFor(() => m.stateless.some((x) => x.type === 'role' && x.readOnly === true), 'downgrade notice');
    appendParagraph(m.doc, 'while viewer');
    appendParagraph(watcher.doc, 'marker 1');
    await waitFor(() => paragraphs(m.doc).includes('marker 1'), 'marker 1');
    await waitFor(() => allSaved(watcher), 'watcher saved');
    expect(paragraphs(watcher.doc)).not.toContain('while viewer');
    expect(paragraphs(await durableDoc(db.pool, documentId))).not.toContain('while viewer');

    await db.pool.query(`update public.project_members set role = 'editor' where project_id = $1 and user_id = $2`, [projectId, member.id]);
    await waitFor(() => m.stateless.some((x) => x.type === 'role' && x.readOnly === false), 'upgrade notice');
    // The edit made while read-only is pulled in by the resync the server starts on upgrade.
    await waitFor(() => paragraphs(watcher.doc).includes('while viewer'), 'read-only edit to arrive after upgrade');
    appendParagraph(m.doc, 'editor again');
    await waitFor(() => paragraphs(watcher.doc).includes('editor again'), 'edit after upgrade');

    await db.pool.query(`delete from public.project_members where project_id = $1 and user_id = $2`, [projectId, member.id]);
    await waitFor(() => m.closes.includes('membership-revoked'), 'removal to close the connection');
    appendParagraph(m.doc, 'after removal');
    appendParagraph(watcher.doc, 'marker 2');
    await waitFor(() => allSaved(watcher), 'watcher saved again');
    expect(paragraphs(watcher.doc)).not.toContain('after removal');
    expect(paragraphs(await durableDoc(db.pool, documentId))).not.toContain('after removal');
  });

  it('a document shared with one person follows document_collaborators live', async () => {
    const guest = await createUser(db.pool, 'Gus Guest');
    const documentId = await createDocument(db.pool, projectId);
    await db.pool.query(`insert into public.document_collaborators (document_id, user_id, role) values ($1, $2, 'editor')`, [documentId, guest.id]);
    const g = track(connect(server.url, documentId, await token(guest)));
    await synced(g);
    expect(g.stateless.find((x) => x.type === 'session')).toMatchObject({ role: 'editor', readOnly: false });
    await db.pool.query(`update public.document_collaborators set role = 'commenter' where document_id = $1 and user_id = $2`, [documentId, guest.id]);
    await waitFor(() => g.stateless.some((x) => x.type === 'role' && x.role === 'commenter' && x.readOnly === true), 'share downgrade');
    await db.pool.query(`delete from public.document_collaborators where document_id = $1 and user_id = $2`, [documentId, guest.id]);
    await waitFor(() => g.closes.includes('membership-revoked'), 'share revoked');
  });

  it('snapshots a version on request and restores it live, keeping concurrent edits of others', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    const b = track(connect(server.url, documentId, await token(editor)));
    const v = track(connect(server.url, documentId, await token(viewer)));
    await synced(a);
    await synced(b);
    await synced(v);
    appendParagraph(a.doc, 'first draft');
    appendParagraph(a.doc, 'keep me');
    await waitFor(() => paragraphs(b.doc).length === 2, 'b to see the draft');

    a.provider.sendStateless(JSON.stringify({ type: 'save-version', label: 'Draft one', requestId: 'r1' }));
    await waitFor(() => a.stateless.some((m) => m.type === 'version-saved' && m.requestId === 'r1'), 'version saved');
    const saved = a.stateless.find((m) => m.type === 'version-saved' && m.requestId === 'r1')!;
    await waitFor(() => b.stateless.some((m) => m.type === 'version-saved' && m.versionId === saved.versionId), 'others hear of the version');
    const { rows } = await db.pool.query(`select label, reason, user_id, plain_text from public.document_versions where id = $1`, [saved.versionId]);
    expect(rows[0]).toMatchObject({ label: 'Draft one', reason: 'manual', user_id: owner.id, plain_text: 'first draft\nkeep me' });

    // Change the text after the version; b edits concurrently with the restore.
    const fragment = a.doc.getXmlFragment('default');
    ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'rewritten ');
    appendParagraph(a.doc, 'added later');
    await waitFor(() => paragraphs(b.doc).length === 3 && paragraphs(b.doc)[0] === 'rewritten first draft', 'b sees the changes');

    // A viewer may not save or restore.
    v.provider.sendStateless(JSON.stringify({ type: 'restore-version', versionId: saved.versionId, requestId: 'v1' }));
    await waitFor(() => v.stateless.some((m) => m.type === 'error' && m.requestId === 'v1'), 'viewer refused');
    expect(v.stateless.find((m) => m.type === 'error' && m.requestId === 'v1')).toMatchObject({ code: 'forbidden' });

    // a goes offline and edits: that edit is concurrent with the restore b asks for meanwhile.
    a.provider.disconnect();
    await waitFor(() => !a.provider.isSynced, 'a offline');
    ((a.doc.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(7, ' (concurrent)');
    b.provider.sendStateless(JSON.stringify({ type: 'restore-version', versionId: saved.versionId, requestId: 'r2' }));
    await waitFor(() => b.stateless.some((m) => m.type === 'version-restored' && m.versionId === saved.versionId), 'restore notice');
    await waitFor(() => paragraphs(b.doc).join('|') === 'first draft|keep me', 'b to see the restored text, live');
    await a.provider.connect();
    await waitFor(() => paragraphs(a.doc).join('|') === paragraphs(b.doc).join('|') && paragraphs(b.doc).length === 2 && paragraphs(b.doc)[1] !== 'keep me', 'a and b to converge');
    expect(paragraphs(a.doc)).toEqual(['first draft', 'keep me (concurrent)']);
    await waitFor(() => paragraphs(v.doc).join('|') === paragraphs(a.doc).join('|'), 'the viewer to converge');
    const restored = b.stateless.find((m) => m.type === 'version-restored')!;
    const backup = await db.pool.query(`select reason, plain_text from public.document_versions where id = $1`, [restored.backupVersionId]);
    expect(backup.rows[0]).toMatchObject({ reason: 'restore', plain_text: 'rewritten first draft\nkeep me\nadded later' });
    await waitFor(() => allSaved(a) && allSaved(b), 'saved after restore');
    expect(paragraphs(await durableDoc(db.pool, documentId))).toEqual(paragraphs(a.doc));
  });

  it('asks for a fresh token before expiry and closes a session whose token is not renewed', async () => {
    const documentId = await createDocument(db.pool, projectId);
    let issued = 0;
    const refreshing = track(
      connect(server.url, documentId, async () => {
        issued++;
        return token(editor, { expiresInSeconds: 2 });
      }),
    );
    const stale = track(connect(server.url, documentId, await token(editor, { expiresInSeconds: 2 })));
    await synced(refreshing);
    await synced(stale);
    await waitFor(() => stale.closes.includes('token-expired'), 'the stale session to be closed');
    // By now the first token of the refreshing client has expired too; it lives on its renewed tokens. On a busy
    // machine the sweep may have asked only once so far, so wait for the second renewal rather than expect it.
    await waitFor(() => issued > 2, 'a second renewal of the refreshing token');
    expect(refreshing.closes).toEqual([]);
    const watcher = track(connect(server.url, documentId, await token(owner)));
    await synced(watcher);
    appendParagraph(refreshing.doc, 'still editing');
    await waitFor(() => paragraphs(watcher.doc).includes('still editing'), 'edits keep flowing after the first token expired');
  });

  it('snapshots versions by policy: after an idle gap and after a stretch of editing', async () => {
    const policy = await startServer(db, { versionIdleMs: 400, versionIntervalMs: 60_000 });
    try {
      const documentId = await createDocument(db.pool, projectId);
      const a = track(connect(policy.url, documentId, await token(editor)));
      await synced(a);
      appendParagraph(a.doc, 'idle soon');
      await waitFor(() => a.stateless.some((m) => m.type === 'version-saved' && m.reason === 'idle'), 'an idle snapshot');
      const { rows } = await db.pool.query(`select reason, user_id, plain_text from public.document_versions where document_id = $1`, [documentId]);
      expect(rows).toEqual([{ reason: 'idle', user_id: editor.id, plain_text: 'idle soon' }]);
      a.destroy();
    } finally {
      await policy.stop();
    }
    const continuous = await startServer(db, { versionIdleMs: 60_000, versionIntervalMs: 500 });
    try {
      const documentId = await createDocument(db.pool, projectId);
      const a = track(connect(continuous.url, documentId, await token(editor)));
      await synced(a);
      for (let i = 0; i < 200 && !a.stateless.some((m) => m.type === 'version-saved'); i++) {
        appendParagraph(a.doc, `typing ${i}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(a.stateless.find((m) => m.type === 'version-saved')).toMatchObject({ reason: 'interval', userId: editor.id });
      a.destroy();
    } finally {
      await continuous.stop();
    }
  });

  it('closes every connection of a document that is deleted while open', async () => {
    const documentId = await createDocument(db.pool, projectId);
    const a = track(connect(server.url, documentId, await token(owner)));
    await synced(a);
    appendParagraph(a.doc, 'soon gone');
    await waitFor(() => allSaved(a), 'saved');
    await db.pool.query(`delete from public.documents where id = $1`, [documentId]);
    await waitFor(() => a.closes.includes('document-deleted'), 'the deletion to close the connection');
    await waitFor(() => !server.hocuspocus.documents.has(documentId), 'the document to leave memory');
  });

  it('reports health and Prometheus metrics on the same port', async () => {
    const health = await fetch(`http://127.0.0.1:${server.port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'ok', redis: 'disabled' });
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    for (const name of [
      'collab_connections',
      'collab_documents_loaded',
      'collab_updates_total',
      'collab_updates_per_second',
      'collab_store_duration_seconds',
      'collab_log_commit_duration_seconds',
      'collab_refusals_total',
      'collab_process_resident_memory_bytes',
    ])
      expect(metrics).toContain(name);
    expect(metrics).toMatch(/collab_refusals_total\{reason="forbidden"\} [1-9]/);
    // The writers' edits in the tests above were counted.
    expect(metrics).toMatch(/collab_updates_total\{origin="connection"\} [1-9]/);
  });
});
