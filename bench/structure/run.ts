/**
 * Structure studio benchmark (not a test: it prints figures and ratios). A running studio (web, collab, worker and
 * Postgres, started the way the README does) holds a generated large project (bench/structure/project.ts: 1,000
 * outline sections five levels deep, 40 beats, 300 plot issues, 200 documents of 150,000 words). It measures
 *
 * - the outline and beat API reads and writes through HTTP with a bearer token, each against the bare SQL query for
 *   the same rows on a plain connection to the same database, interleaved in the same loop (p50 / p99 and the ratio);
 * - the first render of the Outline and Beats tabs in Debian's Chromium: navigation start to the frame painted with
 *   every row the tab opens with (the outline opens folded below its chapters: 230 rows) or every beat, each open in a
 *   fresh browser profile; then "Expand all" to the 1,000 sections painted;
 * - the live-update delay: one writer's write over HTTP to the frame painted with it on another writer's open tab.
 *
 *   pnpm bench:structure             100 samples per API figure, 5 opens per tab, 40 live updates per board
 *   pnpm bench:structure --quick     20 samples, 2 opens, 10 live updates
 *   --samples=N --opens=N --live=N
 *
 * BENCH_DATABASE_URL or TEST_DATABASE_URL (a Postgres server) makes the studio use a fresh database there instead of
 * its embedded Postgres.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createPool } from '@quire/db';
import type { Pool } from '@quire/db/pool';
import { keyBetween } from '@quire/domain/structure';
import type { Browser } from 'playwright-core';
import { LAPTOP, launchBrowser, newPerson } from '../../e2e/support/browser';
import { invite } from '../../e2e/support/editor';
import { createNovel } from '../../e2e/support/structure';
import { signUp } from '../../e2e/support/studio';
import { percentile, ROOT, sleep } from '../collab/harness';
import { accessToken, startStudio, type Person } from '../support/studio';
import { expandAllScript, probeScript } from './probe';
import { SIZES, seedLargeProject, type LargeProject } from './project';

const QUICK = process.argv.includes('--quick');
const option = (name: string, fallback: number) => {
  const value = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return value === undefined ? fallback : Number(value);
};
const SAMPLES = option('samples', QUICK ? 20 : 100);
const WARMUP = Math.max(3, Math.round(SAMPLES / 10));
const OPENS = option('opens', QUICK ? 2 : 5);
const LIVE = option('live', QUICK ? 10 : 40);

const sorted = (xs: number[]) => xs.filter(Number.isFinite).sort((a, b) => a - b);
const p = (xs: number[], q: number) => (xs.length ? percentile(sorted(xs), q) : NaN);
const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(1)}×` : '—');

type Row = { version: number };
interface Api {
  call<T = { section: Row; beat: Row }>(method: string, url: string, body?: unknown): Promise<T>;
}
type Versioned = Array<{ id: string; version: number }>;

function apiFor(base: string, token: string): Api {
  return {
    async call<T>(method: string, url: string, body?: unknown): Promise<T> {
      const response = await fetch(new URL(url, base), {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const data = await response.json();
      if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(data)}`);
      return data as T;
    },
  };
}

interface Pair {
  name: string;
  rows: string;
  api: number[];
  sql: number[];
}

/** `api` and `sql` one after the other, `SAMPLES` times after a warm-up, so both see the same machine. */
async function paired(name: string, rows: string, api: (i: number) => Promise<unknown>, sql: (i: number) => Promise<unknown>): Promise<Pair> {
  const pair: Pair = { name, rows, api: [], sql: [] };
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    let t = performance.now();
    await api(i);
    const a = performance.now() - t;
    t = performance.now();
    await sql(i);
    const s = performance.now() - t;
    if (i >= WARMUP) {
      pair.api.push(a);
      pair.sql.push(s);
    }
  }
  console.log(`  ${name}: API p50 ${fmt(p(pair.api, 50))} ms, SQL p50 ${fmt(p(pair.sql, 50), 2)} ms`);
  return pair;
}

