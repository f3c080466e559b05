import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sleep } from '../collab/harness';
import { LAPTOP } from '../../e2e/support/browser';
import { probeScript } from './probe';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

interface Probe {
  detected: number | null;
  opened: number | null;
  samples: number[];
  missed: number;
  next(n: number, timeoutMs: number): Promise<boolean>;
}
declare global {
  interface Window {
    __editorBench: Probe;
  }
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Navigation start to the first frame painted with the whole chapter in an editable editor (ms); NaN if never. */
  openMs: number;
  /** Navigation start to the frame whose check found the whole chapter in the DOM (ms). */
  detectedMs: number;
}

/** A fresh browser profile (no cache, no IndexedDB) opening `url`, timed by the in-page probe. */
export async function openEditor(browser: Browser, url: string, expectedBlocks: number, storageState?: StorageState): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-US', timezoneId: 'UTC', storageState });
  try {
    await context.addInitScript({ content: probeScript(expectedBlocks) });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    await page.waitForFunction(() => window.__editorBench.detected !== null, undefined, { timeout: 180_000, polling: 250 }).catch(async (error: Error) => {
      const seen = await page
        .evaluate(() => {
          const root = document.querySelector('[data-testid=manuscript]');
          const workspace = document.querySelector('[data-testid=document-workspace]');
          return `ready=${workspace?.getAttribute('data-ready')} blocks=${root?.childElementCount} editable=${root?.getAttribute('contenteditable')}`;
        })
        .catch(() => 'nothing');
      throw new Error(`${url} did not open: ${seen}; ${error.message}`);
    });
    // the painted frame may never come when the main thread has more work queued than it can do
    const painted = await page
      .waitForFunction(() => window.__editorBench.opened !== null, undefined, { timeout: 60_000, polling: 250 })
      .then(() => true)
      .catch(() => false);
    const { detected, opened } = await page.evaluate(() => ({ detected: window.__editorBench.detected!, opened: window.__editorBench.opened }));
    const openMs = painted && opened !== null ? opened : NaN;
    return { context, page, openMs, detectedMs: detected };
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
}

/** Puts the caret at the end of block `index` and scrolls it to the middle of the window, as a writer clicking there. */
export async function placeCaret(page: Page, index: number): Promise<void> {
  await page.getByTestId('manuscript').evaluate((root, at) => {
    const block = root.children[at];
    if (!block) throw new Error(`the editor has no block ${at}`);
    (root as HTMLElement).focus();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let last: Text | null = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) last = node as Text;
    if (!last) throw new Error(`block ${at} holds no text`);
    const range = document.createRange();
    range.setStart(last, last.length);
    range.collapse(true);
    const selection = getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    block.scrollIntoView({ block: 'center' });
  }, index);
  // the editor learns of the caret from the asynchronous selectionchange event
  await sleep(300);
}

export interface Typing {
  /** Keystroke-to-paint of every measured key (ms), warm-up keys left out. */
  samples: number[];
  missed: number;
  /** The renderer's CPU time over the measured keys (s). */
  rendererCpuSeconds: number;
}

const TEXT = 'she kept the lamp burning through the longest night of the year ';

/**
 * Types `keys` characters one at a time, each once the previous one has been painted plus a human pause of
 * 60–140 ms (a fast typist), so no key waits for another's work. The first `warmup` keys are not counted. A key
 * not painted within 5 s counts as missed; five in a row end the typing (the page is not keeping up).
 */
export async function typeKeys(browser: Browser, page: Page, keys: number, warmup: number): Promise<Typing> {
  const samples: number[] = [];
  let cpuBefore = 0;
  let missedInARow = 0;
  for (let k = 0; k < warmup + keys && missedInARow < 5; k++) {
    if (k === warmup) cpuBefore = await rendererCpuSeconds(browser);
    const n = await page.evaluate(() => window.__editorBench.samples.length);
    await page.keyboard.type(TEXT[k % TEXT.length]!);
    const painted = await page.evaluate(([count]) => window.__editorBench.next(count!, 5_000), [n]);
    missedInARow = painted ? 0 : missedInARow + 1;
    if (painted && k >= warmup) samples.push(await page.evaluate(([i]) => window.__editorBench.samples[i!]!, [n]));
    await sleep(60 + Math.random() * 80);
  }
  const rendererCpu = (await rendererCpuSeconds(browser)) - cpuBefore;
  const missed = await page.evaluate(() => window.__editorBench.missed);
  return { samples, missed, rendererCpuSeconds: rendererCpu };
}

interface ProcessInfo {
  type: string;
  id: number;
  cpuTime: number;
}

async function processes(browser: Browser): Promise<ProcessInfo[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: ProcessInfo[] };
    return processInfo;
  } finally {
    await session.detach().catch(() => {});
  }
}

/** The renderer holding the page: the browser under measurement has one page, so it is the busiest renderer. */
async function renderer(browser: Browser): Promise<ProcessInfo> {
  const renderers = (await processes(browser)).filter((p) => p.type === 'renderer');
  if (renderers.length === 0) throw new Error('the browser reports no renderer process');
  return renderers.reduce((a, b) => (b.cpuTime > a.cpuTime ? b : a));
}

async function rendererCpuSeconds(browser: Browser): Promise<number> {
  return (await renderer(browser)).cpuTime;
}

function kib(pid: number, file: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

export interface Memory {
  /** JS heap in use after a full garbage collection (MB). */
  heapMB: number;
  /** The renderer process's resident and proportional set size (MB). */
  rendererRssMB: number;
  rendererPssMB: number;
  domNodes: number;
}

/** Memory of the page after a forced full GC. */
export async function memory(browser: Browser, page: Page): Promise<Memory> {
  const session = await page.context().newCDPSession(page);
  try {
    await session.send('HeapProfiler.collectGarbage');
    await sleep(200);
    await session.send('HeapProfiler.collectGarbage');
    const heap = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
    const counters = (await session.send('Memory.getDOMCounters')) as { nodes: number };
    const { id } = await renderer(browser);
    return {
      heapMB: heap.usedSize / 2 ** 20,
      rendererRssMB: kib(id, 'status', 'VmRSS') / 1024,
      rendererPssMB: kib(id, 'smaps_rollup', 'Pss') / 1024,
      domNodes: counters.nodes,
    };
  } finally {
    await session.detach().catch(() => {});
  }
}
