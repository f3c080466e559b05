/**
 * Editor benchmark: the studio's collaborative editor (the real web app and collab server, two co-writers typing)
 * against plain Tiptap with the same 100k-word chapter and no collaboration, both in Debian's Chromium, in the
 * same run. Not a test: it prints figures and ratios.
 *
 *   pnpm bench:editor                 3 rounds, 200 measured keys per editor and round, 2 opens each
 *   pnpm bench:editor --quick         1 round, 60 keys, 1 open
 *   --rounds=N --keys=N --warmup=N --opens=N --rate=N (each co-writer's characters per second)
 *
 * BENCH_DATABASE_URL or TEST_DATABASE_URL (a Postgres server) makes it use a fresh database there instead of
 * starting the embedded Postgres.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../../e2e/support/browser';
import { percentile, ROOT } from '../collab/harness';
import { makeChapter } from './chapter';
import { startCoWriters } from './cowriters';
import { memory, openEditor, placeCaret, typeKeys, type Memory, type Typing } from './measure';
import { servePlainPage } from './plain/server';
import { setUpStudio } from './studio';

const QUICK = process.argv.includes('--quick');
const option = (name: string, fallback: number) => {
  const value = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return value === undefined ? fallback : Number(value);
};
const ROUNDS = option('rounds', QUICK ? 1 : 3);
const KEYS = option('keys', QUICK ? 60 : 200);
const WARMUP = option('warmup', QUICK ? 10 : 20);
const OPENS = option('opens', QUICK ? 1 : 2);
const RATE = option('rate', 5);

type Kind = 'plain' | 'collab';

interface RoundResult {
  kind: Kind;
  round: number;
  opensMs: number[];
  /** Navigation start to the whole chapter in the DOM, painted or not. */
  detectedMs: number[];
  /** The page showed the chapter but never painted a frame after it, so typing was not measured. */
  stalled: boolean;
  samples: number[];
  missed: number;
  rendererCpuSeconds: number;
  afterOpen: Memory;
  afterTyping: Memory;
  coWriterChars: number;
}