async function apiFigures(api: Api, db: Pool, projectId: string, project: LargeProject): Promise<Pair[]> {
  const base = `/api/projects/${projectId}`;
  const pairs: Pair[] = [];
  pairs.push(
    await paired(
      'outline read',
      `${SIZES.sections} sections with their documents' titles and words, and the ${SIZES.documents + 5} linkable documents`,
      () => api.call('GET', `${base}/outlines/${project.outlineId}`),
      async () => {
        await db.query(
          `select s.id, s.outline_id, s.parent_id, s.rank, s.kind, s.title, s.summary, s.status, s.target_word_count, s.document_id,
                  d.title as document_title, d.word_count as document_words, s.version, s.updated_at
             from public.outline_sections s left join public.documents d on d.id = s.document_id
            where s.outline_id = $1 order by s.rank, s.id`,
          [project.outlineId],
        );
        await db.query(`select id, title, kind, word_count from public.documents where project_id = $1 and kind <> 'folder' order by position, created_at, id`, [projectId]);
      },
    ),
  );
  pairs.push(
    await paired(
      'beat read',
      `${SIZES.beats} beats (the API also places each in the manuscript and lists the templates)`,
      () => api.call('GET', `${base}/beats`),
      () => db.query(`select id, act, rank, name, description, status, percent, document_id, outline_section_id, template_id, version from public.story_beats where project_id = $1 order by act, rank`, [projectId]),
    ),
  );

  // writes: the API's version comes back in its answer; the bare update names the version it read last
  const scenes = project.sections.filter((s) => s.depth === 4);
  const versions = new Map<string, number>();
  const version = async (table: string, id: string) => {
    if (!versions.has(id)) versions.set(id, (await db.query(`select version from public.${table} where id = $1`, [id])).rows[0].version);
    return versions.get(id)!;
  };
  const sectionA = scenes[10]!;
  const sectionB = scenes[11]!;
  pairs.push(
    await paired(
      'section edit',
      'one section\u2019s title, version-checked',
      async (i) => {
        const { section } = await api.call('PATCH', `${base}/sections/${sectionA.id}`, { version: await version('outline_sections', sectionA.id), patch: { title: `Scene edited ${i}` } });
        versions.set(sectionA.id, section.version);
      },
      async (i) => {
        const { rows } = await db.query(`update public.outline_sections set title = $1 where id = $2 and version = $3 returning version`, [`Scene bare ${i}`, sectionB.id, await version('outline_sections', sectionB.id)]);
        versions.set(sectionB.id, rows[0].version);
      },
    ),
  );
  // moves: a scene goes back and forth between the first two chapters' ends
  const chapters = project.sections.filter((s) => s.depth === 3).slice(0, 4);
  const lastRank = async (parentId: string) =>
    (await db.query<{ rank: string }>(`select max(rank) as rank from public.outline_sections where parent_id = $1`, [parentId])).rows[0]!.rank;
  const bareTargets = [
    { parentId: chapters[2]!.id, rank: keyBetween(await lastRank(chapters[2]!.id), null) },
    { parentId: chapters[3]!.id, rank: keyBetween(await lastRank(chapters[3]!.id), null) },
  ];
  pairs.push(
    await paired(
      'section move',
      'one section re-parented to the end of another chapter',
      async (i) => {
        const { section } = await api.call('POST', `${base}/sections/${scenes[0]!.id}/move`, {
          version: await version('outline_sections', scenes[0]!.id),
          parentId: chapters[i % 2 === 0 ? 1 : 0]!.id,
          afterId: null,
        });
        versions.set(scenes[0]!.id, section.version);
      },
      async (i) => {
        const target = bareTargets[i % 2]!;
        const { rows } = await db.query(`update public.outline_sections set parent_id = $1, rank = $2 where id = $3 and version = $4 returning version`, [
          target.parentId, target.rank, scenes[5]!.id, await version('outline_sections', scenes[5]!.id),
        ]);
        versions.set(scenes[5]!.id, rows[0].version);
      },
    ),
  );
  const [beatA, beatB, beatC, beatD] = [project.beats[3]!, project.beats[4]!, project.beats[5]!, project.beats[6]!];
  pairs.push(
    await paired(
      'beat edit',
      'one beat\u2019s name, version-checked',
      async (i) => {
        const { beat } = await api.call('PATCH', `${base}/beats/${beatA.id}`, { version: await version('story_beats', beatA.id), patch: { name: `Beat edited ${i}` } });
        versions.set(beatA.id, beat.version);
      },
      async (i) => {
        const { rows } = await db.query(`update public.story_beats set name = $1 where id = $2 and version = $3 returning version`, [`Beat bare ${i}`, beatB.id, await version('story_beats', beatB.id)]);
        versions.set(beatB.id, rows[0].version);
      },
    ),
  );
  pairs.push(
    await paired(
      'beat move',
      'one beat moved to the top of another act',
      async (i) => {
        const { beat } = await api.call('POST', `${base}/beats/${beatC.id}/move`, { version: await version('story_beats', beatC.id), act: i % 2 === 0 ? 4 : 1, afterId: null });
        versions.set(beatC.id, beat.version);
      },
      async (i) => {
        const { rows } = await db.query(`update public.story_beats set act = $1, rank = $2 where id = $3 and version = $4 returning version`, [
          i % 2 === 0 ? 4 : 1, 'Zz', beatD.id, await version('story_beats', beatD.id),
        ]);
        versions.set(beatD.id, rows[0].version);
      },
    ),
  );
  return pairs;
}

