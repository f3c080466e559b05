import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPerson, PHONE } from './support/browser';
import {
  caret,
  createProject,
  documentUrl,
  highlighted,
  invite,
  manuscript,
  openEditor,
  saveStatus,
  selectPhrase,
  shot,
  within,
  type Person,
} from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

/**
 * The live manuscript in real browsers: two writers in one chapter, a reviewer commenting from a phone, versions
 * restored under everyone, an edit made offline, a viewer who cannot type, and a screenplay's keyboard.
 */

const PASSWORD = 'a lamp in every window';
const stamp = Date.now().toString(36);
const people = {
  ana: { name: 'Ana Reyes', email: `ana-ed-${stamp}@example.com` },
  ben: { name: 'Ben Okafor', email: `ben-ed-${stamp}@example.com` },
  cleo: { name: 'Cleo Hart', email: `cleo-ed-${stamp}@example.com` },
};

let service: Service | undefined;
let browser: Browser;
let ana: Person;
let ben: Person;
let cleo: Person;
let chapterUrl = '';
let projectUrl = '';

beforeAll(async () => {
  // QUIRE_E2E_URL points the run at a studio that is already running (e.g. `next dev` while working on the editor)
  const url = process.env.QUIRE_E2E_URL ?? (service = await startService()).url;
  browser = await launchBrowser();
  ana = await newPerson(browser, url);
  ben = await newPerson(browser, url);
  // the reviewer reads and comments on a phone
  cleo = await newPerson(browser, url, PHONE);
  await signUp(ana.page, { ...people.ana, password: PASSWORD });
  await signUp(ben.page, { ...people.ben, password: PASSWORD });
  await signUp(cleo.page, { ...people.cleo, password: PASSWORD });
  projectUrl = await createProject(ana.page, 'The Lighthouse Keeper', /Novel/);
  await invite(ana.page, projectUrl, ben, people.ben, 'editor');
  await invite(ana.page, projectUrl, cleo, people.cleo, 'commenter');
  chapterUrl = await documentUrl(ana.page, projectUrl, 'Chapter 1');
}, 12 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
}, 60_000);

