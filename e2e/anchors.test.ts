import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPerson } from './support/browser';
import {
  caret,
  caretAt,
  commentOnSelection,
  createProject,
  documentUrl,
  highlighted,
  invite,
  manuscript,
  openEditor,
  phraseBox,
  selectPhrase,
  shot,
  threadCard,
  within,
  type Person,
} from './support/editor';
import { signUp } from './support/studio';
import { startService, type Service } from './support/service';

/**
 * Comments anchor exactly where the writer pointed: on the first and last words of a document, a paragraph and a
 * screenplay element; while another writer types around, inside and across the passage; when it is deleted and the
 * deletion undone; and when the next passage is picked with a double-click right after posting.
 */

const PASSWORD = 'the tide comes in twice';
const stamp = Date.now().toString(36);
const people = {
  ana: { name: 'Ana Reyes', email: `ana-an-${stamp}@example.com` },
  ben: { name: 'Ben Okafor', email: `ben-an-${stamp}@example.com` },
  cleo: { name: 'Cleo Hart', email: `cleo-an-${stamp}@example.com` },
};
const TEXT = ['Morning came grey over the harbour.', 'Mara counted the boats twice.', 'Nobody answered the bell.'];

let service: Service | undefined;
let browser: Browser;
let ana: Person;
let ben: Person;
let cleo: Person;
let projectUrl = '';
let chapterUrl = '';

/** Both conditions of a well-anchored thread: its highlight covers exactly `text`, and it is not shown as deleted. */
async function anchoredOn(page: Page, threadId: string, text: string, who: string) {
  await within(10_000, () => highlighted(page, threadId), (t) => t === text, `${who}: the highlight`);
  await within(10_000, () => threadCard(page, threadId).getAttribute('data-detached'), (d) => d === 'false', `${who}: the thread is attached`);
}

async function typeAt(page: Page, phrase: string, where: 'before' | 'after', text: string) {
  await caretAt(page, phrase, where);
  await page.keyboard.type(text);
}

beforeAll(async () => {
  const url = process.env.QUIRE_E2E_URL ?? (service = await startService()).url;
  browser = await launchBrowser();
  ana = await newPerson(browser, url);
  ben = await newPerson(browser, url);
  cleo = await newPerson(browser, url);
  // leaving an editor whose last keystrokes are still on their way asks first; the tests always mean to leave
  for (const person of [ana, ben, cleo]) person.page.on('dialog', (dialog) => void dialog.accept());
  await signUp(ana.page, { ...people.ana, password: PASSWORD });
  await signUp(ben.page, { ...people.ben, password: PASSWORD });
  await signUp(cleo.page, { ...people.cleo, password: PASSWORD });
  projectUrl = await createProject(ana.page, 'The Harbour Log', /Novel/);
  await invite(ana.page, projectUrl, ben, people.ben, 'editor');
  await invite(ana.page, projectUrl, cleo, people.cleo, 'commenter');
  chapterUrl = await documentUrl(ana.page, projectUrl, 'Chapter 1');

  await openEditor(ana.page, chapterUrl);
  await openEditor(ben.page, chapterUrl);
  await ana.page.getByTestId('manuscript').click();
  for (const [i, line] of TEXT.entries()) {
    if (i) await ana.page.keyboard.press('Enter');
    await ana.page.keyboard.type(line);
  }
  await within(10_000, () => manuscript(ben.page), (t) => t === TEXT.join('\n'), 'Ben has the seeded chapter');
  await ben.page.getByTestId('manuscript').click();
}, 12 * 60_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
}, 60_000);

