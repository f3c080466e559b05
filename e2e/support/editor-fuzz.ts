/**
 * Seeded rounds of concurrent editing in real browsers, for e2e/concurrency.test.ts (a bounded number) and
 * scripts/fuzz-editor.ts (as many as asked). One studio, one browser and one page per writer serve every round;
 * each round opens a document of its own.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, newPerson } from './browser';
import { random, roundProblems, WRITERS } from './concurrency';
import { startService, type Service } from './service';
import { signUp } from './studio';

const PASSWORD = 'a lamp in every window';
/** Roughly a fast typist; the race was seen at 12 ms a key. */
const KEY_DELAY_MS = 12;
/** ProseMirror learns of caret moves the browser makes (Home, End, arrows) from the asynchronous selectionchange. */
const SETTLE_MS = 120;

interface Writer {
  context: BrowserContext;
  page: Page;
}

export interface FuzzStudio {
  writers: Writer[];
  projects: { prose: string; screenplay: string };
  /** Rounds run so far: each round's document gets a title of its own, also when a seed runs twice. */
  rounds: number;
  close(): Promise<void>;
}

export interface RoundResult {
  seed: number;
  kind: 'prose' | 'screenplay';
  writers: number;
  start: 'empty' | 'blocks';
  text: string;
  /** Empty when every writer's keystrokes are in the text exactly once and in order, on every page alike. */
  problems: string[];
  /** What each writer did, to replay a failure by reading. */
  script: string[][];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The manuscript's text, one line per block, without the name labels of other people's carets. */
export function manuscriptText(page: Page): Promise<string> {
  return page.getByTestId('manuscript').evaluate((root) => {
    const clone = root.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
    return [...clone.children].map((block) => block.textContent ?? '').join('\n');
  });
}

async function createProject(page: Page, title: string, template: RegExp): Promise<string> {
  await page.goto('/projects');
  await page.getByLabel('Title').fill(title);
  await page.locator('label').filter({ hasText: template }).first().click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.getByTestId('document-tree').waitFor();
  return new URL(page.url()).pathname;
}

async function inviteEditor(owner: Page, project: string, invitee: Page, email: string) {
  await owner.goto(`${project}/members`);
  await owner.locator('#invite-email').fill(email);
  await owner.locator('#invite-role').selectOption('editor');
  await owner.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await owner.getByTestId('invitation-link').inputValue();
  await invitee.goto(new URL(link).pathname);
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.getByTestId('document-tree').waitFor();
}

/** A new, empty document in the project's outline, made through the outline's own form; resolves with its path. */
async function newDocument(page: Page, project: string, kind: 'chapter' | 'screenplay', title: string): Promise<string> {
  if (new URL(page.url()).pathname !== project) await page.goto(project);
  const input = page.getByLabel(`Title of the new ${kind}`);
  await input.fill(title);
  await input.press('Enter');
  const link = page.locator(`[data-doc-title="${title}"]`).first();
  await link.waitFor({ timeout: 15_000 });
  return `${project}/documents/${await link.getAttribute('data-doc-id')}`;
}

async function openEditor(page: Page, url: string) {
  await page.goto(url);
  // generous: the machines that run this are often busy
  await page.locator('[data-testid=document-workspace][data-ready=true]').waitFor({ timeout: 90_000 });
  await page.locator('[data-testid=document-workspace][data-can-edit=true]').waitFor({ timeout: 30_000 });
}

/** Starts a studio (or uses `url`), signs three writers up and gives them a novel and a screenplay to share. */
export async function openFuzzStudio(options: { url?: string } = {}): Promise<FuzzStudio> {
  let service: Service | undefined;
  const url = options.url ?? (service = await startService()).url;
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const stamp = Date.now().toString(36);
    const writers: Writer[] = [];
    for (const [i, name] of ['Wren', 'Ilse', 'Oona'].entries()) {
      const writer = await newPerson(browser, url);
      await signUp(writer.page, { name, email: `fuzz-${i}-${stamp}@example.com`, password: PASSWORD });
      writers.push(writer);
    }
    const owner = writers[0]!.page;
    const prose = await createProject(owner, 'Concurrent prose', /Novel/);
    const screenplay = await createProject(owner, 'Concurrent script', /Screenplay/);
    for (const [i, writer] of writers.entries()) {
      if (i === 0) continue;
      await inviteEditor(owner, prose, writer.page, `fuzz-${i}-${stamp}@example.com`);
      await inviteEditor(owner, screenplay, writer.page, `fuzz-${i}-${stamp}@example.com`);
    }
    const opened = browser;
    return {
      writers,
      projects: { prose, screenplay },
      rounds: 0,
      close: async () => {
        await opened.close();
        await service?.stop();
      },
    };
  } catch (error) {
    await browser?.close();
    await service?.stop();
    throw error;
  }
}

