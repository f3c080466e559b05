import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Claims } from '@quire/db/session';
import { createProject, deleteProject, getProject, listProjects, listTemplates, renameProject } from '../src/server/projects';
import { createDocument, deleteDocument, getDocument, listDocuments, moveDocument, renameDocument, reorderDocuments } from '../src/server/documents';
import {
  acceptInvitation,
  changeRole,
  inviteMember,
  leaveProject,
  listInvitations,
  listMembers,
  listShares,
  previewInvitation,
  removeMember,
  revokeInvitation,
  shareDocument,
  unshareDocument,
} from '../src/server/members';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, uniqueEmail, type Auth, type TestDb, type TestUser } from './helpers';

const APP = 'http://quire.test';

let db: TestDb;
let auth: Auth;
let owner: TestUser, editor: TestUser, commenter: TestUser, viewer: TestUser, outsider: TestUser;
let projectId: string;
let novelTemplateId: string;

const join = (project: string, who: TestUser, role: 'editor' | 'commenter' | 'viewer') => joinProject(db.pool, owner, project, who, role);

beforeAll(async () => {
  db = await testDatabase();
  auth = embeddedAuth(db.pool);
  const label = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  [owner, editor, commenter, viewer, outsider] = await Promise.all([label('owner'), label('editor'), label('commenter'), label('viewer'), label('outsider')]);
  // the main project needs more seats than the free plan's two; billing sets the plan, as the webhook would
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  const templates = await listTemplates(db.pool, owner.claims);
  novelTemplateId = templates.find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'The Lighthouse Keeper', templateId: novelTemplateId })).id;
});
afterAll(async () => db?.close());

describe('projects', () => {
  it('creates a project from the novel template with its starter documents, owned by its creator', async () => {
    const project = await getProject(db.pool, owner.claims, projectId);
    expect(project).toMatchObject({ title: 'The Lighthouse Keeper', kind: 'novel', role: 'owner', ownerTier: 'team' });
    const docs = await listDocuments(db.pool, owner.claims, projectId);
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.some((d) => d.parentId !== null) || docs.length >= 1).toBe(true);
    const { rows } = await db.admin.query('select count(*)::int as n from public.documents where project_id = $1', [projectId]);
    expect(rows[0].n).toBe(docs.length);
  });

  it('offers the novel, screenplay and blog post templates', async () => {
    const kinds = new Set((await listTemplates(db.pool, owner.claims)).map((t) => t.kind));
    expect(kinds.has('novel')).toBe(true);
  });

  it('refuses bad input before it reaches the database', async () => {
    expect((await refusal(createProject(db.pool, owner.claims, { title: '   ', templateId: novelTemplateId }))).message).toBe('Give your project a title.');
    expect((await refusal(createProject(db.pool, owner.claims, { title: 'x', templateId: 'nope' }))).kind).toBe('invalid');
    expect((await refusal(createProject(db.pool, owner.claims, { title: 'x'.repeat(201), templateId: novelTemplateId }))).message).toMatch(/under 200/);
  });

  it('enforces the free plan project limit with the plan in the message', async () => {
    const writer = await signUp(auth, 'prolific');
    for (let i = 0; i < 3; i++) await createProject(db.pool, writer.claims, { title: `Book ${i}`, templateId: novelTemplateId });
    const refused = await refusal(createProject(db.pool, writer.claims, { title: 'Book 4', templateId: novelTemplateId }));
    expect(refused.kind).toBe('quota');
    expect(refused.message).toMatch(/free plan allows 3 projects/);
    const { rows } = await db.admin.query('select count(*)::int as n from public.projects where user_id = $1', [writer.userId]);
    expect(rows[0].n).toBe(3);
  });

  it('lists owned and shared projects with each role', async () => {
    await join(projectId, editor, 'editor');
    await join(projectId, commenter, 'commenter');
    const mine = await listProjects(db.pool, owner.claims);
    expect(mine.find((p) => p.id === projectId)).toMatchObject({ role: 'owner', isOwner: true, memberCount: 3 });
    const theirs = await listProjects(db.pool, editor.claims);
    expect(theirs.find((p) => p.id === projectId)).toMatchObject({ role: 'editor', isOwner: false, ownerName: 'Owner' });
    expect(await listProjects(db.pool, outsider.claims)).toEqual([]);
    expect(await getProject(db.pool, outsider.claims, projectId)).toBeNull();
  });

  it('lets owners and editors rename, and refuses commenters, viewers and outsiders', async () => {
    await renameProject(db.pool, editor.claims, { projectId, title: 'The Keeper' });
    for (const who of [commenter, outsider]) {
      const refused = await refusal(renameProject(db.pool, who.claims, { projectId, title: 'Hijacked' }));
      expect(refused.kind).toBe('forbidden');
      expect(refused.message).toMatch(/owner and editors/);
    }
    expect((await getProject(db.pool, owner.claims, projectId))!.title).toBe('The Keeper');
  });
});