interface Render {
  tab: string;
  rows: number;
  detected: number[];
  painted: number[];
  /** Outline only: "Expand all" clicked to every section painted (ms) */
  expanded: number[];
}

/** A large outline opens folded below its chapters (acts, parts and chapters shown). */
const foldedRows = (project: LargeProject) => project.sections.filter((s) => s.depth <= 3).length;

/** Each open in a fresh profile (no cache) signed in as the owner, from navigation start to the painted board. */
async function firstRenders(browser: Browser, owner: Person, projectPath: string, project: LargeProject): Promise<Render[]> {
  const storageState = await owner.context.storageState();
  const out: Render[] = [];
  for (const [tab, selector, count] of [
    ['Outline', '[data-testid=outline-section]', foldedRows(project)],
    ['Beats', '[data-testid=beat-card]', project.beats.length],
  ] as const) {
    const render: Render = { tab, rows: count, detected: [], painted: [], expanded: [] };
    for (let i = 0; i < OPENS; i++) {
      const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-US', timezoneId: 'UTC', storageState, baseURL: new URL(owner.page.url()).origin });
      try {
        await context.addInitScript({ content: probeScript(selector, count) });
        const page = await context.newPage();
        await page.goto(tab === 'Outline' ? `${projectPath}/outline?outline=${project.outlineId}` : `${projectPath}/beats`, { waitUntil: 'commit', timeout: 120_000 });
        await page.waitForFunction(() => window.__structureBench.painted !== null, undefined, { timeout: 120_000, polling: 100 });
        const { detected, painted } = await page.evaluate(() => window.__structureBench);
        render.detected.push(detected ?? NaN);
        render.painted.push(painted ?? NaN);
        if (tab === 'Outline') render.expanded.push(await page.evaluate<number>(expandAllScript(project.sections.length)));
      } finally {
        await context.close();
      }
    }
    console.log(`  ${tab} (${count} rows): painted ${render.painted.map((x) => fmt(x, 0)).join(', ')} ms${render.expanded.length ? `; expand all to ${project.sections.length}: ${render.expanded.map((x) => fmt(x, 0)).join(', ')} ms` : ''}`);
    out.push(render);
  }
  return out;
}

interface Live {
  board: string;
  delays: number[];
  missed: number;
}

