import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPerson, PHONE } from './support/browser';
import {
  createProject,
  documentUrl,
  invite,
  manuscript,
  openEditor,
  selectPhrase,
  shot,
  within,
  type Person,
} from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

/**
 * Screens that tell the truth: fields that count instead of cutting, statuses that say 404 and 403, a header that
 * agrees with the editor about role and length, a phone editor with every action in reach, and a landing page for
 * writers with the system status kept for operators.
 */

const PASSWORD = 'every page a window';
const stamp = Date.now().toString(36);
const people = {
  ana: { name: 'Ana Reyes', email: `ana-sc-${stamp}@example.com` },
  ben: { name: 'Ben Okafor', email: `ben-sc-${stamp}@example.com` },
  cleo: { name: 'Cleo Hart', email: `cleo-sc-${stamp}@example.com` },
};

let service: Service | undefined;
let browser: Browser;
let ana: Person;
let ben: Person;
let cleo: Person;
let projectUrl = '';
let chapterUrl = '';

function wordsIn(text: string): number {
  return Number(text.replace(/[^0-9]/g, ''));
}

async function changeRole(owner: Page, name: string, role: string) {
  await owner.goto(`${projectUrl}/members`);
  await owner.getByLabel(`Role of ${name}`).selectOption(role);
  await owner.getByText(`${name} is now ${role}.`).waitFor();
}

beforeAll(async () => {
  const url = process.env.QUIRE_E2E_URL ?? (service = await startService()).url;
  browser = await launchBrowser();
  ana = await newPerson(browser, url);
  ben = await newPerson(browser, url);
  cleo = await newPerson(browser, url);
  await signUp(ana.page, { ...people.ana, password: PASSWORD });
  await signUp(ben.page, { ...people.ben, password: PASSWORD });
  await signUp(cleo.page, { ...people.cleo, password: PASSWORD });
  projectUrl = await createProject(ana.page, 'The Salt Road', /Novel/);
  await invite(ana.page, projectUrl, ben, people.ben, 'editor');
  await invite(ana.page, projectUrl, cleo, people.cleo, 'commenter');
  chapterUrl = await documentUrl(ana.page, projectUrl, 'Chapter 1');
}, 12 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
}, 60_000);