describe('comment anchors', () => {
  const ids: Record<string, string> = {};

  it('hold on the first and last words of the document and of a paragraph, for everyone and after a reload', async () => {
    const cases: [string, string][] = [
      ['Morning', 'the first word of the document'],
      ['bell.', 'the last word of the document'],
      ['Mara', 'the first word of a paragraph'],
      ['twice.', 'the last word of a paragraph'],
    ];
    for (const [phrase, what] of cases) {
      await selectPhrase(ana.page, phrase);
      ids[phrase] = await commentOnSelection(ana.page, `On ${what}.`);
      await anchoredOn(ana.page, ids[phrase]!, phrase, `Ana, ${what}`);
      await anchoredOn(ben.page, ids[phrase]!, phrase, `Ben, ${what}`);
    }
    await openEditor(ana.page, chapterUrl);
    for (const [phrase, what] of cases) await anchoredOn(ana.page, ids[phrase]!, phrase, `after a reload, ${what}`);

    await ana.page.getByTestId('manuscript').locator(`.quire-comment-highlight[data-comment-id="${ids.Morning}"]`).click();
    await within(10_000, () => threadCard(ana.page, ids.Morning!).getAttribute('aria-current'), (a) => a === 'true', 'the first-word thread is active');
    await shot(ana.page, 'editor-comment-first-word');
  }, 120_000);

  it('keep to their words while another writer types before, after, inside and across them', async () => {
    await selectPhrase(ana.page, 'counted the boats');
    const id = await commentOnSelection(ana.page, 'How many boats?');
    await anchoredOn(ana.page, id, 'counted the boats', 'Ana');

    // typed right before or right after the passage, text stays outside it; typed inside, it joins it
    await typeAt(ben.page, 'counted the boats', 'before', 'slowly ');
    await typeAt(ben.page, 'counted the boats', 'after', ' and nets');
    await typeAt(ben.page, 'boats and nets', 'before', 'white ');
    await within(10_000, () => manuscript(ana.page), (t) => t.includes('Mara slowly counted the white boats and nets twice.'), 'the edits arrive');
    await anchoredOn(ana.page, id, 'counted the white boats', 'Ana, after typing around and inside');
    await anchoredOn(ben.page, id, 'counted the white boats', 'Ben, after typing around and inside');

    // words replaced across the start: the replacement takes the place of the passage's first word, inside it;
    // words deleted across the end leave the passage's surviving words
    await selectPhrase(ben.page, 'slowly counted');
    await ben.page.keyboard.type('then saw');
    await within(10_000, () => manuscript(ana.page), (t) => t.includes('Mara then saw the white boats'), 'the replacement arrives');
    await within(10_000, () => highlighted(ana.page, id), (t) => t === 'then saw the white boats', 'the passage after a replacement across its start');
    await selectPhrase(ben.page, 'boats and');
    await ben.page.keyboard.press('Backspace');
    await within(10_000, () => manuscript(ana.page), (t) => t.includes('Mara then saw the white  nets twice.'), 'the deletion arrives');
    await within(10_000, () => highlighted(ana.page, id), (t) => t === 'then saw the white ', 'the passage after a deletion across its end');
    expect(await threadCard(ana.page, id).getAttribute('data-detached')).toBe('false');

    // all of it deleted: detached everywhere; the deletion undone: back on its words.
    // The undo manager folds edits less than 500 ms apart into one step, as a writer's burst of typing is one step;
    // Ben pauses first, so his undo takes back the deletion alone and not the replacement before it.
    await ben.page.waitForTimeout(700);
    await selectPhrase(ben.page, 'then saw the white ');
    await ben.page.keyboard.press('Backspace');
    await within(10_000, () => threadCard(ana.page, id).getAttribute('data-detached'), (d) => d === 'true', 'detached once its words are gone');
    expect(await highlighted(ana.page, id)).toBe('');
    await ben.page.keyboard.press('Control+z');
    await within(10_000, () => manuscript(ana.page), (t) => t.includes('Mara then saw the white  nets twice.'), 'the undo arrives');
    await within(10_000, () => highlighted(ana.page, id), (t) => t === 'then saw the white ', 'the highlight after the undo');
    // the thread list follows the text a moment after the highlight (it is recomputed once edits pause)
    await within(10_000, () => threadCard(ana.page, id).getAttribute('data-detached'), (d) => d === 'false', 'attached again after the undo');
  }, 120_000);

  for (const who of ['ana', 'cleo'] as const) {
    it(`move to the words ${who === 'ana' ? 'an editor' : 'a read-only commenter'} double-clicks right after posting a comment`, async () => {
      const person = who === 'ana' ? ana : cleo;
      const page = person.page;
      if (who === 'cleo') await openEditor(page, chapterUrl);
      const first = who === 'ana' ? 'grey' : 'harbour';
      const next = who === 'ana' ? 'over' : 'Nobody';
      await selectPhrase(page, first);
      await commentOnSelection(page, `Why “${first}”?`);
      // focus is in the comments panel; the first click back into the text must act like any click
      const box = await phraseBox(page, next);
      await page.mouse.dblclick(box.x, box.y);
      await within(10_000, () => page.getByTestId('selection-words').count(), (n) => n === 1, 'the double-click selected a word');
      const id = await commentOnSelection(page, `And why “${next}”?`);
      expect(await threadCard(page, id).getByTestId('comment-quote').innerText()).toBe(next);
      await anchoredOn(page, id, next, `${who}'s second comment`);
    }, 60_000);
  }

  it('hold on the first and last words of screenplay elements', async () => {
    const project = await createProject(ana.page, 'Tide Tables', /Screenplay/);
    const url = await documentUrl(ana.page, project, 'Screenplay');
    await openEditor(ana.page, url);
    await ana.page.getByTestId('manuscript').click();
    await caret(ana.page, 'Control+End');
    const k = ana.page.keyboard;
    if ((await manuscript(ana.page)).trim()) await k.press('Enter');
    await k.press('Control+Alt+1');
    await k.type('INT. LIGHTHOUSE - NIGHT');
    await k.press('Enter');
    await k.type('Mara climbs the stairs.');
    await within(10_000, () => ana.page.locator('[data-testid=manuscript] > [data-screenplay]').evaluateAll((n) => n.map((e) => e.getAttribute('data-screenplay'))), (e) => e.slice(-2).join() === 'scene-heading,action', 'a heading and an action');

    const phrases = ['INT.', 'NIGHT', 'Mara', 'stairs.'];
    const threads: Record<string, string> = {};
    for (const phrase of phrases) {
      await selectPhrase(ana.page, phrase);
      threads[phrase] = await commentOnSelection(ana.page, `Look at “${phrase}”.`);
    }
    // the headings are shown in capitals, so the highlight's text is compared as typed
    for (const phrase of phrases) await anchoredOn(ana.page, threads[phrase]!, phrase, phrase);
    await typeAt(ana.page, 'Mara climbs', 'before', 'Slowly, ');
    await typeAt(ana.page, 'the stairs.', 'after', ' All of them.');
    await openEditor(ana.page, url);
    for (const phrase of phrases) await anchoredOn(ana.page, threads[phrase]!, phrase, `${phrase} after typing at the element's edges and a reload`);
  }, 120_000);
});