/** Ben writes over HTTP; Ana's open tab paints it. From the moment before Ben's request to Ana's painted frame. */
async function liveDelays(browser: Browser, owner: Person, api: Api, projectPath: string, project: LargeProject): Promise<Live[]> {
  const storageState = await owner.context.storageState();
  const base = `/api/projects${projectPath.slice('/projects'.length)}`;
  const out: Live[] = [];
  const boards = [
    {
      board: 'outline',
      selector: '[data-testid=outline-section]',
      count: foldedRows(project),
      target: project.sections.find((s) => s.depth === 4 && s.title === 'Scene 200')!,
      write: async (id: string, version: number, title: string) => (await api.call('PATCH', `${base}/sections/${id}`, { version, patch: { title } })).section.version,
      read: async (id: string) => (await api.call<{ sections: Versioned }>('GET', `${base}/outlines/${project.outlineId}`)).sections.find((s) => s.id === id)!.version,
      shown: (title: string) => `[data-testid=outline-section][data-section-title="${title}"]`,
    },
    {
      board: 'beats',
      selector: '[data-testid=beat-card]',
      count: project.beats.length,
      target: { id: project.beats[20]!.id },
      write: async (id: string, version: number, name: string) => (await api.call('PATCH', `${base}/beats/${id}`, { version, patch: { name } })).beat.version,
      read: async (id: string) => (await api.call<{ beats: Versioned }>('GET', `${base}/beats`)).beats.find((b) => b.id === id)!.version,
      shown: (name: string) => `[data-testid=beat-card][data-beat-name="${name}"]`,
    },
  ];
  for (const b of boards) {
    const context = await browser.newContext({ viewport: LAPTOP, locale: 'en-US', timezoneId: 'UTC', storageState, baseURL: new URL(owner.page.url()).origin });
    const live: Live = { board: b.board, delays: [], missed: 0 };
    try {
      await context.addInitScript({ content: probeScript(b.selector, b.count) });
      const page = await context.newPage();
      await page.goto(b.board === 'outline' ? `${projectPath}/outline?outline=${project.outlineId}` : `${projectPath}/beats`, { timeout: 120_000 });
      await page.locator('[data-testid=live-status][data-connected=true]').waitFor({ timeout: 60_000 });
      await page.waitForFunction(() => window.__structureBench.painted !== null, undefined, { timeout: 120_000, polling: 100 });
      // the whole outline on screen: every refetch re-renders all 1,000 rows
      if (b.board === 'outline') await page.evaluate<number>(expandAllScript(project.sections.length));
      let version = await b.read(b.target.id);
      for (let i = 0; i < LIVE; i++) {
        const title = `Live ${b.board} ${i}`;
        const seen = page.evaluate((selector) => window.__structureBench.watch(selector, 15_000), b.shown(title));
        // the page's watcher is in place before the write starts
        await sleep(50);
        const start = Date.now();
        version = await b.write(b.target.id, version, title);
        const at = await seen;
        if (at === null) live.missed++;
        else live.delays.push(at - start);
        await sleep(300 + Math.random() * 200);
      }
    } finally {
      await context.close();
    }
    console.log(`  ${b.board}: p50 ${fmt(p(live.delays, 50), 0)} ms, p99 ${fmt(p(live.delays, 99), 0)} ms (${live.delays.length} updates, ${live.missed} not painted within 15 s)`);
    out.push(live);
  }
  return out;
}