type Action =
  | { type: 'type'; count: number }
  | { type: 'filler' }
  | { type: 'enter'; at: 'start' | 'end' }
  | { type: 'bold'; count: number }
  | { type: 'move'; key: string }
  | { type: 'tab' };

const MOVES = ['Home', 'End', 'ArrowUp', 'ArrowDown', 'Control+Home', 'Control+End'];

function plan(rand: () => number, screenplay: boolean): Action[] {
  const actions: Action[] = [];
  const count = 6 + Math.floor(rand() * 5);
  for (let i = 0; i < count; i++) {
    const roll = rand();
    if (roll < 0.45) actions.push({ type: 'type', count: 2 + Math.floor(rand() * 4) });
    else if (roll < 0.57) actions.push({ type: 'filler' });
    else if (roll < 0.7) actions.push({ type: 'enter', at: rand() < 0.5 ? 'start' : 'end' });
    else if (roll < 0.8) actions.push({ type: 'bold', count: 1 + Math.floor(rand() * 3) });
    else if (roll < 0.93 || !screenplay) actions.push({ type: 'move', key: MOVES[Math.floor(rand() * MOVES.length)]! });
    else actions.push({ type: 'tab' });
  }
  return actions;
}

function describe(action: Action): string {
  return action.type === 'type' || action.type === 'bold' ? `${action.type} ${action.count}` : action.type === 'enter' ? `enter at ${action.at}` : action.type === 'move' ? action.key : action.type;
}

/**
 * Puts the caret at the start or end of the block it is in, as a click there would. Home and End go to the start or
 * end of the line on screen, which in a long line that wraps (a screenplay's narrow elements) is the middle of the
 * block, where Enter is documented not to keep a co-writer's concurrent letters together (docs/editor.md).
 */
async function caretToBlockEdge(page: Page, where: 'start' | 'end') {
  await page.evaluate((where) => {
    const selection = window.getSelection();
    const focus = selection?.focusNode;
    if (!selection || !focus) return;
    const element = focus.nodeType === Node.ELEMENT_NODE ? (focus as Element) : focus.parentElement;
    const block = element?.matches('.ProseMirror') ? element.children[Math.min(selection.focusOffset, element.children.length - 1)] : element?.closest('.ProseMirror > *');
    if (!block) return;
    const range = document.createRange();
    range.selectNodeContents(block);
    range.collapse(where === 'start');
    selection.removeAllRanges();
    selection.addRange(range);
  }, where);
}

/** Runs one writer's actions; returns what the writer typed, in runs broken wherever the caret moved. */
async function perform(page: Page, index: number, actions: Action[]): Promise<string[]> {
  const { letters, filler } = WRITERS[index]!;
  const runs: string[] = [''];
  let next = 0;
  const breakRun = () => {
    if (runs[runs.length - 1] !== '') runs.push('');
  };
  const k = page.keyboard;
  for (const action of actions) {
    switch (action.type) {
      case 'type': {
        const text = letters.slice(next, next + action.count);
        next += text.length;
        if (!text) break;
        await k.type(text, { delay: KEY_DELAY_MS });
        runs[runs.length - 1] += text;
        break;
      }
      case 'filler':
        await k.type(filler, { delay: KEY_DELAY_MS });
        await k.press('Backspace', { delay: KEY_DELAY_MS });
        break;
      case 'enter':
        breakRun();
        await caretToBlockEdge(page, action.at);
        await sleep(SETTLE_MS);
        await k.press('Enter');
        break;
      case 'bold':
        breakRun();
        for (let i = 0; i < action.count; i++) await k.press('Shift+ArrowLeft');
        await sleep(SETTLE_MS);
        await k.press('Control+b');
        await k.press('ArrowRight');
        await sleep(SETTLE_MS);
        break;
      case 'move':
        breakRun();
        await k.press(action.key);
        await sleep(SETTLE_MS);
        break;
      case 'tab':
        await k.press('Tab');
        break;
    }
  }
  return runs.filter((run) => run !== '');
}

