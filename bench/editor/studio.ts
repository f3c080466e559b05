import { HocuspocusProvider } from '@hocuspocus/provider';
import { createPool, ensureDatabase } from '@quire/db';
import { replaceManuscript, type ProseMirrorJSON } from '@quire/domain/manuscript';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { newPerson } from '../../e2e/support/browser';
import { startService, type Service } from '../../e2e/support/service';
import { signUp } from '../../e2e/support/studio';
import { waitUntil } from '../collab/harness';

export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
}

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

/**
 * The real studio (scripts/launch.ts through the e2e launcher): web, collab and Postgres. With a server URL in
 * BENCH_DATABASE_URL or TEST_DATABASE_URL it runs on a fresh database there, dropped afterwards; without one the
 * launcher starts its embedded Postgres. BENCH_URL with BENCH_COLLAB_PORT uses a studio that is already running.
 */
export async function startStudio(): Promise<{ service: Service; dropDatabase: () => Promise<void> }> {
  // BENCH_URL and BENCH_COLLAB_PORT: a studio that is already running (its sessions last as long as it says)
  if (process.env.BENCH_URL && process.env.BENCH_COLLAB_PORT) {
    const url = process.env.BENCH_URL;
    const running: Service = { url, port: Number(new URL(url).port), collabPort: Number(process.env.BENCH_COLLAB_PORT), dataDir: '', output: () => '', stop: async () => {} };
    return { service: running, dropDatabase: async () => {} };
  }
  // a session outlives the run: the measured pages never refresh a token mid-measurement
  const env: NodeJS.ProcessEnv = { ACCESS_TOKEN_TTL_SECONDS: '86400', LOG_LEVEL: 'warn' };
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let dropDatabase = async () => {};
  if (server) {
    const name = `quire_editor_bench_${process.pid}_${Date.now().toString(36)}`;
    env.DATABASE_URL = await ensureDatabase(server, name);
    dropDatabase = async () => {
      const admin = createPool(server, { max: 1, applicationName: 'quire-editor-bench' });
      try {
        await admin.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    };
  }
  try {
    return { service: await startService({ env, timeoutMs: 10 * 60_000 }), dropDatabase };
  } catch (error) {
    await dropDatabase().catch(() => {});
    throw error;
  }
}

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

/** The access token the web app hands its own editor (GET /api/session, which refreshes the cookie first). */
export async function accessToken(person: Person): Promise<string> {
  const token = await person.page.evaluate(async () => {
    const response = await fetch('/api/session', { cache: 'no-store', credentials: 'same-origin' });
    return ((await response.json()) as { accessToken?: string }).accessToken ?? null;
  });
  if (!token) throw new Error(`${person.name} has no session`);
  return token;
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
  const { service, dropDatabase } = await startStudio();
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