async function main() {
  console.log(`structure benchmark: ${SAMPLES} samples per API figure (+${WARMUP} warm-up), ${OPENS} opens per tab, ${LIVE} live updates per board`);
  const browser = await launchBrowser();
  const studio = await startStudio('structure');
  const db = createPool(studio.databaseUrl, { max: 2, applicationName: 'quire-structure-bench' });
  const people: Person[] = [];
  try {
    const stamp = Date.now().toString(36);
    const names = [
      { name: 'Ana Reyes', email: `ana-structure-${stamp}@example.com`, password: 'a map of every harbour' },
      { name: 'Ben Okafor', email: `ben-structure-${stamp}@example.com`, password: 'a map of every harbour' },
    ];
    for (const who of names) {
      const { context, page } = await newPerson(browser, studio.service.url);
      people.push({ name: who.name, context, page });
      await signUp(page, who);
    }
    const [ana, ben] = people as [Person, Person];
    const projectPath = await createNovel(ana.page, 'The Long Plan');
    await invite(ana.page, projectPath, ben, names[1]!, 'editor');
    const projectId = projectPath.split('/').pop()!;
    const owner = (await db.query<{ owner_id: string }>('select user_id as owner_id from public.projects where id = $1', [projectId])).rows[0]!.owner_id;
    let t = performance.now();
    const project = await seedLargeProject(db, projectId, owner);
    console.log(`seeded ${project.sections.length} sections (depth ${Math.max(...project.sections.map((s) => s.depth))}), ${project.beats.length} beats, ${SIZES.issues} issue cards, ${SIZES.documents} documents of ${SIZES.words.toLocaleString('en-US')} words in ${fmt((performance.now() - t) / 1000)} s`);

    const api = apiFor(studio.service.url, await accessToken(ben));
    console.log('API against bare SQL:');
    const pairs = await apiFigures(api, db, projectId, project);
    console.log('first render in Chromium:');
    const renders = await firstRenders(browser, ana, projectPath, project);
    console.log('live update, one writer\u2019s write to the other\u2019s painted screen:');
    const lives = await liveDelays(browser, ana, api, projectPath, project);
    t = performance.now();
    await report(pairs, renders, lives);
  } finally {
    for (const person of people) await person.context.close().catch(() => {});
    await db.end();
    await browser.close().catch(() => {});
    await studio.service.stop();
    await studio.dropDatabase().catch((error: Error) => console.warn(`could not drop the bench database: ${error.message}`));
  }
}

async function report(pairs: Pair[], renders: Render[], lives: Live[]) {
  const rows: string[][] = [['figure', 'API p50', 'API p99', 'SQL p50', 'SQL p99', 'p50 ratio', 'p99 ratio']];
  for (const pair of pairs) {
    const [a50, a99, s50, s99] = [p(pair.api, 50), p(pair.api, 99), p(pair.sql, 50), p(pair.sql, 99)];
    rows.push([`${pair.name} (ms)`, fmt(a50), fmt(a99), fmt(s50, 2), fmt(s99, 2), ratio(a50, s50), ratio(a99, s99)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nlarge project: ${SIZES.sections.toLocaleString('en-US')} sections five levels deep, ${SIZES.beats} beats, ${SIZES.issues} issue cards, ${SIZES.documents} documents, ${SIZES.words.toLocaleString('en-US')} words\n`);
  for (const row of rows) console.log(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('');
  for (const pair of pairs) console.log(`  ${pair.name}: ${pair.rows}`);
  console.log('');
  for (const r of renders) {
    console.log(`first render, ${r.tab} tab (${r.rows} rows): ${fmt(p(r.painted, 50), 0)} ms painted (median of ${r.painted.length}; all rows in the DOM at ${fmt(p(r.detected, 50), 0)} ms)`);
    if (r.expanded.length) console.log(`  then "Expand all" to ${SIZES.sections.toLocaleString('en-US')} rows: ${fmt(p(r.expanded, 50), 0)} ms to the painted frame`);
  }
  for (const l of lives) console.log(`live update, ${l.board}: p50 ${fmt(p(l.delays, 50), 0)} ms, p99 ${fmt(p(l.delays, 99), 0)} ms (${l.delays.length} updates, ${l.missed} missed)`);

  const dir = path.join(ROOT, 'bench/results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `structure-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  await writeFile(file, JSON.stringify({ plan: { samples: SAMPLES, warmup: WARMUP, opens: OPENS, live: LIVE }, sizes: SIZES, pairs, renders, lives }, null, 2));
  console.log(`results: ${path.relative(ROOT, file)}`);
}

await main();
