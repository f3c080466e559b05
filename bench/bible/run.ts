/**
 * Story bible benchmark (not a test: it prints figures and ratios).
 *
 *   pnpm bench:bible            mention detection (21 rounds), incremental recompute, graph first render (3 rounds)
 *   pnpm bench:bible --quick    3 rounds of mention detection, 1 of the rest; --only=mentions,graph
 *
 * Mention detection: a 150k-word manuscript in 40 chapters, 300 characters × 3 names and 200 places. Quire's matcher
 * (packages/domain/src/bible/mentions.ts: one pass over the characters, words cut out only where they may matter)
 * against the naive floor: one precompiled alternation regex of every name, longest first, with Unicode word
 * boundaries, over the same text in the same run. Incremental: one paragraph of one chapter edited, that chapter rescanned (what the job does).
 * Graph: GraphCanvas (react-force-graph-2d) mounted in Debian's Chromium with 200 characters and 1,000
 * relationships: the first painted frame, and the layout settling.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compileMatcher, mentionTargets, scanText, summarise } from '@quire/domain/bible/mentions';
import { launchBrowser } from '../../e2e/support/browser';
import { makeBible, makeManuscript, random } from './manuscript';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 1 : 3;
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',') ?? ['mentions', 'graph'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(1)} ms`;

function timeIt(fn: () => void): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

function mentionsBench() {
  const bible = makeBible();
  const chapters = makeManuscript(bible);
  const words = chapters.reduce((n, c) => n + (c.match(/[\p{L}\p{M}\p{N}]+/gu)?.length ?? 0), 0);
  const targets = mentionTargets(bible.characters, bible.locations);
  const names = targets.flatMap((t) => t.names);
  console.log(`manuscript: ${words.toLocaleString('en')} words in ${chapters.length} chapters; ${bible.characters.length} characters × 3 names, ${bible.locations.length} places (${names.length} names)`);

  // the floor: one alternation, compiled once, longest names first so "Anna Maria" wins over "Anna"
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const alternation = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${[...names].sort((a, b) => b.length - a.length).map(escape).join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'gu');

  const compileMs: number[] = [];
  const ours: number[] = [];
  const floor: number[] = [];
  /** each round's two timings were taken back to back, so their ratio is steadier than the ratio of the medians */
  const ratios: number[] = [];
  let ourHits = 0;
  let regexHits = 0;
  // a round takes tens of milliseconds: many of them, interleaved, so a busy neighbour moves the medians little
  const rounds = QUICK ? 3 : 21;
  for (let round = 0; round < rounds + 1; round++) {
    let matcher = compileMatcher(targets);
    const c = timeIt(() => (matcher = compileMatcher(targets)));
    const a = timeIt(() => {
      ourHits = 0;
      for (const chapter of chapters) {
        const scan = scanText(matcher, chapter);
        summarise(scan);
        ourHits += scan.hits.length;
      }
    });
    const b = timeIt(() => {
      regexHits = 0;
      for (const chapter of chapters) for (const _ of chapter.matchAll(alternation)) regexHits++;
    });
    if (round === 0) continue; // warm-up
    compileMs.push(c);
    ours.push(a);
    floor.push(b);
    ratios.push(b / a);
  }
  const o = median(ours);
  const f = median(floor);
  console.log(`  quire matcher (scan + summary, incl. unknown-name suggestions): ${ms(o)}  ${Math.round(words / (o / 1000)).toLocaleString('en')} words/s  (${ourHits} mentions; compile ${ms(median(compileMs))})`);
  console.log(`  one alternation regex (matches only):                          ${ms(f)}  ${Math.round(words / (f / 1000)).toLocaleString('en')} words/s  (${regexHits} matches)`);
  console.log(`  ratio quire / regex, words per second: ${(f / o).toFixed(2)}x (median of the rounds' own ratios: ${median(ratios).toFixed(2)}x)`);

  // incremental: one paragraph of chapter 17 rewritten, that chapter rescanned
  const rand = random(3);
  const edited = [...chapters];
  const paragraphs = edited[17]!.split('\n');
  const at = Math.floor(rand() * paragraphs.length);
  paragraphs[at] = `${paragraphs[at]} ${bible.characters[42]!.name} returned to ${bible.locations[9]!.name}.`;
  edited[17] = paragraphs.join('\n');
  const matcher = compileMatcher(targets);
  const one: number[] = [];
  for (let round = 0; round < ROUNDS * 5 + 1; round++) {
    const t = timeIt(() => summarise(scanText(matcher, edited[17]!)));
    if (round) one.push(t);
  }
  const chapterWords = edited[17]!.match(/[\p{L}\p{M}\p{N}]+/gu)?.length ?? 0;
  console.log(`  incremental after a one-paragraph edit: rescan one chapter (${chapterWords.toLocaleString('en')} words): ${ms(median(one))} vs whole manuscript ${ms(o)} (${(o / median(one)).toFixed(0)}x less)`);
  console.log('  (the job also skips any document whose text and names hash the same as at its last scan)');
}

