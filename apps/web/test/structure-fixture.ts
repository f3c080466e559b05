import { expect } from 'vitest';
import { UserError } from '../src/lib/errors';
import { createProject, listTemplates } from '../src/server/projects';
import { acceptInvitation, inviteMember } from '../src/server/members';
import { createDocument } from '../src/server/documents';
import { embeddedAuth, signUp, testDatabase, type TestDb, type TestUser } from './helpers';

/**
 * What the structure tests share (structure-outlines, structure-beats, structure-plot): one database per file, an
 * owner's novel with an editor, a viewer and a commenter, an outsider, and helpers for refusals and word counts.
 */

const APP = 'http://quire.test';

export interface StructureFixture {
  db: TestDb;
  owner: TestUser;
  editor: TestUser;
  viewer: TestUser;
  commenter: TestUser;
  outsider: TestUser;
  projectId: string;
  newProject(title: string): Promise<string>;
  join(project: string, who: TestUser, role: 'editor' | 'commenter' | 'viewer'): Promise<void>;
  /** Sets a document's words the way the collab server's store does (it runs as the service, outside RLS). */
  setWords(documentId: string, words: number): Promise<void>;
  chapter(project: string, title: string, words: number): Promise<string>;
}

export async function structureFixture(): Promise<StructureFixture> {
  const db = await testDatabase();
  const auth = embeddedAuth(db.pool);
  const label = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  const [owner, editor, viewer, commenter, outsider] = await Promise.all([label('owner'), label('editor'), label('viewer'), label('commenter'), label('outsider')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  const novelTemplateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  const newProject = async (title: string) => (await createProject(db.pool, owner.claims, { title, templateId: novelTemplateId })).id;
  const join = async (project: string, who: TestUser, role: 'editor' | 'commenter' | 'viewer') => {
    const invitation = await inviteMember(db.pool, owner.claims, { projectId: project, email: who.email, role }, APP);
    await acceptInvitation(db.pool, who.claims, { token: invitation.link.split('/invite/')[1]! });
  };
  const setWords = async (documentId: string, words: number) => {
    await db.admin.query('update public.documents set word_count = $2 where id = $1', [documentId, words]);
  };
  const chapter = async (project: string, title: string, words: number) => {
    const { id } = await createDocument(db.pool, owner.claims, { projectId: project, parentId: null, kind: 'chapter', title });
    await setWords(id, words);
    return id;
  };
  const projectId = await newProject('Harbour Lights');
  await join(projectId, editor, 'editor');
  await join(projectId, viewer, 'viewer');
  await join(projectId, commenter, 'commenter');
  return { db, owner, editor, viewer, commenter, outsider, projectId, newProject, join, setWords, chapter };
}

export async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a refusal, but the call succeeded');
}
