import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getVersion, listVersions, saveVersion } from '../src/server/versions';
import { createProject, listTemplates } from '../src/server/projects';
import { listDocuments } from '../src/server/documents';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type TestDb, type TestUser } from './helpers';

let db: TestDb;
let owner: TestUser, editor: TestUser, viewer: TestUser, outsider: TestUser;
let documentId: string;

beforeAll(async () => {
  db = await testDatabase();
  const auth = embeddedAuth(db.pool);
  const person = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  [owner, editor, viewer, outsider] = await Promise.all([person('owner'), person('editor'), person('viewer'), person('outsider')]);
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  const projectId = (await createProject(db.pool, owner.claims, { title: 'Version Street', templateId })).id;
  await joinProject(db.pool, owner, projectId, editor, 'editor');
  await joinProject(db.pool, owner, projectId, viewer, 'viewer');
  documentId = (await listDocuments(db.pool, owner.claims, projectId))[0]!.id;
  // what the collab server would have stored after some writing
  await db.admin.query(`update public.documents set plain_text = 'It was a dark night.', word_count = 5 where id = $1`, [documentId]);
});
afterAll(async () => db?.close());

describe('saveVersion', () => {
  it('names the document as stored, credited to the editor who saved it', async () => {
    const saved = await saveVersion(db.pool, editor.claims, documentId, { label: '  First draft  ' });
    expect(saved).toMatchObject({ label: 'First draft', reason: 'manual', userId: editor.userId, authorName: 'Editor' });
    expect(saved.wordCount).toBeGreaterThan(0);
    const { rows } = await db.admin.query('select d.plain_text = v.plain_text as same from public.document_versions v join public.documents d on d.id = v.document_id where v.id = $1', [saved.id]);
    expect(rows[0].same).toBe(true);
  });

  it('refuses viewers, outsiders and labels that are empty or too long, and stores nothing', async () => {
    const count = async () => (await db.admin.query('select count(*)::int as n from public.document_versions where document_id = $1', [documentId])).rows[0].n;
    const before = await count();
    expect(await refusal(saveVersion(db.pool, viewer.claims, documentId, { label: 'Mine' }))).toMatchObject({ kind: 'forbidden', message: 'Only editors can save versions.' });
    expect((await refusal(saveVersion(db.pool, outsider.claims, documentId, { label: 'Mine' }))).kind).toMatch(/forbidden|not_found/);
    expect((await refusal(saveVersion(db.pool, editor.claims, documentId, { label: ' ' }))).message).toBe('Name the version.');
    expect((await refusal(saveVersion(db.pool, editor.claims, documentId, { label: 'x'.repeat(121) }))).message).toBe('Keep the name under 120 characters.');
    expect(await count()).toBe(before);
  });
});

describe('listVersions and getVersion', () => {
  it('lists newest first for readers and opens one with its text, never its Yjs state', async () => {
    await saveVersion(db.pool, owner.claims, documentId, { label: 'Second draft' });
    const list = await listVersions(db.pool, viewer.claims, documentId);
    expect(list[0]).toMatchObject({ label: 'Second draft', authorName: 'Owner' });
    const one = await getVersion(db.pool, viewer.claims, documentId, list[0]!.id);
    expect(one.plainText).toContain('It was a dark night.');
    expect(one).not.toHaveProperty('yjsState');
  });

  it('answers "not shared" to outsiders and "no longer exists" for an unknown version', async () => {
    expect((await refusal(listVersions(db.pool, outsider.claims, documentId))).kind).toBe('not_found');
    const [latest] = await listVersions(db.pool, owner.claims, documentId);
    expect((await refusal(getVersion(db.pool, outsider.claims, documentId, latest!.id))).kind).toBe('not_found');
    expect((await refusal(getVersion(db.pool, owner.claims, documentId, '00000000-0000-4000-8000-000000000000'))).message).toMatch(/no longer exists/);
    expect((await refusal(getVersion(db.pool, owner.claims, documentId, 'nope'))).message).toBe('That version link is not valid.');
  });
});
