import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDisplayName } from '../src/server/account';
import { listMembers } from '../src/server/members';
import { createProject, getProject, listTemplates, transferProject } from '../src/server/projects';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type TestDb, type TestUser } from './helpers';

let db: TestDb;
let owner: TestUser, editor: TestUser, outsider: TestUser;
let projectId: string;

beforeAll(async () => {
  db = await testDatabase();
  const auth = embeddedAuth(db.pool);
  [owner, editor, outsider] = await Promise.all([signUp(auth, 'owner', 'Olive'), signUp(auth, 'editor', ''), signUp(auth, 'outsider', 'Otto')]);
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Handed Over', templateId })).id;
  await joinProject(db.pool, owner, projectId, editor, 'editor');
});
afterAll(async () => db?.close());

describe('getDisplayName', () => {
  it('is the display name, or the address before the @ when there is none', async () => {
    expect(await getDisplayName(db.pool, owner.claims)).toBe('Olive');
    await db.admin.query(`update public.user_profiles set display_name = '' where id = $1`, [editor.userId]);
    expect(await getDisplayName(db.pool, editor.claims)).toBe(editor.email.split('@')[0]);
  });
});

describe('transferProject', () => {
  it('refuses anyone but the owner of record, and a new owner who is not a member', async () => {
    expect((await refusal(transferProject(db.pool, editor.claims, { projectId, newOwnerId: editor.userId }))).kind).toBe('forbidden');
    expect((await refusal(transferProject(db.pool, owner.claims, { projectId, newOwnerId: outsider.userId }))).message).toBe(
      'Only a member of the project can become its owner. Invite them first.',
    );
    expect((await refusal(transferProject(db.pool, owner.claims, { projectId, newOwnerId: 'someone' }))).kind).toBe('invalid');
    expect((await getProject(db.pool, owner.claims, projectId))!.ownerId).toBe(owner.userId);
  });

  it('makes the chosen member the owner and keeps the previous owner as an editor, who may then delete the account', async () => {
    await transferProject(db.pool, owner.claims, { projectId, newOwnerId: editor.userId });
    expect((await getProject(db.pool, editor.claims, projectId))!.ownerId).toBe(editor.userId);
    const roles = Object.fromEntries((await listMembers(db.pool, editor.claims, projectId)).map((m) => [m.userId, m.role]));
    expect(roles).toEqual({ [editor.userId]: 'owner', [owner.userId]: 'editor' });
    await db.admin.query('delete from auth.users where id = $1', [owner.userId]);
    expect((await getProject(db.pool, editor.claims, projectId))!.title).toBe('Handed Over');
  });
});
