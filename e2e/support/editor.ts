import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

/** Helpers for browser tests of the live manuscript (e2e/editor.test.ts, e2e/anchors.test.ts, e2e/screens.test.ts). */

export interface Person {
  context: BrowserContext;
  page: Page;
}

// Against a studio someone started by hand (QUIRE_E2E_URL, e.g. `next dev`) the pictures are not the product's,
// so they go to a scratch folder instead of docs/.
export const SCREENSHOTS = process.env.QUIRE_E2E_URL
  ? path.join(os.tmpdir(), 'quire-editor-screenshots')
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots');

/**
 * A picture of the editor for docs/: the workspace, not the project header above it, fills it (or, with `top`, the
 * screen as it opens, header included).
 */
export async function shot(page: Page, name: string, options: { top?: boolean } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  if (options.top) await page.evaluate(() => window.scrollTo(0, 0));
  else await page.evaluate(() => document.querySelector('[data-testid=document-workspace]')?.scrollIntoView());
  // let hover and selection colours finish their transitions
  await new Promise((r) => setTimeout(r, 400));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** Polls until `ok` holds, for at most `ms`; the last value is in the failure message. */
export async function within<T>(ms: number, probe: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T = await probe();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
    last = await probe();
  }
  return last;
}

/** The manuscript's text, one line per block, without the name labels of other people's carets. */
export function manuscript(page: Page): Promise<string> {
  return page.getByTestId('manuscript').evaluate((root) => {
    const clone = root.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return [...clone.children].map((block) => block.textContent ?? '').join('\n');
  });
}

/** The text under one thread's highlight in this page. */
export function highlighted(page: Page, threadId: string): Promise<string> {
  return page
    .locator(`[data-testid=manuscript] .quire-comment-highlight[data-comment-id="${threadId}"]`)
    .evaluateAll((spans) => spans.map((s) => s.textContent ?? '').join(''));
}

/**
 * Puts the page's selection on `phrase` (its `nth` occurrence in one text node), or collapses it at the phrase's
 * start or end, the way a reader's drag or click would. Works in read-only editors too.
 */
async function placeSelection(page: Page, phrase: string, where: 'select' | 'before' | 'after', nth = 0) {
  await page.getByTestId('manuscript').evaluate(
    (root, { wanted, where, nth }) => {
      // the manuscript's text as one string, without caret labels; highlights split a block into several text nodes
      const nodes: { node: Text; start: number }[] = [];
      let text = '';
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('.collaboration-carets__caret')) continue;
        nodes.push({ node, start: text.length });
        text += node.data;
      }
      let at = text.indexOf(wanted);
      for (let i = 0; i < nth && at >= 0; i++) at = text.indexOf(wanted, at + 1);
      if (at < 0) throw new Error(`"${wanted}" is not in the manuscript`);
      // a start belongs to the node holding the next character, an end to the node holding the previous one
      const point = (offset: number, isEnd: boolean) => {
        const hit = [...nodes].reverse().find((n) => (isEnd ? n.start < offset : n.start <= offset))!;
        return [hit.node, offset - hit.start] as const;
      };
      const from = where === 'after' ? at + wanted.length : at;
      const to = where === 'before' ? at : at + wanted.length;
      const range = document.createRange();
      range.setStart(...point(from, where === 'after'));
      range.setEnd(...point(to, where !== 'before'));
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
    },
    { wanted: phrase, where, nth },
  );
}

/** Selects a phrase of the manuscript and waits until the editor counts the selection. */
export async function selectPhrase(page: Page, phrase: string, nth = 0) {
  await placeSelection(page, phrase, 'select', nth);
  await within(2_000, () => page.getByTestId('selection-words').count(), (n) => n > 0, 'the editor noticed the selection');
}

/** Puts the caret right before or right after a phrase (the editor must have focus), as a click there would. */
export async function caretAt(page: Page, phrase: string, where: 'before' | 'after') {
  await placeSelection(page, phrase, where);
  // the editor learns of the move from the asynchronous selectionchange event
  await new Promise((r) => setTimeout(r, 120));
}

/**
 * Where a phrase is on the screen, for real mouse clicks. Posting a comment scrolls its card into view, smoothly, and
 * the page may move with it; a place read during that scroll is somewhere else by the time the mouse gets there, so
 * the place is read until it holds still.
 */
export async function phraseBox(page: Page, phrase: string): Promise<{ x: number; y: number }> {
  let last = await phraseBoxNow(page, phrase);
  for (let reads = 0; reads < 50; reads++) {
    await page.waitForTimeout(100);
    const now = await phraseBoxNow(page, phrase);
    if (now.x === last.x && now.y === last.y) return now;
    last = now;
  }
  throw new Error(`"${phrase}" kept moving on the screen for 5 s`);
}

function phraseBoxNow(page: Page, phrase: string): Promise<{ x: number; y: number }> {
  return page.getByTestId('manuscript').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at >= 0) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        const box = range.getBoundingClientRect();
        return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
      }
    }
    throw new Error(`"${wanted}" is not in the manuscript`);
  }, phrase);
}

/**
 * Moves the caret with a key the browser handles itself (Home, End, arrows). The editor learns of the move from the
 * asynchronous selectionchange event, so the next key waits for it as a person's would.
 */
export async function caret(page: Page, key: string) {
  await page.keyboard.press(key);
  await new Promise((r) => setTimeout(r, 120));
}

export async function createProject(page: Page, title: string, template: RegExp): Promise<string> {
  await page.goto('/projects');
  await page.getByLabel('Title').fill(title);
  await page.locator('label').filter({ hasText: template }).first().click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByTestId('document-tree').waitFor();
  return new URL(page.url()).pathname;
}

export async function invite(owner: Page, project: string, invitee: Person, person: { name: string; email: string }, role: string) {
  await owner.goto(`${project}/members`);
  await owner.locator('#invite-email').fill(person.email);
  await owner.locator('#invite-role').selectOption(role);
  await owner.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await owner.getByTestId('invitation-link').inputValue();
  await invitee.page.goto(new URL(link).pathname);
  await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.page.getByTestId('document-tree').waitFor();
}

export async function documentUrl(page: Page, project: string, title: string): Promise<string> {
  await page.goto(project);
  const id = await page.locator(`[data-doc-title="${title}"]`).first().getAttribute('data-doc-id');
  return `${project}/documents/${id}`;
}

export async function openEditor(page: Page, url: string) {
  await page.goto(url);
  // the first exchange with the collab server can take a while on a busy machine
  await page.locator('[data-testid=document-workspace][data-ready=true]').waitFor({ timeout: 90_000 });
}

export function saveStatus(page: Page) {
  return page.getByTestId('save-status').getAttribute('data-status');
}

/** Comments on the current selection and returns the new thread's id. */
export async function commentOnSelection(page: Page, body: string): Promise<string> {
  await page.getByTestId('add-comment').click();
  await page.locator('[data-testid=new-comment-form] textarea').fill(body);
  await page.locator('[data-testid=new-comment-form] button[type=submit]').click();
  const thread = page.getByTestId('comment-thread').filter({ hasText: body });
  await thread.waitFor();
  return (await thread.getAttribute('data-thread-id'))!;
}

export function threadCard(page: Page, threadId: string) {
  return page.locator(`[data-testid=comment-thread][data-thread-id="${threadId}"]`);
}
