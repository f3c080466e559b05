import { HocuspocusProvider } from '@hocuspocus/provider';
import { replaceManuscript, type ProseMirrorJSON } from '@quire/domain/manuscript';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { newPerson } from '../../e2e/support/browser';
import type { Service } from '../../e2e/support/service';
import { signUp } from '../../e2e/support/studio';
import { waitUntil } from '../collab/harness';
import { accessToken, startStudio, type Person } from '../support/studio';

export type { Person };

export interface Studio {
  service: Service;
  owner: Person;
  coWriters: Person[];
  /** Path of the chapter's page in the web app. */
  chapterPath: string;
  documentId: string;
  collabUrl: string;
  stop(): Promise<void>;
}

const PASSWORD = 'a lamp in every window';

async function createProject(page: Page, title: string): Promise<string> {
  await page.goto('/projects');
  await page.getByLabel('Title').fill(title);
  await page.locator('label').filter({ hasText: /Novel/ }).first().click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByTestId('document-tree').waitFor();
  return new URL(page.url()).pathname;
}

async function inviteEditor(owner: Page, project: string, invitee: Person, email: string) {
  await owner.goto(`${project}/members`);
  await owner.locator('#invite-email').fill(email);
  await owner.locator('#invite-role').selectOption('editor');
  await owner.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await owner.getByTestId('invitation-link').inputValue();
  await invitee.page.goto(new URL(link).pathname);
  await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.page.getByTestId('document-tree').waitFor();
}

/** A Node client of the collab server, authenticated as `person` the way the browser editor is. */
export function connect(collabUrl: string, documentId: string, person: Person, doc = new Y.Doc()): HocuspocusProvider {
  return new HocuspocusProvider({
    url: collabUrl,
    name: documentId,
    document: doc,
    token: () => accessToken(person),
    WebSocketPolyfill: WebSocket,
  } as ConstructorParameters<typeof HocuspocusProvider>[0]);
}

/**
 * One owner and two co-writers (editors, invited through the members screen), one novel, and its first chapter
 * replaced by `chapter` through the collab server, as a paste of the whole text would do.
 */
export async function setUpStudio(browser: Browser, chapter: ProseMirrorJSON): Promise<Studio> {
  const { service, dropDatabase } = await startStudio('editor');
  const stamp = Date.now().toString(36);
  const people: Person[] = [];
  try {
    for (const name of ['Ana Reyes', 'Ben Okafor', 'Cleo Hart']) {
      const { context, page } = await newPerson(browser, service.url);
      const person = { name, context, page };
      people.push(person);
      await signUp(page, { name, email: `${name.split(' ')[0]!.toLowerCase()}-bench-${stamp}@example.com`, password: PASSWORD });
    }
    const [owner, ...coWriters] = people as [Person, Person, Person];
    const project = await createProject(owner.page, 'The Lighthouse Keeper');
    for (const person of coWriters) await inviteEditor(owner.page, project, person, `${person.name.split(' ')[0]!.toLowerCase()}-bench-${stamp}@example.com`);
    await owner.page.goto(project);
    const documentId = await owner.page.locator('[data-doc-title="Chapter 1"]').first().getAttribute('data-doc-id');
    if (!documentId) throw new Error('the novel has no "Chapter 1"');
    const collabUrl = `ws://127.0.0.1:${service.collabPort}`;

    const provider = connect(collabUrl, documentId, owner);
    try {
      if (!(await waitUntil(() => provider.isSynced, 60_000, 20))) throw new Error('the seeding client did not sync');
      replaceManuscript(provider.document, chapter, 'bench-seed');
      if (!(await waitUntil(() => !provider.hasUnsyncedChanges, 120_000, 50))) throw new Error('the chapter was not acknowledged');
    } finally {
      provider.destroy();
    }

    return {
      service,
      owner,
      coWriters,
      chapterPath: `${project}/documents/${documentId}`,
      documentId,
      collabUrl,
      stop: async () => {
        for (const person of people) await person.context.close().catch(() => {});
        await service.stop();
        await dropDatabase().catch((error: Error) => console.warn(`could not drop the bench database: ${error.message}`));
      },
    };
  } catch (error) {
    for (const person of people) await person.context.close().catch(() => {});
    await service.stop();
    await dropDatabase().catch(() => {});
    throw error;
  }
}