/** Waits until every page shows the same text and it has stopped changing; resolves with the pages' texts. */
async function converge(pages: Page[], ms = 15_000): Promise<string[]> {
  const deadline = Date.now() + ms;
  let last: string[] = [];
  for (;;) {
    const texts = await Promise.all(pages.map(manuscriptText));
    if (texts.every((t) => t === texts[0]) && last.length && last.every((t) => t === texts[0])) return texts;
    if (Date.now() > deadline) return texts;
    last = texts;
    await sleep(250);
  }
}

/** One seeded round: a fresh document, two or three writers typing, deleting, pressing Enter and bolding at once. */
export async function runRound(studio: FuzzStudio, seed: number): Promise<RoundResult> {
  const rand = random(seed);
  const kind: RoundResult['kind'] = rand() < 0.3 ? 'screenplay' : 'prose';
  const count = rand() < 0.5 ? 2 : 3;
  const start: RoundResult['start'] = rand() < 0.5 ? 'empty' : 'blocks';
  const writers = studio.writers.slice(0, count);
  const pages = writers.map((w) => w.page);
  const url = await newDocument(pages[0]!, studio.projects[kind], kind === 'prose' ? 'chapter' : 'screenplay', `Round ${++studio.rounds}, seed ${seed}`);
  await Promise.all(pages.map((page) => openEditor(page, url)));
  for (const page of pages) await page.getByTestId('manuscript').click();

  const openings: string[] = [];
  if (start === 'blocks') {
    // existing blocks with an empty one between them; digits, which no writer types
    const k = pages[0]!.keyboard;
    await k.press('Control+Home');
    await k.type('11', { delay: KEY_DELAY_MS });
    await k.press('Enter');
    await k.press('Enter');
    await k.type('22', { delay: KEY_DELAY_MS });
    const texts = await converge(pages);
    if (!texts.every((t) => t === texts[0])) return { seed, kind, writers: count, start, text: texts[0]!, problems: ['the opening did not reach every page'], script: [] };
    const places = ['Control+Home', 'Control+End', 'Control+Home ArrowDown', 'Control+Home End', 'Control+End Home'];
    for (let i = 0; i < count; i++) openings.push(places[Math.floor(rand() * places.length)]!);
  } else {
    // the report: one writer presses Ctrl+Home, the other Ctrl+End, in the new chapter's single empty paragraph
    openings.push('Control+Home', 'Control+End', rand() < 0.5 ? 'Control+Home' : 'Control+End');
  }
  for (const [i, page] of pages.entries()) {
    for (const key of openings[i]!.split(' ')) await page.keyboard.press(key);
  }
  await sleep(SETTLE_MS);

  const plans = pages.map(() => plan(rand, kind === 'screenplay'));
  const typed = await Promise.all(pages.map((page, i) => perform(page, i, plans[i]!)));
  const texts = await converge(pages);
  const problems: string[] = [];
  if (!texts.every((t) => t === texts[0])) problems.push(`the pages did not converge: ${JSON.stringify(texts)}`);
  problems.push(...roundProblems(texts[0]!, typed));
  return {
    seed,
    kind,
    writers: count,
    start,
    text: texts[0]!,
    problems,
    script: plans.map((actions, i) => [openings[i]!, ...actions.map(describe)]),
  };
}
