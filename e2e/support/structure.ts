import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, newPerson } from './browser';
import { invite, type Person } from './editor';
import { startService, type Service } from './service';
import { signUp } from './studio';

/** Helpers for the structure studio's browser tests (e2e/structure-*.test.ts). */

// Against a studio someone started by hand (QUIRE_E2E_URL) the pictures are not the product's: a scratch folder.
const SCREENSHOTS = process.env.QUIRE_E2E_URL
  ? path.join(os.tmpdir(), 'quire-structure-screenshots')
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');
const PASSWORD = 'a map of every harbour';

export async function shot(page: Page, name: string) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await new Promise((r) => setTimeout(r, 300));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The outline as a page shows it: "depth:title" in reading order. */
export function outline(page: Page): Promise<string[]> {
  return page
    .locator('[data-testid=outline-section]')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-depth')}:${r.getAttribute('data-section-title')}`));
}

/** The beat board as a page shows it: "act:name" column by column. */
export function beats(page: Page): Promise<string[]> {
  return page.locator('[data-testid=beat-card]').evaluateAll((cards) => cards.map((c) => `${c.getAttribute('data-act')}:${c.getAttribute('data-beat-name')}`));
}

export function row(page: Page, title: string) {
  return page.locator(`[data-testid=outline-section][data-section-title="${title}"]`);
}

export function beat(page: Page, name: string) {
  return page.locator(`[data-testid=beat-card][data-beat-name="${name}"]`);
}

/** Opens a board and waits until its change feed is connected, so what others do from now on shows up. */
export async function openLive(page: Page, url: string) {
  await page.goto(url);
  await page.locator('[data-testid=live-status][data-connected=true]').waitFor();
}

/**
 * Chooses in one of a card's link lists (document, section). They list every choice once the writer reaches for them
 * (focus, pointer), as a click does, so a large board does not build the project's lists on every card.
 */
export async function chooseLink(select: Locator, label: string) {
  await select.focus();
  await select.selectOption({ label });
}

export async function addSection(page: Page, title: string, kind: string) {
  await page.getByTestId('new-section-title').fill(title);
  await page.getByTestId('new-section-kind').selectOption(kind);
  await page.getByTestId('add-section').click();
  await row(page, title).waitFor();
}

export async function createNovel(page: Page, title: string): Promise<string> {
  await page.goto('/projects');
  await page.getByLabel('Title').fill(title);
  await page.locator('label').filter({ hasText: /Novel/ }).first().click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByTestId('document-tree').waitFor();
  return new URL(page.url()).pathname;
}

/** `n` distinct words, so a document's count is known exactly. */
export function words(n: number, stem: string): string {
  return Array.from({ length: n }, (_, i) => `${stem}${i + 1}`).join(' ');
}

/** Replaces a document's text by typing, as a writer would, and waits until the editor says it is saved. */
export async function typeInto(page: Page, documentPath: string, text: string) {
  await page.goto(documentPath);
  await page.locator('[data-testid=document-workspace][data-ready=true]').waitFor({ timeout: 90_000 });
  await page.getByTestId('manuscript').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

export interface Team {
  service?: Service;
  browser: Browser;
  ana: Person;
  ben: Person;
  vic: Person;
  people: Record<'ana' | 'ben' | 'vic', { name: string; email: string }>;
  projectUrl: string;
  projectId: string;
  stop(): Promise<void>;
}

/** Ana owns a novel; Ben is her editor, Vic a viewer; each in their own browser profile. */
export async function setUpTeam(tag: string, projectTitle: string): Promise<Team> {
  const service = process.env.QUIRE_E2E_URL ? undefined : await startService();
  const url = process.env.QUIRE_E2E_URL ?? service!.url;
  const browser = await launchBrowser();
  const stamp = `${tag}-${Date.now().toString(36)}`;
  const people = {
    ana: { name: 'Ana Reyes', email: `ana-${stamp}@example.com` },
    ben: { name: 'Ben Okafor', email: `ben-${stamp}@example.com` },
    vic: { name: 'Vic Moreau', email: `vic-${stamp}@example.com` },
  };
  const [ana, ben, vic] = await Promise.all([newPerson(browser, url), newPerson(browser, url), newPerson(browser, url)]);
  for (const [who, person] of [[ana, people.ana], [ben, people.ben], [vic, people.vic]] as const) await signUp(who.page, { ...person, password: PASSWORD });
  const projectUrl = await createNovel(ana.page, projectTitle);
  await invite(ana.page, projectUrl, ben, people.ben, 'editor');
  await invite(ana.page, projectUrl, vic, people.vic, 'viewer');
  return {
    service,
    browser,
    ana,
    ben,
    vic,
    people,
    projectUrl,
    projectId: projectUrl.split('/').pop()!,
    async stop() {
      await browser.close().catch(() => {});
      await service?.stop();
    },
  };
}

/** The API as a signed-in page calls it (the session cookie, and the Origin the server's CSRF check wants). */
export function apiOf(page: Page) {
  const origin = () => new URL(page.url()).origin;
  return {
    get: (url: string) => page.request.get(url),
    post: (url: string, data: unknown) => page.request.post(url, { headers: { origin: origin() }, data }),
    patch: (url: string, data: unknown) => page.request.patch(url, { headers: { origin: origin() }, data }),
    delete: (url: string) => page.request.delete(url, { headers: { origin: origin() } }),
  };
}