describe('the live manuscript', () => {
  it('two writers type into the same chapter at once and both see the same text within a second', async () => {
    await openEditor(ana.page, chapterUrl);
    await openEditor(ben.page, chapterUrl);
    expect(await ana.page.getByTestId('document-workspace').getAttribute('data-can-edit')).toBe('true');

    await ana.page.getByTestId('manuscript').click();
    await ana.page.keyboard.type('The keeper climbed the stairs every night.');
    await ana.page.keyboard.press('Enter');
    await within(3_000, () => manuscript(ben.page), (text) => text.includes('every night.'), "Ben sees Ana's first line");

    // Ana carries on in the first paragraph while Ben writes the second, at the same moment
    await caret(ana.page, 'ArrowUp');
    await caret(ana.page, 'End');
    await ben.page.getByTestId('manuscript').click();
    await caret(ben.page, 'Control+End');
    await Promise.all([
      ana.page.keyboard.type(' The lamp had not failed in forty years.', { delay: 15 }),
      ben.page.keyboard.type('Down in the village, nobody remembered why.', { delay: 15 }),
    ]);
    const expected = 'The keeper climbed the stairs every night. The lamp had not failed in forty years.\nDown in the village, nobody remembered why.';
    await within(1_000, () => manuscript(ana.page), (text) => text === expected, "Ana's page");
    await within(1_000, () => manuscript(ben.page), (text) => text === expected, "Ben's page");

    // presence and the other writer's caret, labelled with the name the server verified
    await within(2_000, () => ana.page.locator('[data-presence-name]').count(), (n) => n === 2, 'two people present');
    expect(await ana.page.locator('.collaboration-carets__label').first().innerText()).toBe(people.ben.name);
    await within(10_000, () => saveStatus(ana.page), (s) => s === 'saved', "Ana's work is saved");
    expect(await ana.page.getByTestId('document-words').innerText()).toBe('22 words');
    await caret(ana.page, 'Shift+Home');
    await within(1_000, () => ana.page.getByTestId('selection-words').innerText(), (t) => t.includes('selected'), 'selection count');
    await caret(ana.page, 'End');
    await shot(ana.page, 'editor-two-carets');
  }, 120_000);

  it('a commenter comments from a phone, the owner sees it live, the anchor keeps to its words, and the owner resolves it', async () => {
    await openEditor(cleo.page, chapterUrl);
    expect(await cleo.page.getByTestId('document-workspace').getAttribute('data-can-edit')).toBe('false');
    await cleo.page.getByTestId('read-only-notice').filter({ hasText: 'comment' }).waitFor();

    await selectPhrase(cleo.page, 'the stairs every night');
    await cleo.page.getByTestId('add-comment').click();
    await cleo.page.locator('[data-testid=new-comment-form] textarea').fill('Which stairs? Show us the tower first.');
    await cleo.page.locator('[data-testid=new-comment-form] button[type=submit]').click();
    const mine = cleo.page.getByTestId('comment-thread').filter({ hasText: 'Which stairs?' });
    await mine.waitFor();
    const threadId = (await mine.getAttribute('data-thread-id'))!;

    // the owner's open page hears about it from the collab server and shows the thread and its highlight
    const thread = ana.page.locator(`[data-testid=comment-thread][data-thread-id="${threadId}"]`);
    await thread.waitFor({ timeout: 5_000 });
    expect(await thread.getByTestId('comment-quote').innerText()).toBe('the stairs every night');
    await within(2_000, () => highlighted(ana.page, threadId), (t) => t === 'the stairs every night', 'highlight on the passage');

    // Ben writes in front of the passage; the highlight still covers exactly its words, everywhere
    await caret(ben.page, 'Control+Home');
    await ben.page.keyboard.type('Long before dawn, ');
    await within(3_000, () => manuscript(ana.page), (t) => t.startsWith('Long before dawn, The keeper'), 'the insertion arrives');
    await within(2_000, () => highlighted(ana.page, threadId), (t) => t === 'the stairs every night', "Ana's highlight after the insertion");
    await within(2_000, () => highlighted(cleo.page, threadId), (t) => t === 'the stairs every night', "Cleo's highlight after the insertion");

    await ana.page.getByTestId('manuscript').locator(`.quire-comment-highlight[data-comment-id="${threadId}"]`).first().click();
    await thread.getByTestId('reply-form').locator('textarea').fill('Good call, I will open on the tower.');
    await thread.getByTestId('reply-form').getByRole('button', { name: 'Reply' }).click();
    await thread.getByText('Good call').waitFor();
    await cleo.page.locator(`[data-testid=comment-thread][data-thread-id="${threadId}"]`).getByText('Good call').waitFor({ timeout: 5_000 });
    await shot(ana.page, 'editor-comments');
    await shot(cleo.page, 'editor-phone-comment');

    await cleo.page.getByTestId('close-sheet').click();
    await thread.getByTestId('resolve-thread').click();
    await thread.waitFor({ state: 'detached' });
    await within(5_000, () => cleo.page.getByTestId('open-comment-count').count(), (n) => n === 0, "Cleo's open count drops");
    await within(2_000, () => highlighted(ana.page, threadId), (t) => t === '', 'a resolved thread is no longer highlighted');
    await ana.page.getByTestId('comments-tab-resolved').click();
    const resolved = ana.page.locator(`[data-testid=comment-thread][data-thread-id="${threadId}"][data-resolved=true]`);
    await resolved.getByText(`Resolved by you`).waitFor();

    // reopened, it is back in everyone's open list; resolved again, it leaves it
    await resolved.getByTestId('reopen-thread').click();
    await within(5_000, () => cleo.page.getByTestId('open-comment-count').count(), (n) => n === 1, "Cleo's open count is back");
    await ana.page.getByTestId('comments-tab-open').click();
    await thread.getByTestId('resolve-thread').click();
    await within(5_000, () => cleo.page.getByTestId('open-comment-count').count(), (n) => n === 0, 'resolved again');
  }, 120_000);

  it('keeps a comment whose text was deleted, shown as detached', async () => {
    await selectPhrase(cleo.page, 'nobody remembered why');
    await cleo.page.getByTestId('add-comment').click();
    await cleo.page.locator('[data-testid=new-comment-form] textarea').fill('Say what they forgot.');
    await cleo.page.locator('[data-testid=new-comment-form] button[type=submit]').click();
    const thread = ana.page.getByTestId('comment-thread').filter({ hasText: 'nobody remembered why' });
    await thread.waitFor({ timeout: 5_000 });
    expect(await thread.getAttribute('data-detached')).toBe('false');
    // the author rewrites her comment; the owner's page follows
    const ownId = await cleo.page.getByTestId('comment-thread').filter({ hasText: 'Say what they forgot.' }).getAttribute('data-thread-id');
    const own = cleo.page.locator(`[data-testid=comment-thread][data-thread-id="${ownId}"]`);
    await own.getByRole('button', { name: 'Edit' }).click();
    await own.getByRole('textbox', { name: 'Edit your comment' }).fill('Say what they forgot, and who made them.');
    await own.getByRole('button', { name: 'Save' }).click();
    await ana.page.getByTestId('comment-thread').filter({ hasText: 'and who made them' }).waitFor({ timeout: 5_000 });
    await cleo.page.getByTestId('close-sheet').click();

    // Ben deletes the whole second paragraph
    await caret(ben.page, 'Control+End');
    await caret(ben.page, 'Shift+Home');
    await ben.page.keyboard.press('Backspace');
    await within(3_000, () => manuscript(ana.page), (t) => !t.includes('remembered'), 'the deletion arrives');
    await within(2_000, () => thread.getAttribute('data-detached'), (d) => d === 'true', 'the thread is detached');
    await thread.getByTestId('detached-note').waitFor();
    expect(await thread.getByTestId('comment-quote').innerText()).toBe('nobody remembered why');
  }, 60_000);

  it('names a version, shows the changes since, and restores it for both writers', async () => {
    await ana.page.getByTestId('manuscript').click();
    await caret(ana.page, 'Control+End');
    await ana.page.keyboard.type('The storm came in the autumn.');
    await within(10_000, () => saveStatus(ana.page), (s) => s === 'saved', 'saved before naming');
    const before = await manuscript(ana.page);

    await ana.page.keyboard.press('Control+s');
    await ana.page.getByLabel('Name this version').fill('Before the storm');
    await ana.page.getByTestId('save-version-form').getByRole('button', { name: 'Save version' }).click();
    const named = ana.page.getByTestId('version-item').filter({ hasText: 'Before the storm' });
    await named.waitFor({ timeout: 10_000 });

    await ana.page.getByTestId('manuscript').click();
    await caret(ana.page, 'Control+End');
    await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type('By winter the light was out, and the keeper gone.');
    await within(3_000, () => manuscript(ben.page), (t) => t.includes('keeper gone'), 'Ben sees the later line');

    await named.click();
    await ana.page.getByTestId('version-diff').waitFor();
    expect(await ana.page.getByTestId('version-diff').locator('ins').allInnerTexts()).toEqual([expect.stringContaining('By winter the light was out, and the keeper gone.')]);
    await shot(ana.page, 'editor-history-diff');
    await ana.page.getByTestId('version-tab-text').click();
    expect(await ana.page.getByTestId('version-text').innerText()).toContain('The storm came in the autumn.');

    await ana.page.getByTestId('restore-version').click();
    await ana.page.getByTestId('confirm-restore').click();
    await ana.page.getByTestId('version-view').waitFor({ state: 'detached', timeout: 15_000 });
    await ben.page.getByTestId('editor-notice').filter({ hasText: 'restored' }).waitFor();
    await within(5_000, () => manuscript(ana.page), (t) => t === before, "Ana's draft is the version");
    await within(5_000, () => manuscript(ben.page), (t) => t === before, "Ben's draft is the version");
    // the draft as it was before the restore is kept
    await ana.page.getByTestId('version-item').filter({ hasText: 'Before restoring a version' }).first().waitFor({ timeout: 5_000 });
  }, 120_000);

  it('keeps an edit made offline and delivers it when the connection returns', async () => {
    // A reload while offline (the project pages refresh themselves in the background) asks before leaving unsaved
    // edits; Ben stays.
    ben.page.on('dialog', (dialog) => void (dialog.type() === 'beforeunload' ? dialog.dismiss() : dialog.accept()));
    await ben.context.setOffline(true);
    await within(10_000, () => saveStatus(ben.page), (s) => s === 'offline', 'Ben is offline');
    await ben.page.getByTestId('manuscript').click();
    await caret(ben.page, 'Control+End');
    await ben.page.keyboard.press('Enter');
    await ben.page.keyboard.type('Written while the line was down.');
    // offline for longer than the project pages' background refresh, which must not take the page away
    await new Promise((r) => setTimeout(r, 11_000));
    expect(await manuscript(ben.page)).toContain('Written while the line was down.');
    expect(await manuscript(ana.page)).not.toContain('Written while the line was down.');

    await ben.context.setOffline(false);
    await within(20_000, () => manuscript(ana.page), (t) => t.endsWith('Written while the line was down.'), 'the offline edit reaches Ana');
    await within(10_000, () => saveStatus(ben.page), (s) => s === 'saved', "Ben's offline edit is saved");
    expect(await manuscript(ben.page)).toBe(await manuscript(ana.page));
  }, 90_000);

  it('a viewer reads along but cannot type or comment', async () => {
    await ana.page.goto(`${projectUrl}/members`);
    await ana.page.getByLabel(`Role of ${people.cleo.name}`).selectOption('viewer');
    await ana.page.getByText(`${people.cleo.name} is now viewer.`).waitFor();
    // Cleo's open editor is told at once
    await cleo.page.getByTestId('read-only-notice').filter({ hasText: 'viewers' }).waitFor({ timeout: 10_000 });

    await openEditor(cleo.page, chapterUrl);
    const text = await manuscript(cleo.page);
    await cleo.page.getByTestId('manuscript').click();
    await cleo.page.keyboard.type('Vandalism!');
    await cleo.page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 500));
    expect(await manuscript(cleo.page)).toBe(text);
    expect(await cleo.page.getByTestId('add-comment').count()).toBe(0);
    expect(await cleo.page.getByTestId('manuscript').getAttribute('contenteditable')).toBe('false');
    await openEditor(ana.page, chapterUrl);
    expect(await manuscript(ana.page)).toBe(text);
  }, 90_000);

  it("follows a screenplay's Tab and Enter flow and lays it out like a script", async () => {
    const project = await createProject(ana.page, 'Harbour Lights', /Screenplay/);
    const url = await documentUrl(ana.page, project, 'Screenplay');
    await openEditor(ana.page, url);
    await ana.page.getByTestId('manuscript').click();
    await caret(ana.page, 'Control+End');
    const k = ana.page.keyboard;
    await k.press('Enter'); // after the template's transition: a new scene
    await k.type('EXT. HARBOUR - DAWN');
    await k.press('Enter');
    await k.type('Gulls. MARA hauls a rope onto the pier.');
    await k.press('Enter');
    await k.press('Tab');
    await k.type('Mara');
    await k.press('Enter');
    await k.press('Shift+Tab');
    await k.type('(to the sea)');
    await k.press('Enter');
    await k.type('You can have the boat. Not the light.');
    await k.press('Enter');
    await k.type('She walks back toward the lighthouse.');
    await k.press('Enter');
    await k.press('Control+Alt+6');
    await k.type('Fade out.');

    const elements = await ana.page.locator('[data-testid=manuscript] > [data-screenplay]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-screenplay')));
    expect(elements.slice(-7)).toEqual(['scene-heading', 'action', 'character', 'parenthetical', 'dialogue', 'action', 'transition']);
    const layout = await ana.page.locator('[data-testid=manuscript]').evaluate((root) => {
      const style = (selector: string) => getComputedStyle(root.querySelector(selector)!);
      const left = (selector: string) => root.querySelector(selector)!.getBoundingClientRect().left - root.getBoundingClientRect().left;
      return {
        font: style('[data-screenplay=action]').fontFamily,
        cue: left('[data-screenplay=character]'),
        speech: left('[data-screenplay=dialogue]'),
        paren: left('[data-screenplay=parenthetical]'),
        transition: style('[data-screenplay=transition]').textAlign,
        cueCase: style('[data-screenplay=character]').textTransform,
      };
    });
    expect(layout.font).toMatch(/Courier/);
    expect(layout.cue).toBeGreaterThan(layout.paren);
    expect(layout.paren).toBeGreaterThan(layout.speech);
    expect(layout.speech).toBeGreaterThan(0);
    expect(layout.transition).toBe('right');
    expect(layout.cueCase).toBe('uppercase');
    await within(10_000, () => saveStatus(ana.page), (s) => s === 'saved', 'the script is saved');
    await ana.page.getByTestId('manuscript').locator('[data-screenplay=character]').last().click();
    // a taller window, so the page shows a whole scene
    await ana.page.setViewportSize({ width: 1280, height: 1100 });
    await shot(ana.page, 'editor-screenplay');
  }, 120_000);
});