describe('screens that tell the truth', () => {
  it('answers 404 for what is not there or not shared, and 403 for a page the role does not open', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await ana.page.goto(`/projects/${missing}`))?.status()).toBe(404);
    expect((await ana.page.goto('/projects/not-a-project'))?.status()).toBe(404);
    expect((await ana.page.goto(`${projectUrl}/documents/${missing}`))?.status()).toBe(404);
    await ana.page.getByText('We could not find that page').waitFor();
    // a project nobody shared with Cleo's neighbour: as good as not there
    const stranger = await newPerson(browser, new URL(ana.page.url()).origin);
    await signUp(stranger.page, { name: 'Dev Stranger', email: `dev-sc-${stamp}@example.com`, password: PASSWORD });
    expect((await stranger.page.goto(projectUrl))?.status()).toBe(404);
    expect((await stranger.page.goto(chapterUrl))?.status()).toBe(404);
    await stranger.context.close();
    // Cleo is a member, but settings are for the owner and editors
    const settings = await cleo.page.goto(`${projectUrl}/settings`);
    expect(settings?.status()).toBe(403);
    await cleo.page.getByText('Your role does not open this page').waitFor();
    expect((await ana.page.goto(`${projectUrl}/settings`))?.status()).toBe(200);
  }, 60_000);

  it('keeps the landing page for writers and the system status for operators', async () => {
    await ana.page.goto('/');
    await ana.page.getByTestId('what-you-can-do').waitFor();
    expect(await ana.page.locator('[data-health]').count()).toBe(0);
    expect((await ana.page.goto('/status'))?.status()).toBe(200);
    expect(await ana.page.locator('[data-health="database"]').getAttribute('data-ok')).toBe('true');
    expect(await ana.page.locator('[data-health="live collaboration"]').getAttribute('data-ok')).toBe('true');
  });

  it('counts towards the title limit, never cuts, refuses with the server’s words and clamps long titles', async () => {
    await ana.page.goto('/projects');
    const title = ana.page.getByLabel('Title');
    const long = 'The Long Road Down to the Salt Flats Where Nobody Goes Anymore, '.repeat(4).slice(0, 210);
    await title.fill(long);
    expect((await title.inputValue()).length).toBe(210);
    expect(await ana.page.getByTestId('character-count').innerText()).toBe('210 / 200 · 10 too many');
    await ana.page.locator('label').filter({ hasText: /Novel/ }).first().click();
    await ana.page.getByRole('button', { name: 'Create project' }).click();
    await ana.page.getByText('Keep the title under 200 characters.').first().waitFor();
    expect((await title.inputValue()).length).toBe(210);

    // just under the limit it is accepted, and the heading keeps it to two lines
    await title.fill(long.slice(0, 195));
    expect(await ana.page.getByTestId('character-count').getAttribute('data-over')).toBe('false');
    await ana.page.getByRole('button', { name: 'Create project' }).click();
    await ana.page.getByTestId('document-tree').waitFor();
    await ana.page.setViewportSize(PHONE);
    const heading = ana.page.getByTestId('project-title');
    const clamp = await heading.evaluate((h) => ({ lines: getComputedStyle(h).webkitLineClamp, clipped: h.scrollHeight > h.clientHeight, title: h.getAttribute('title') }));
    expect(clamp).toEqual({ lines: '2', clipped: true, title: long.slice(0, 195).trim() });
    await ana.page.setViewportSize({ width: 1280, height: 800 });

    // adding a document: a refused title stays in its field, with the server's message beside it
    const chapterTitle = ana.page.getByLabel('Title of the new chapter');
    await chapterTitle.fill(long);
    await chapterTitle.press('Enter');
    await ana.page.getByTestId('add-document-problem').filter({ hasText: /under 200 characters/ }).waitFor();
    expect(await chapterTitle.inputValue()).toBe(long);
    expect(await ana.page.locator(`[data-doc-title="${long}"]`).count()).toBe(0);
    // and an accepted one empties it
    await chapterTitle.fill('Salt Flats');
    await chapterTitle.press('Enter');
    await ana.page.locator('[data-doc-title="Salt Flats"]').first().waitFor();
    await within(5_000, () => chapterTitle.inputValue(), (v) => v === '', 'the field empties after adding');
    expect(await ana.page.getByTestId('add-document-problem').count()).toBe(0);
  }, 60_000);

  it('counts towards the comment limit, refuses with the server’s words and collapses long comments', async () => {
    await openEditor(ana.page, chapterUrl);
    await ana.page.getByTestId('manuscript').click();
    await ana.page.keyboard.type('The road ran white with salt all the way to the sea.');
    await selectPhrase(ana.page, 'white with salt');
    await ana.page.getByTestId('add-comment').click();
    const box = ana.page.locator('[data-testid=new-comment-form] textarea');
    const tooLong = 'Salt. '.repeat(1700).trim();
    await box.fill(tooLong);
    expect((await box.inputValue()).length).toBe(tooLong.length);
    expect(await ana.page.getByTestId('character-count').getAttribute('data-over')).toBe('true');
    await ana.page.locator('[data-testid=new-comment-form] button[type=submit]').click();
    await ana.page.getByTestId('new-comment-form').getByRole('alert').filter({ hasText: 'Keep a comment under 10,000 characters.' }).waitFor();
    expect((await box.inputValue()).length).toBe(tooLong.length);

    const lines = Array.from({ length: 14 }, (_, i) => `Point ${i + 1}: the salt should sting more here, and the sea should be closer.`);
    await box.fill(lines.join('\n'));
    await ana.page.locator('[data-testid=new-comment-form] button[type=submit]').click();
    const thread = ana.page.getByTestId('comment-thread').filter({ hasText: 'Point 1:' });
    await thread.waitFor();
    const body = thread.getByTestId('comment-body');
    expect(await body.getAttribute('data-collapsed')).toBe('true');
    const collapsedHeight = (await body.boundingBox())!.height;
    await thread.getByTestId('comment-show-more').click();
    expect(await body.getAttribute('data-collapsed')).toBe('false');
    expect((await body.boundingBox())!.height).toBeGreaterThan(collapsedHeight * 1.5);
    expect(await thread.getByTestId('comment-show-more').innerText()).toBe('Show less');
  }, 90_000);

  it('follows the editor’s live word count in the project header', async () => {
    await openEditor(ana.page, chapterUrl);
    const before = wordsIn(await ana.page.getByTestId('project-words').innerText());
    const doc = wordsIn(await ana.page.getByTestId('document-words').innerText());
    await ana.page.getByTestId('manuscript').click();
    await ana.page.keyboard.press('Control+End');
    await ana.page.keyboard.type(' Five more words arrive here.');
    await within(10_000, () => ana.page.getByTestId('document-words').innerText(), (t) => wordsIn(t) === doc + 5, 'the editor counts');
    await within(10_000, () => ana.page.getByTestId('project-words').innerText(), (t) => wordsIn(t) === before + 5, 'the header follows');
    // and once stored and re-rendered from the server, the header still agrees
    await openEditor(ana.page, chapterUrl);
    await within(15_000, () => ana.page.getByTestId('project-words').innerText(), (t) => wordsIn(t) === before + 5, 'after a reload');
  }, 60_000);

  it('updates the header’s role badge and every control when the owner changes a role live', async () => {
    await openEditor(ben.page, chapterUrl);
    const badge = () => ben.page.locator('[data-testid=project-role] [data-role]').getAttribute('data-role');
    expect(await badge()).toBe('editor');
    expect(await ben.page.getByRole('link', { name: 'Settings' }).count()).toBe(1);
    await ben.page.getByTestId('editor-toolbar').waitFor();

    await changeRole(ana.page, people.ben.name, 'viewer');
    await within(10_000, badge, (r) => r === 'viewer', "Ben's header badge");
    await ben.page.getByTestId('read-only-notice').filter({ hasText: 'changed to viewer' }).waitFor();
    expect(await ben.page.getByTestId('editor-toolbar').count()).toBe(0);
    expect(await ben.page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await ben.page.getByTestId('manuscript').getAttribute('contenteditable')).toBe('false');

    await changeRole(ana.page, people.ben.name, 'commenter');
    await within(10_000, badge, (r) => r === 'commenter', "Ben's badge as a commenter");
    await ben.page.getByTestId('add-comment').waitFor();

    await changeRole(ana.page, people.ben.name, 'editor');
    await within(10_000, badge, (r) => r === 'editor', "Ben's badge back to editor");
    await within(10_000, () => ben.page.getByTestId('manuscript').getAttribute('contenteditable'), (c) => c === 'true', 'Ben can type again');
    await ben.page.getByTestId('save-version').waitFor();
  }, 90_000);

  it('shows every toolbar action on a 390 px phone and gives the manuscript most of the screen', async () => {
    const phone = await newPerson(browser, new URL(ana.page.url()).origin, PHONE);
    await phone.context.addCookies(await ana.context.cookies());
    await openEditor(phone.page, chapterUrl);
    await phone.page.getByTestId('project-header-compact').waitFor();
    expect(await phone.page.getByTestId('project-header').isVisible()).toBe(false);
    const toolbar = phone.page.getByTestId('editor-toolbar');
    const fit = await toolbar.evaluate((bar) => {
      const width = window.innerWidth;
      const controls = [...bar.querySelectorAll('button, select')].map((c) => {
        const box = c.getBoundingClientRect();
        return { name: c.getAttribute('aria-label') ?? c.getAttribute('data-testid') ?? c.tagName, left: box.left, right: box.right, shown: box.width > 0 && box.height > 0 };
      });
      return { overflow: bar.scrollWidth - bar.clientWidth, outside: controls.filter((c) => !c.shown || c.left < 0 || c.right > width).map((c) => c.name), count: controls.length };
    });
    expect(fit.outside).toEqual([]);
    expect(fit.overflow).toBeLessThanOrEqual(0);
    expect(fit.count).toBeGreaterThanOrEqual(12);
    // the text has most of the screen: its first line starts in the upper third (it started 330 px down before the
    // project header, the document's header and the page frame were made compact on phones)
    const top = await phone.page.getByTestId('manuscript').evaluate((m) => m.getBoundingClientRect().top);
    console.log(`phone: the manuscript's first line starts ${Math.round(top)} px from the top of ${PHONE.height}`);
    expect(top).toBeLessThan(PHONE.height / 3);
    await phone.page.getByTestId('manuscript').click();
    await phone.page.keyboard.press('Control+End');
    await phone.page.keyboard.type(' Written on the bus.');
    await within(10_000, () => manuscript(phone.page), (t) => t.includes('Written on the bus.'), 'typing on the phone');
    await shot(phone.page, 'editor-phone', { top: true });
    await phone.context.close();
  }, 60_000);
});
