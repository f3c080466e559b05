import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createComment, deleteComment, editComment, listComments, setThreadResolved, updateComment } from '../src/server/comments';
import { createProject, listTemplates } from '../src/server/projects';
import { listDocuments } from '../src/server/documents';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type TestDb, type TestUser } from './helpers';

let db: TestDb;
let owner: TestUser, editor: TestUser, commenter: TestUser, viewer: TestUser, outsider: TestUser;
let documentId: string;

const anchor = { from: 'AQIDBA==', to: 'BQYHCA==' };
const thread = (body: string) => ({ body, anchor, quote: 'It was a dark night.' });

beforeAll(async () => {
  db = await testDatabase();
  const auth = embeddedAuth(db.pool);
  const person = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  [owner, editor, commenter, viewer, outsider] = await Promise.all([person('owner'), person('editor'), person('commenter'), person('viewer'), person('outsider')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  const projectId = (await createProject(db.pool, owner.claims, { title: 'Comment Lane', templateId })).id;
  for (const [who, role] of [[editor, 'editor'], [commenter, 'commenter'], [viewer, 'viewer']] as const) await joinProject(db.pool, owner, projectId, who, role);
  documentId = (await listDocuments(db.pool, owner.claims, projectId))[0]!.id;
});
afterAll(async () => db?.close());

describe('createComment', () => {
  it('opens a thread on a passage and takes replies, named after their authors', async () => {
    const opened = await createComment(db.pool, commenter.claims, documentId, thread('Too dark?'));
    expect(opened).toMatchObject({ body: 'Too dark?', anchor, quote: 'It was a dark night.', parentId: null, userId: commenter.userId, authorName: 'Commenter' });
    const reply = await createComment(db.pool, editor.claims, documentId, { parentId: opened.id, body: 'Keep it.' });
    expect(reply).toMatchObject({ parentId: opened.id, anchor: null, quote: null, authorName: 'Editor' });
    const ids = (await listComments(db.pool, viewer.claims, documentId)).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([opened.id, reply.id]));
  });

  it('refuses viewers, outsiders, replies to replies and bad input, and writes nothing', async () => {
    const before = (await db.admin.query('select count(*)::int as n from public.comments')).rows[0].n;
    const byViewer = await refusal(createComment(db.pool, viewer.claims, documentId, thread('Me too')));
    expect(byViewer).toMatchObject({ kind: 'forbidden', message: 'Viewers can read comments but not add them. Ask the owner for commenter access.' });
    expect((await refusal(createComment(db.pool, outsider.claims, documentId, thread('Hello')))).kind).toBe('not_found');
    const parent = await createComment(db.pool, owner.claims, documentId, thread('Parent'));
    const reply = await createComment(db.pool, owner.claims, documentId, { parentId: parent.id, body: 'Child' });
    expect((await refusal(createComment(db.pool, owner.claims, documentId, { parentId: reply.id, body: 'Grandchild' }))).message).toBe('That thread no longer exists.');
    expect((await refusal(createComment(db.pool, owner.claims, documentId, { body: '   ', anchor, quote: '' }))).kind).toBe('invalid');
    expect((await refusal(createComment(db.pool, owner.claims, documentId, { body: 'x', anchor: { from: '<script>', to: 'AAAA' }, quote: '' }))).kind).toBe('invalid');
    expect((await refusal(createComment(db.pool, owner.claims, 'not-a-uuid', thread('x')))).message).toBe('That document link is not valid.');
    const after = (await db.admin.query('select count(*)::int as n from public.comments')).rows[0].n;
    expect(after).toBe(before + 2);
  });
});

describe('listComments', () => {
  it('shows a document’s comments to its readers and says "not shared" to everyone else', async () => {
    expect((await listComments(db.pool, viewer.claims, documentId)).length).toBeGreaterThan(0);
    const refused = await refusal(listComments(db.pool, outsider.claims, documentId));
    expect(refused).toMatchObject({ kind: 'not_found', message: 'This document does not exist or is not shared with you.' });
  });
});

describe('editComment', () => {
  it('lets the author rewrite their comment and nobody else, editors included', async () => {
    const mine = await createComment(db.pool, commenter.claims, documentId, thread('Frist draft'));
    expect((await editComment(db.pool, commenter.claims, documentId, mine.id, { body: 'First draft' })).body).toBe('First draft');
    expect(await refusal(editComment(db.pool, editor.claims, documentId, mine.id, { body: 'Hijacked' }))).toMatchObject({
      kind: 'forbidden',
      message: 'Only the author can edit a comment.',
    });
    const { rows } = await db.admin.query('select body from public.comments where id = $1', [mine.id]);
    expect(rows[0].body).toBe('First draft');
  });
});

describe('setThreadResolved', () => {
  it('resolves and reopens a thread, records who resolved it, and refuses replies and viewers', async () => {
    const opened = await createComment(db.pool, commenter.claims, documentId, thread('Resolve me'));
    const resolved = await setThreadResolved(db.pool, editor.claims, documentId, opened.id, { resolved: true });
    expect(resolved).toMatchObject({ resolvedBy: editor.userId, resolvedByName: 'Editor' });
    expect(resolved.resolvedAt).not.toBeNull();
    // resolving again keeps the first time
    expect((await setThreadResolved(db.pool, owner.claims, documentId, opened.id, { resolved: true })).resolvedAt).toBe(resolved.resolvedAt);
    expect((await setThreadResolved(db.pool, editor.claims, documentId, opened.id, { resolved: false })).resolvedAt).toBeNull();
    const reply = await createComment(db.pool, editor.claims, documentId, { parentId: opened.id, body: 'Done' });
    expect((await refusal(setThreadResolved(db.pool, editor.claims, documentId, reply.id, { resolved: true }))).message).toBe('Resolve the thread, not a reply.');
    expect(await refusal(setThreadResolved(db.pool, viewer.claims, documentId, opened.id, { resolved: true }))).toMatchObject({
      kind: 'forbidden',
      message: 'Only editors and the author can change this thread.',
    });
  });

  it('is what updateComment runs for { resolved }, while { body } edits and a mix of both is refused', async () => {
    const opened = await createComment(db.pool, commenter.claims, documentId, thread('Either or'));
    expect((await updateComment(db.pool, owner.claims, documentId, opened.id, { resolved: true })).resolvedBy).toBe(owner.userId);
    expect((await updateComment(db.pool, commenter.claims, documentId, opened.id, { body: 'Edited' })).body).toBe('Edited');
    expect((await refusal(updateComment(db.pool, commenter.claims, documentId, opened.id, { body: 'x', resolved: true }))).kind).toBe('invalid');
  });
});

describe('deleteComment', () => {
  it('lets authors delete their own and editors anyone’s; a thread takes its replies along', async () => {
    const opened = await createComment(db.pool, commenter.claims, documentId, thread('Delete me'));
    const reply = await createComment(db.pool, owner.claims, documentId, { parentId: opened.id, body: 'Reply' });
    expect(await refusal(deleteComment(db.pool, viewer.claims, documentId, opened.id))).toMatchObject({
      kind: 'forbidden',
      message: 'Only editors and the author can delete this comment.',
    });
    expect((await refusal(deleteComment(db.pool, commenter.claims, documentId, reply.id))).kind).toBe('forbidden');
    expect(await deleteComment(db.pool, editor.claims, documentId, opened.id)).toEqual({ deleted: opened.id });
    const { rows } = await db.admin.query('select count(*)::int as n from public.comments where id = any($1)', [[opened.id, reply.id]]);
    expect(rows[0].n).toBe(0);
    expect((await refusal(deleteComment(db.pool, editor.claims, documentId, opened.id))).message).toBe('That comment no longer exists.');
  });
});