describe('the document tree', () => {
  it('lets editors add, rename, reorder and delete, in order', async () => {
    const a = await createDocument(db.pool, editor.claims, { projectId, parentId: null, kind: 'chapter', title: 'Chapter A' });
    const b = await createDocument(db.pool, editor.claims, { projectId, parentId: null, kind: 'chapter', title: 'Chapter B' });
    const scene = await createDocument(db.pool, editor.claims, { projectId, parentId: a.id, kind: 'scene', title: 'A scene' });
    await renameDocument(db.pool, editor.claims, { documentId: scene.id, title: 'The storm' });
    let roots = (await listDocuments(db.pool, owner.claims, projectId)).filter((d) => d.parentId === null);
    const order = roots.map((d) => d.id);
    expect(order.slice(-2)).toEqual([a.id, b.id]);
    await reorderDocuments(db.pool, editor.claims, { projectId, parentId: null, orderedIds: [b.id, ...order.filter((id) => id !== b.id)] });
    roots = (await listDocuments(db.pool, owner.claims, projectId)).filter((d) => d.parentId === null);
    expect(roots[0]!.id).toBe(b.id);
    await moveDocument(db.pool, editor.claims, { documentId: b.id, direction: 'down' });
    roots = (await listDocuments(db.pool, owner.claims, projectId)).filter((d) => d.parentId === null);
    expect(roots[1]!.id).toBe(b.id);
    expect(roots.map((d) => d.position)).toEqual(roots.map((_, i) => i));
    await deleteDocument(db.pool, editor.claims, { documentId: a.id });
    const after = await listDocuments(db.pool, owner.claims, projectId);
    expect(after.find((d) => d.id === a.id)).toBeUndefined();
    expect(after.find((d) => d.id === scene.id)).toBeUndefined(); // children go with their chapter
  });

  it('refuses every structural change from commenters, viewers and outsiders', async () => {
    await join(projectId, viewer, 'viewer');
    const docs = await listDocuments(db.pool, owner.claims, projectId);
    const target = docs[0]!;
    const roots = docs.filter((d) => d.parentId === null).map((d) => d.id);
    for (const who of [commenter, viewer, outsider]) {
      const add = await refusal(createDocument(db.pool, who.claims, { projectId, parentId: null, kind: 'chapter', title: 'Nope' }));
      expect(add.message).toMatch(/Only editors and the owner/);
      expect((await refusal(renameDocument(db.pool, who.claims, { documentId: target.id, title: 'Nope' }))).kind).toBe('forbidden');
      expect((await refusal(deleteDocument(db.pool, who.claims, { documentId: target.id }))).kind).toBe('forbidden');
      expect((await refusal(reorderDocuments(db.pool, who.claims, { projectId, parentId: null, orderedIds: [...roots].reverse() }))).kind).toBe('forbidden');
    }
    const unchanged = await listDocuments(db.pool, owner.claims, projectId);
    expect(unchanged.map((d) => [d.id, d.title, d.position])).toEqual(docs.map((d) => [d.id, d.title, d.position]));
  });

  it('refuses a reorder that does not list exactly the siblings', async () => {
    const roots = (await listDocuments(db.pool, owner.claims, projectId)).filter((d) => d.parentId === null).map((d) => d.id);
    const refused = await refusal(reorderDocuments(db.pool, editor.claims, { projectId, parentId: null, orderedIds: roots.slice(1) }));
    expect(refused.kind).toBe('conflict');
  });

  it('tells readers and writers apart on a document', async () => {
    const doc = (await listDocuments(db.pool, owner.claims, projectId))[0]!;
    expect((await getDocument(db.pool, editor.claims, doc.id))!.canEdit).toBe(true);
    expect((await getDocument(db.pool, viewer.claims, doc.id))!.canEdit).toBe(false);
    expect(await getDocument(db.pool, outsider.claims, doc.id)).toBeNull();
  });
});