function graphData(characters: number, relationships: number) {
  const rand = random(5);
  const kinds = ['family', 'romantic', 'friend', 'ally', 'rival', 'enemy', 'mentor', 'colleague', 'acquaintance', 'other'] as const;
  const cast = Array.from({ length: characters }, (_, i) => ({ id: `c${i}`, name: `Character ${i}`, aliases: [], role: 'supporting', summary: '', imagePath: null }));
  const seen = new Set<string>();
  const rels = [];
  while (rels.length < relationships) {
    // a few hubs, as casts have: half of the ends among the first 20 characters
    const pick = () => (rand() < 0.5 ? Math.floor(rand() * 20) : Math.floor(rand() * characters));
    const a = pick();
    const b = pick();
    const kind = kinds[Math.floor(rand() * kinds.length)]!;
    if (a === b || seen.has(`${a}-${b}-${kind}`)) continue;
    seen.add(`${a}-${b}-${kind}`);
    rels.push({ id: `r${rels.length}`, fromId: `c${a}`, toId: `c${b}`, kind, label: kind === 'other' ? 'custom' : '', description: '', mutual: rand() < 0.6,
      changesAtDocumentId: null, changesAtSectionId: null, changesNote: '', version: 1 });
  }
  return { characters: cast, relationships: rels };
}

async function graphBench() {
  const bundle = await build({
    entryPoints: [path.join(HERE, 'graph-page.tsx')],
    bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, jsx: 'automatic',
    nodePaths: [path.resolve(HERE, '../../apps/web/node_modules')],
    define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.contents;
  let data = '';
  const server = createServer((request, response) => {
    if (request.url === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(script);
    } else {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html><body style="margin:0;width:1280px"><div id="root"></div><script>window.benchData=${data}</script><script type="module" src="/page.js"></script></body></html>`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await launchBrowser();
  try {
    for (const [n, m] of [[200, 1000], [50, 120]] as const) {
      data = JSON.stringify(graphData(n, m));
      const first: number[] = [];
      const settled: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(url);
        await page.waitForFunction(() => window.benchResult, undefined, { timeout: 60_000, polling: 100 });
        const result = await page.evaluate(() => window.benchResult!);
        first.push(result.firstFrameMs);
        settled.push(result.settledMs);
        await page.close();
      }
      console.log(`  graph ${n} characters / ${m} relationships: first frame ${ms(median(first))}, layout settled ${ms(median(settled))} (median of ${ROUNDS})`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

console.log(`story bible benchmark (${ROUNDS} round${ROUNDS === 1 ? '' : 's'}, node ${process.version})`);
if (ONLY.includes('mentions')) mentionsBench();
if (ONLY.includes('graph')) await graphBench();