const NO_MEMORY: Memory = { heapMB: NaN, rendererRssMB: NaN, rendererPssMB: NaN, domNodes: NaN };
/** A measurement that gives up after `ms`, so a page that stopped answering ends the round instead of the run. */
const bounded = <T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> =>
  Promise.race([promise.catch(() => fallback), new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);
const median = (values: number[]) => percentile(values.filter(Number.isFinite).sort((a, b) => a - b), 50);
const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

async function main() {
  const chapter = makeChapter();
  // the caret sits in the middle of the chapter; one co-writer types three paragraphs below it (on screen), the
  // other a fifth of the way in (off screen)
  const paragraph = (from: number) => {
    let index = from;
    while (chapter.json.content![index]!.type !== 'paragraph') index++;
    return index;
  };
  const caretBlock = paragraph(Math.floor(chapter.blocks / 2));
  const coWriterBlocks = [paragraph(caretBlock + 3), paragraph(Math.floor(chapter.blocks / 5))];
  console.log(`chapter: ${chapter.words.toLocaleString('en-US')} words in ${chapter.blocks.toLocaleString('en-US')} blocks`);
  console.log(`plan: ${ROUNDS} round(s), ${OPENS} open(s) and ${KEYS} measured keys (+${WARMUP} warm-up) per editor and round, co-writers at ${RATE} chars/s each`);

  const setupBrowser = await launchBrowser();
  let browser: Browser | undefined;
  const studio = await setUpStudio(setupBrowser, chapter.json);
  const results: RoundResult[] = [];
  try {
    const chapterUrl = new URL(studio.chapterPath, studio.service.url).toString();
    // one open first: it loads the chapter on the collab server and gives the app's stylesheets for the plain page
    const first = await openEditor(setupBrowser, chapterUrl, chapter.blocks, await studio.owner.context.storageState());
    const stylesheets = await first.page.$$eval('link[rel=stylesheet]', (links) => links.map((l) => (l as HTMLLinkElement).href));
    console.log(`collab: first open ${fmt(first.openMs, 0)} ms (not counted)`);
    await first.context.close();
    const plain = await servePlainPage(chapter.json, stylesheets);

    try {
      for (let round = 0; round < ROUNDS; round++) {
        const order: Kind[] = round % 2 === 0 ? ['plain', 'collab'] : ['collab', 'plain'];
        for (const kind of order) {
          browser = await launchBrowser();
          const coWriters =
            kind === 'collab'
              ? await startCoWriters({
                  collabUrl: studio.collabUrl,
                  documentId: studio.documentId,
                  people: studio.coWriters,
                  blocks: coWriterBlocks,
                  charsPerSecond: RATE,
                  maxSeconds: 15 * 60,
                })
              : undefined;
          try {
            const storage = kind === 'collab' ? await studio.owner.context.storageState() : undefined;
            const url = kind === 'collab' ? chapterUrl : plain.url;
            const opensMs: number[] = [];
            const detectedMs: number[] = [];
            let opened = await openEditor(browser, url, chapter.blocks, storage);
            for (let i = 1; ; i++) {
              opensMs.push(opened.openMs);
              detectedMs.push(opened.detectedMs);
              if (i >= OPENS || Number.isNaN(opened.openMs)) break;
              await opened.context.close();
              opened = await openEditor(browser, url, chapter.blocks, storage);
            }
            const stalled = Number.isNaN(opened.openMs);
            const afterOpen = stalled ? NO_MEMORY : await bounded(memory(browser, opened.page), 120_000, NO_MEMORY);
            let typing: Typing = { samples: [], missed: 0, rendererCpuSeconds: NaN };
            if (!stalled) {
              await placeCaret(opened.page, caretBlock);
              typing = await typeKeys(browser, opened.page, KEYS, WARMUP);
            }
            const coWriterChars = coWriters?.typed() ?? 0;
            // memory with the co-writers gone, so a page still working through their edits can answer
            coWriters?.stop();
            const afterTyping = await bounded(memory(browser, opened.page), 120_000, NO_MEMORY);
            const result: RoundResult = { kind, round, opensMs, detectedMs, stalled, ...typing, afterOpen, afterTyping, coWriterChars };
            results.push(result);
            const sorted = [...typing.samples].sort((a, b) => a - b);
            console.log(
              `round ${round + 1} ${kind.padEnd(6)} open ${opensMs.map((ms) => fmt(ms, 0)).join(', ')} ms (in the DOM ${detectedMs.map((ms) => fmt(ms, 0)).join(', ')} ms)` +
                (stalled ? ' · never painted after the chapter appeared: typing not measured' : '') +
                ` · keystroke p50 ${fmt(percentile(sorted, 50))} p99 ${fmt(percentile(sorted, 99))} ms` +
                ` (${sorted.length} keys, ${typing.missed} missed) · heap ${fmt(afterTyping.heapMB)} MB · renderer RSS ${fmt(afterTyping.rendererRssMB)} MB` +
                (coWriters ? ` · co-writers typed ${coWriterChars} chars` : ''),
            );
          } finally {
            coWriters?.stop();
            await browser.close();
            browser = undefined;
          }
        }
      }
    } finally {
      await plain.close();
    }
  } finally {
    await browser?.close().catch(() => {});
    await setupBrowser.close().catch(() => {});
    await studio.stop();
  }
  await report(results, { words: chapter.words, blocks: chapter.blocks });
}

async function report(results: RoundResult[], chapter: { words: number; blocks: number }) {
  const of = (kind: Kind) => results.filter((r) => r.kind === kind);
  const pooled = (kind: Kind) => of(kind).flatMap((r) => r.samples).sort((a, b) => a - b);
  const figure = (kind: Kind) => {
    const samples = pooled(kind);
    const rounds = of(kind);
    return {
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      keys: samples.length,
      missed: rounds.reduce((sum, r) => sum + r.missed, 0),
      cpuMsPerKey: median(rounds.map((r) => (r.rendererCpuSeconds * 1000) / Math.max(1, r.samples.length))),
      open: median(rounds.flatMap((r) => r.opensMs)),
      detected: median(rounds.flatMap((r) => r.detectedMs)),
      stalled: rounds.filter((r) => r.stalled).length,
      heapOpen: median(rounds.map((r) => r.afterOpen.heapMB)),
      heap: median(rounds.map((r) => r.afterTyping.heapMB)),
      rss: median(rounds.map((r) => r.afterTyping.rendererRssMB)),
      pss: median(rounds.map((r) => r.afterTyping.rendererPssMB)),
      nodes: median(rounds.map((r) => r.afterTyping.domNodes)),
    };
  };
  const plain = figure('plain');
  const collab = figure('collab');
  // per round, both editors ran minutes apart on the same machine: the spread of these is the noise
  const perRound = (pick: (samples: number[]) => number) =>
    of('collab').map((c) => {
      const p = of('plain').find((r) => r.round === c.round)!;
      if (!p || c.samples.length === 0 || p.samples.length === 0) return NaN;
      return pick([...c.samples].sort((a, b) => a - b)) / pick([...p.samples].sort((a, b) => a - b));
    });
  const p99Rounds = perRound((s) => percentile(s, 99));
  const p50Rounds = perRound((s) => percentile(s, 50));

  const rows: Array<[string, string, string, string]> = [
    ['keystroke-to-paint p50 (ms)', fmt(collab.p50), fmt(plain.p50), ratio(collab.p50, plain.p50)],
    ['keystroke-to-paint p99 (ms)', fmt(collab.p99), fmt(plain.p99), ratio(collab.p99, plain.p99)],
    ['keys measured (missed)', `${collab.keys} (${collab.missed})`, `${plain.keys} (${plain.missed})`, ''],
    ['renderer CPU per key (ms)', fmt(collab.cpuMsPerKey, 2), fmt(plain.cpuMsPerKey, 2), ratio(collab.cpuMsPerKey, plain.cpuMsPerKey)],
    ['open: chapter in the DOM, editable (ms, median)', fmt(collab.detected, 0), fmt(plain.detected, 0), ratio(collab.detected, plain.detected)],
    ['open: that frame painted (ms, median)', fmt(collab.open, 0), fmt(plain.open, 0), ratio(collab.open, plain.open)],
    ['rounds never painted after open', String(collab.stalled), String(plain.stalled), ''],
    ['JS heap after open (MB)', fmt(collab.heapOpen), fmt(plain.heapOpen), ratio(collab.heapOpen, plain.heapOpen)],
    ['JS heap after typing (MB)', fmt(collab.heap), fmt(plain.heap), ratio(collab.heap, plain.heap)],
    ['renderer RSS after typing (MB)', fmt(collab.rss), fmt(plain.rss), ratio(collab.rss, plain.rss)],
    ['renderer PSS after typing (MB)', fmt(collab.pss), fmt(plain.pss), ratio(collab.pss, plain.pss)],
    ['DOM nodes', fmt(collab.nodes, 0), fmt(plain.nodes, 0), ratio(collab.nodes, plain.nodes)],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), ['metric', 'collaborative', 'plain Tiptap', 'collab / plain'][i]!.length));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${chapter.words.toLocaleString('en-US')}-word chapter, ${results.length / 2} round(s); collaborative = the studio's editor with two co-writers typing\n`);
  console.log(line(['metric', 'collaborative', 'plain Tiptap', 'collab / plain']));
  for (const row of rows) console.log(line(row));
  console.log(`\nper-round p50 ratio: ${p50Rounds.map((r) => r.toFixed(2)).join(', ')}   per-round p99 ratio: ${p99Rounds.map((r) => r.toFixed(2)).join(', ')}`);

  const dir = path.join(ROOT, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `editor-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ chapter, plan: { rounds: ROUNDS, keys: KEYS, warmup: WARMUP, opens: OPENS, rate: RATE }, collab, plain, p50Rounds, p99Rounds, results }, null, 2));
  console.log(`results: ${path.relative(ROOT, file)}`);
}

await main();