describe('members and invitations', () => {
  it('keeps invitations to the owner and refuses everyone else', async () => {
    for (const who of [editor, commenter, viewer, outsider]) {
      const refused = await refusal(inviteMember(db.pool, who.claims, { projectId, email: uniqueEmail('friend'), role: 'editor' }, APP));
      expect(refused.kind).toBe('forbidden');
    }
    expect(await listInvitations(db.pool, editor.claims, projectId)).toEqual([]);
  });

  it('refuses a malformed address and a role that cannot be invited', async () => {
    expect((await refusal(inviteMember(db.pool, owner.claims, { projectId, email: 'bob@', role: 'editor' }, APP))).fields?.email).toMatch(/valid email/);
    expect((await refusal(inviteMember(db.pool, owner.claims, { projectId, email: uniqueEmail(), role: 'owner' }, APP))).kind).toBe('invalid');
    expect((await refusal(inviteMember(db.pool, owner.claims, { projectId, email: editor.email, role: 'viewer' }, APP))).message).toMatch(/already a member/);
  });

  it('stops at the collaborator limit of the owner plan, counting pending invitations', async () => {
    const own = await signUp(auth, 'smallteam');
    const small = (await createProject(db.pool, own.claims, { title: 'Short stories', templateId: novelTemplateId })).id;
    await inviteMember(db.pool, own.claims, { projectId: small, email: uniqueEmail('one'), role: 'editor' }, APP);
    await inviteMember(db.pool, own.claims, { projectId: small, email: uniqueEmail('two'), role: 'viewer' }, APP);
    const refused = await refusal(inviteMember(db.pool, own.claims, { projectId: small, email: uniqueEmail('three'), role: 'viewer' }, APP));
    expect(refused.kind).toBe('quota');
    expect(refused.message).toMatch(/free plan allows 2 collaborators per project/);
  });

  it('lets only the invited address accept, once, before it expires', async () => {
    const guest = await signUp(auth, 'guest');
    const invitation = await inviteMember(db.pool, owner.claims, { projectId, email: guest.email, role: 'commenter' }, APP);
    const token = invitation.link.split('/invite/')[1]!;
    expect(await previewInvitation(db.pool, null, token)).toMatchObject({ projectTitle: 'The Keeper', role: 'commenter', email: guest.email, status: 'pending', expired: false });
    const wrong = await refusal(acceptInvitation(db.pool, outsider.claims, { token }));
    expect(wrong.message).toMatch(/was sent to .*Sign in with that address/);
    expect((await refusal(acceptInvitation(db.pool, guest.claims, { token: 'not-a-token' }))).message).toMatch(/not valid/);
    await db.admin.query(`update public.invitations set expires_at = now() - interval '1 minute' where email = $1`, [guest.email]);
    const expired = await refusal(acceptInvitation(db.pool, guest.claims, { token }));
    expect(expired.kind).toBe('expired');
    expect(expired.message).toMatch(/expired/);
    // inviting again renews the link and the old one stops working
    const renewed = await inviteMember(db.pool, owner.claims, { projectId, email: guest.email, role: 'commenter' }, APP);
    expect(renewed.renewed).toBe(true);
    expect((await refusal(acceptInvitation(db.pool, guest.claims, { token }))).message).toMatch(/not valid/);
    await acceptInvitation(db.pool, guest.claims, { token: renewed.link.split('/invite/')[1]! });
    const members = await listMembers(db.pool, owner.claims, projectId);
    expect(members.find((m) => m.userId === guest.userId)?.role).toBe('commenter');
  });

  it('lets the owner withdraw an invitation; nobody else', async () => {
    const other = await signUp(auth, 'ownerb');
    const project = (await createProject(db.pool, other.claims, { title: 'Letters', templateId: novelTemplateId })).id;
    await inviteMember(db.pool, other.claims, { projectId: project, email: uniqueEmail('later'), role: 'viewer' }, APP);
    const [pending] = await listInvitations(db.pool, other.claims, project);
    expect((await refusal(revokeInvitation(db.pool, outsider.claims, { projectId: project, invitationId: pending!.id }))).kind).toBe('forbidden');
    await revokeInvitation(db.pool, other.claims, { projectId: project, invitationId: pending!.id });
    expect(await listInvitations(db.pool, other.claims, project)).toEqual([]);
  });

  it('lets only the owner change roles and remove members', async () => {
    for (const who of [editor, commenter, viewer, outsider]) {
      expect((await refusal(changeRole(db.pool, who.claims, { projectId, userId: viewer.userId, role: 'editor' }))).message).toMatch(/Only the project.s owner/);
      if (who !== viewer) expect((await refusal(removeMember(db.pool, who.claims, { projectId, userId: viewer.userId }))).kind).toBe('forbidden');
    }
    await changeRole(db.pool, owner.claims, { projectId, userId: editor.userId, role: 'viewer' });
    expect((await getProject(db.pool, editor.claims, projectId))!.role).toBe('viewer');
    // the downgrade takes effect at once: the former editor can no longer change the outline
    expect((await refusal(createDocument(db.pool, editor.claims, { projectId, parentId: null, kind: 'chapter', title: 'Late' }))).kind).toBe('forbidden');
    await changeRole(db.pool, owner.claims, { projectId, userId: editor.userId, role: 'editor' });
    expect((await refusal(changeRole(db.pool, owner.claims, { projectId, userId: owner.userId, role: 'viewer' }))).message).toMatch(/needs an owner/);
  });

  it('lets anyone but the owner leave', async () => {
    const owned = await refusal(leaveProject(db.pool, owner.claims, { projectId }));
    expect(owned.message).toMatch(/You own this project/);
    await leaveProject(db.pool, viewer.claims, { projectId });
    expect(await getProject(db.pool, viewer.claims, projectId)).toBeNull();
    expect((await refusal(leaveProject(db.pool, outsider.claims, { projectId }))).kind).toBe('not_found');
  });

  it('shares one document with a reviewer outside the project, and only that document', async () => {
    const docs = await listDocuments(db.pool, owner.claims, projectId);
    const chapter = docs[0]!;
    const reviewer = await signUp(auth, 'reviewer', 'Rita');
    expect((await refusal(shareDocument(db.pool, editor.claims, { documentId: chapter.id, email: reviewer.email, role: 'commenter' }))).kind).toBe('forbidden');
    expect((await refusal(shareDocument(db.pool, owner.claims, { documentId: chapter.id, email: uniqueEmail('nobody'), role: 'commenter' }))).message).toMatch(/Nobody has a Quire account/);
    expect((await refusal(shareDocument(db.pool, owner.claims, { documentId: chapter.id, email: editor.email, role: 'viewer' }))).message).toMatch(/already a member/);
    await shareDocument(db.pool, owner.claims, { documentId: chapter.id, email: reviewer.email, role: 'commenter' });
    const shares = await listShares(db.pool, owner.claims, projectId);
    expect(shares).toEqual([expect.objectContaining({ documentId: chapter.id, userId: reviewer.userId, email: reviewer.email, name: 'Rita', role: 'commenter' })]);
    const seen = await listProjects(db.pool, reviewer.claims);
    expect(seen).toEqual([expect.objectContaining({ id: projectId, role: null, isOwner: false })]);
    expect((await listDocuments(db.pool, reviewer.claims, projectId)).map((d) => d.id)).toEqual([chapter.id]);
    expect(await listMembers(db.pool, reviewer.claims, projectId)).toEqual([]);
    expect((await refusal(unshareDocument(db.pool, editor.claims, { documentId: chapter.id, userId: reviewer.userId }))).kind).toBe('forbidden');
    await unshareDocument(db.pool, owner.claims, { documentId: chapter.id, userId: reviewer.userId });
    expect(await listProjects(db.pool, reviewer.claims)).toEqual([]);
  });
});

describe('deleting a project', () => {
  it('is the owner alone, and only with the title typed back', async () => {
    for (const who of [editor, commenter, outsider]) {
      const refused = await refusal(deleteProject(db.pool, who.claims as Claims, { projectId, confirmTitle: 'The Keeper' }));
      expect(refused.kind === 'forbidden' || refused.kind === 'not_found').toBe(true);
    }
    const mismatch = await refusal(deleteProject(db.pool, owner.claims, { projectId, confirmTitle: 'Something else' }));
    expect(mismatch.message).toMatch(/does not match/);
    await deleteProject(db.pool, owner.claims, { projectId, confirmTitle: 'The Keeper' });
    expect(await getProject(db.pool, owner.claims, projectId)).toBeNull();
    expect(await listProjects(db.pool, editor.claims)).toEqual([]);
  });
});
