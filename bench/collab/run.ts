/**
 * Collab benchmark: apps/collab side by side with bare @hocuspocus/server (same version, no extensions) and
 * y-websocket 2.1.0's server, each in its own child process. Not a test: it prints figures and ratios.
 *
 *   pnpm bench:collab            full run
 *   pnpm bench:collab --quick    a few minutes
 *   --only=latency,throughput,documents,coldload,replay   a subset;  --rounds=N   override the rounds (median reported)
 *   --base=<checkout>   also run that checkout's apps/collab in every round (e.g. a git worktree of the commit
 *                       before a change), reported as "quire (base)" with the per-round ratio quire / base
 *   BENCH_TRACE=<file>  the editing trace for the replay (default: shared/bench-data next to the checkout)
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createPool, migrate, type Pool } from '@quire/db';
import { startEmbeddedPostgres } from '@quire/db/embedded';
import { countWords } from '@quire/domain/manuscript';
import { SignJWT } from 'jose';
import * as Y from 'yjs';
import {
  connectClient,
  cpuSeconds,
  FleetProcess,
  isQuire,
  monotonicMs,
  paragraphFor,
  percentile,
  ROOT,
  rssBytes,
  sleep,
  startIpcServer,
  startQuire,
  syscalls,
  treeCpuSeconds,
  waitUntil,
  type BenchClient,
  type FleetCommand,
  type ServerHandle,
  type ServerKind,
} from './harness';

// Every y-websocket client adds a process 'exit' listener; a thousand of them are expected here.
process.setMaxListeners(0);
const QUICK = process.argv.includes('--quick');
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 0);
// --servers=quire,hocuspocus: run only these (the ratios need both of those).
const SERVERS = process.argv.find((a) => a.startsWith('--servers='))?.slice(10).split(',') as ServerKind[] | undefined;
// --again: bare Hocuspocus a second time in every round, so the report shows the machine's noise between two
// identical servers next to quire's ratio.
const AGAIN = process.argv.includes('--again') || (SERVERS?.includes('hocuspocus-again') ?? false);
// --fleet=K: the latency scenarios' clients run in K processes (a single process saturates at N = 100 on 2 cores).
const FLEET = Number(process.argv.find((a) => a.startsWith('--fleet='))?.slice(8) ?? 2);
// --n=100: only the latency scenarios with these client counts.
const ONLY_N = process.argv.find((a) => a.startsWith('--n='))?.slice(4).split(',').map(Number);
const JWT_SECRET = 'bench-secret-bench-secret-bench-secret';
const BASE = process.argv.find((a) => a.startsWith('--base='))?.slice(7);
const TRACE_FILE = 'shared/bench-data/sequential/automerge-paper.json.gz';

/** The shared editing trace lives in a sibling of the checkout; a worktree may sit a level deeper, so look upwards. */
function tracePath(): string {
  if (process.env.BENCH_TRACE) return path.resolve(process.env.BENCH_TRACE);
  for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, TRACE_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(ROOT, '..', TRACE_FILE);
  }
}

const PLAN = QUICK
  ? {
      latency: [
        { n: 2, writers: 2, rate: 20, seconds: 5 },
        { n: 20, writers: 20, rate: 2, seconds: 5 },
        { n: 100, writers: 100, rate: 0.5, seconds: 6 },
      ],
      throughputSeconds: 4,
      documents: 200,
      coldLoadRuns: 2,
      replayBatch: 64,
      rounds: 1,
    }
  : {
      latency: [
        { n: 2, writers: 2, rate: 20, seconds: 20 },
        { n: 20, writers: 20, rate: 2, seconds: 20 },
        { n: 100, writers: 100, rate: 0.5, seconds: 30 },
      ],
      throughputSeconds: 15,
      documents: 1_000,
      coldLoadRuns: 5,
      replayBatch: 1,
      rounds: 3,
    };

interface Context {
  pool: Pool;
  /** The embedded Postgres's postmaster, whose process tree is the database's CPU. */
  postgresPid: number;
  token: string;
  projectId: string;
}

type Results = Record<string, Partial<Record<ServerKind, number | string>>>;
// Every round's value, by round; the report shows the median of the rounds (strings: the last one).
const samples: Record<string, Partial<Record<ServerKind, Map<number, number | string>>>> = {};
let currentRound = 0;
const record = (metric: string, kind: ServerKind, value: number | string) => ((samples[metric] ??= {})[kind] ??= new Map()).set(currentRound, value);
const median = (numbers: number[]) => [...numbers].sort((a, b) => a - b)[Math.floor((numbers.length - 1) / 2)]!;
function aggregate(): Results {
  const out: Results = {};
  for (const [metric, byKind] of Object.entries(samples)) {
    out[metric] = {};
    for (const [kind, byRound] of Object.entries(byKind) as Array<[ServerKind, Map<number, number | string>]>) {
      const values = [...byRound.values()];
      const numbers = values.filter((v): v is number => typeof v === 'number');
      out[metric]![kind] = numbers.length === values.length ? median(numbers) : values[values.length - 1]!;
    }
  }
  return out;
}

/** a / b within each round that measured both: the paired comparison, which a machine-wide slow spell cancels out of. */
function roundRatios(metric: string, a: ServerKind, b: ServerKind): number[] {
  const byKind = samples[metric];
  const ratios: number[] = [];
  for (const [round, value] of byKind?.[a] ?? []) {
    const other = byKind?.[b]?.get(round);
    if (typeof value === 'number' && typeof other === 'number' && other !== 0) ratios.push(value / other);
  }
  return ratios;
}

async function newDocument(ctx: Context, server: ServerHandle): Promise<string> {
  if (!isQuire(server.kind)) return crypto.randomUUID();
  const { rows } = await ctx.pool.query<{ id: string }>(`insert into public.documents (project_id, title) values ($1, 'bench') returning id`, [ctx.projectId]);
  return rows[0]!.id;
}

async function walLsn(ctx: Context): Promise<string> {
  return (await ctx.pool.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn')).rows[0]!.lsn;
}

async function walBytesSince(ctx: Context, lsn: string): Promise<number> {
  return Number((await ctx.pool.query<{ d: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint as d', [lsn])).rows[0]!.d);
}

async function connectAll(server: ServerHandle, ctx: Context, names: string[]): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  // In batches: a thousand simultaneous handshakes measure the accept queue, not the server.
  for (let i = 0; i < names.length; i += 50) {
    const batch = names.slice(i, i + 50).map((name) => connectClient(server, name, ctx.token));
    await Promise.all(batch.map((c) => c.synced()));
    clients.push(...batch);
  }
  return clients;
}

async function waitUnloaded(server: ServerHandle, timeoutMs: number): Promise<{ ok: boolean; left: number; ms: number }> {
  const start = performance.now();
  let left = (await server.stats()).documents;
  let lastChange = performance.now();
  const ok = await waitUntil(
    async () => {
      const now = (await server.stats()).documents;
      if (now !== left) lastChange = performance.now();
      left = now;
      // Give up early when nothing has been unloaded for a while (a server that never unloads).
      return now === 0 || performance.now() - lastChange > 15_000;
    },
    timeoutMs,
    100,
  );
  return { ok: ok && left === 0, left, ms: performance.now() - start };
}

// ---- edit-to-peer latency ----------------------------------------------------------------------------------------

async function latency(server: ServerHandle, ctx: Context, plan: { n: number; writers: number; rate: number; seconds: number }) {
  const label = `N=${plan.n}`;
  const name = await newDocument(ctx, server);
  // The clients, spread over the fleet's processes in contiguous ranges (client c writes paragraph c).
  const fleet = await Promise.all(Array.from({ length: Math.min(FLEET, plan.n) }, () => FleetProcess.start()));
  try {
    const all = (command: FleetCommand) => Promise.all(fleet.map((f) => f.send(command)));
    const share = (j: number) => Math.floor((plan.n * j) / fleet.length);
    const rssBefore = rssBytes(server.pid);
    await Promise.all(
      fleet.map((f, j) => f.send({ cmd: 'connect', kind: server.kind, url: server.url, token: ctx.token, name, first: share(j), count: share(j + 1) - share(j) })),
    );
    await sleep(500);
    const rssAfter = rssBytes(server.pid);
    await all({ cmd: 'paragraphs', writers: plan.writers });
    await all({ cmd: 'converge', writers: plan.writers });

    const interval = 1000 / plan.rate;
    const perWriter = Math.floor((plan.seconds * 1000) / interval);
    const lsn = isQuire(server.kind) ? await walLsn(ctx) : '';
    const statsBefore = await server.stats();
    const cpuBefore = cpuSeconds(server.pid);
    const pgCpuBefore = treeCpuSeconds(ctx.postgresPid);
    const ioBefore = syscalls(server.pid);
    const t0 = monotonicMs() + 300;
    const replies = await all({ cmd: 'run', t0, interval, perWriter, writers: plan.writers, timeoutMs: 60_000 });
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    const pgCpu = treeCpuSeconds(ctx.postgresPid) - pgCpuBefore;
    const io = syscalls(server.pid);
    const samples = replies.flatMap((r) => Array.from(r.samples!)).sort((a, b) => a - b);
    const missing = replies.reduce((n, r) => n + (r.missing ?? 0), 0);
    const edits = plan.writers * perWriter;
    record(`latency ${label} p50 (ms)`, server.kind, percentile(samples, 50));
    record(`latency ${label} p99 (ms)`, server.kind, percentile(samples, 99));
    if (missing > 0) record(`latency ${label} deliveries missing`, server.kind, missing);
    record(`CPU-s per 1000 edits, ${label}`, server.kind, (cpu / edits) * 1000);
    if (isQuire(server.kind)) record(`Postgres CPU-s per 1000 edits, ${label}`, server.kind, (pgCpu / edits) * 1000);
    record(`server write syscalls per edit, ${label}`, server.kind, (io.writes - ioBefore.writes) / edits);
    record(`RSS per connection, ${label} (KiB)`, server.kind, (rssAfter - rssBefore) / plan.n / 1024);
    await Promise.all(fleet.map((f) => f.close()));
    if (isQuire(server.kind)) {
      await waitUnloaded(server, 60_000);
      const after = await server.stats();
      record(`stores, ${label}`, server.kind, (after.stores ?? 0) - (statsBefore.stores ?? 0));
      record(`log commits, ${label}`, server.kind, (after.logCommits ?? 0) - (statsBefore.logCommits ?? 0));
      record(`Postgres WAL bytes per edit, ${label}`, server.kind, (await walBytesSince(ctx, lsn)) / edits);
    }
    console.log(`  ${server.kind} ${label}: ${samples.length} samples, p50 ${percentile(samples, 50).toFixed(2)} ms, p99 ${percentile(samples, 99).toFixed(2)} ms`);
  } finally {
    await Promise.all(fleet.map((f) => f.close()));
  }
}

// ---- sustained throughput ----------------------------------------------------------------------------------------

async function throughput(server: ServerHandle, ctx: Context, seconds: number) {
  const writers = 4;
  const window = 64;
  const name = await newDocument(ctx, server);
  const clients = await connectAll(server, ctx, Array.from({ length: writers + 1 }, () => name));
  for (let w = 0; w < writers; w++) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.setAttribute('w', String(w));
    paragraph.insert(0, [new Y.XmlText()]);
    clients[w]!.doc.getXmlFragment('default').push([paragraph]);
  }
  const reader = clients[writers]!;
  await waitUntil(() => reader.doc.getXmlFragment('default').length === writers, 30_000);
  const readerTexts = Array.from({ length: writers }, (_, w) => paragraphFor(reader.doc, w)!);
  const texts = Array.from({ length: writers }, (_, w) => paragraphFor(clients[w]!.doc, w)!);
  const sent = new Array<number>(writers).fill(0);
  const cpuBefore = cpuSeconds(server.pid);
  const start = performance.now();
  const end = start + seconds * 1000;
  // Closed loop: each writer keeps `window` edits in flight (sent, not yet seen by the reader).
  while (performance.now() < end) {
    for (let w = 0; w < writers; w++) {
      while (sent[w]! - readerTexts[w]!.length < window) {
        texts[w]!.insert(texts[w]!.length, 'x');
        sent[w]!++;
      }
    }
    await new Promise((r) => setImmediate(r));
  }
  const delivered = readerTexts.reduce((n, t) => n + t.length, 0);
  const elapsed = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  record('sustained updates/s (4 writers, 1 reader)', server.kind, delivered / elapsed);
  record('CPU-s per 1000 edits, sustained', server.kind, (cpu / delivered) * 1000);
  for (const c of clients) c.destroy();
  if (isQuire(server.kind)) await waitUnloaded(server, 60_000);
  console.log(`  ${server.kind} throughput: ${(delivered / elapsed).toFixed(0)} updates/s`);
}

// ---- many documents ----------------------------------------------------------------------------------------------

async function manyDocuments(server: ServerHandle, ctx: Context, count: number) {
  const names: string[] = [];
  if (isQuire(server.kind)) {
    const { rows } = await ctx.pool.query<{ id: string }>(
      `insert into public.documents (project_id, title) select $1, 'bench ' || g from generate_series(1, $2) g returning id`,
      [ctx.projectId, count],
    );
    names.push(...rows.map((r) => r.id));
  } else for (let i = 0; i < count; i++) names.push(crypto.randomUUID());
  const rssBefore = rssBytes(server.pid);
  const clients = await connectAll(server, ctx, names.flatMap((n) => [n, n]));
  clients.forEach((client, i) => {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(`written by client ${i % 2} of this document`)]);
    client.doc.getXmlFragment('default').push([paragraph]);
  });
  const converged = await waitUntil(() => clients.every((c) => c.doc.getXmlFragment('default').length === 2), 120_000, 50);
  await sleep(1_000);
  const rssAfter = rssBytes(server.pid);
  record(`memory per document, ${count} docs x 2 clients (KiB)`, server.kind, (rssAfter - rssBefore) / count / 1024);
  if (!converged) record(`${count} docs: converged`, server.kind, 'no');
  for (const c of clients) c.destroy();
  const unloaded = await waitUnloaded(server, 120_000);
  record(`${count} docs: unloaded after clients leave`, server.kind, unloaded.ok ? `yes (${(unloaded.ms / 1000).toFixed(1)} s)` : `no (${unloaded.left} left)`);
  console.log(`  ${server.kind} ${count} docs: ${((rssAfter - rssBefore) / count / 1024).toFixed(1)} KiB/doc, unloaded ${unloaded.ok}`);
}

// ---- cold load of a 100k-word document ------------------------------------------------------------------------------

function bigDocument(): Y.Doc {
  const doc = new Y.Doc();
  const words = ['the', 'river', 'ran', 'quiet', 'under', 'a', 'grey', 'morning', 'while', 'she', 'counted', 'boats', 'and', 'forgot', 'names', 'of', 'old', 'friends', 'again', 'today'];
  doc.transact(() => {
    const fragment = doc.getXmlFragment('default');
    const nodes: Y.XmlElement[] = [];
    for (let p = 0; p < 5_000; p++) {
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [new Y.XmlText(words.map((w, i) => (i === 0 ? `${w}${p}` : w)).join(' '))]);
      nodes.push(paragraph);
    }
    fragment.insert(0, nodes);
  });
  return doc;
}

async function coldLoad(server: ServerHandle, ctx: Context, runs: number, state: Uint8Array) {
  const times: number[] = [];
  let name = await newDocument(ctx, server);
  let holder: BenchClient | undefined;
  if (isQuire(server.kind)) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    await ctx.pool.query(`update public.documents set yjs_state = $2 where id = $1`, [name, Buffer.from(state)]);
  } else {
    // No database behind these servers: the closest they have is a document another client holds in memory.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    holder = connectClient(server, name, ctx.token, doc);
    await holder.synced();
    await sleep(500);
  }
  for (let r = 0; r < runs; r++) {
    if (isQuire(server.kind)) await waitUnloaded(server, 60_000);
    const start = performance.now();
    const client = connectClient(server, name, ctx.token);
    await client.synced();
    await waitUntil(() => client.doc.getXmlFragment('default').length === 5_000, 60_000, 2);
    times.push(performance.now() - start);
    client.destroy();
  }
  holder?.destroy();
  times.sort((a, b) => a - b);
  const label = isQuire(server.kind) ? '100k-word document: cold load from Postgres to synced (ms, median)' : '100k-word document: sync from memory (ms, median)';
  record(label, server.kind, percentile(times, 50));
  if (isQuire(server.kind)) name = '';
  console.log(`  ${server.kind} 100k words: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
}

// ---- trace replay ------------------------------------------------------------------------------------------------------

interface Trace {
  endContent: string;
  txns: Array<{ patches: Array<[number, number, string]> }>;
}

function replayFloor(trace: Trace, batch: number): { ms: number; ok: boolean } {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText()]);
  doc.getXmlFragment('default').push([paragraph]);
  const text = paragraph.get(0) as Y.XmlText;
  const patches = trace.txns.flatMap((t) => t.patches);
  const start = performance.now();
  for (let i = 0; i < patches.length; i += batch) {
    doc.transact(() => {
      for (const [pos, del, ins] of patches.slice(i, i + batch)) {
        if (del) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      }
    });
  }
  return { ms: performance.now() - start, ok: text.toString() === trace.endContent };
}

async function replay(server: ServerHandle, ctx: Context, trace: Trace, batch: number) {
  const name = await newDocument(ctx, server);
  const [writer, ...readers] = await connectAll(server, ctx, [name, name, name]);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText()]);
  writer!.doc.getXmlFragment('default').push([paragraph]);
  await waitUntil(() => readers.every((r) => r.doc.getXmlFragment('default').length === 1), 30_000);
  const text = paragraph.get(0) as Y.XmlText;
  const readerText = (r: BenchClient) => ((r.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).toString();
  const client = writer!.doc.clientID;
  const patches = trace.txns.flatMap((t) => t.patches);
  const cpuBefore = cpuSeconds(server.pid);
  const start = performance.now();
  let updates = 0;
  for (let i = 0; i < patches.length; i += batch) {
    writer!.doc.transact(() => {
      for (const [pos, del, ins] of patches.slice(i, i + batch)) {
        if (del) text.delete(pos, del);
        if (ins) text.insert(pos, ins);
      }
    });
    updates++;
    // Flow control on the writer's clock as the readers see it, so the run measures the server, not a queue.
    const mine = Y.getState(writer!.doc.store, client);
    while (readers.some((r) => mine - Y.getState(r.doc.store, client) > 2_000)) await new Promise((r) => setImmediate(r));
    if (updates % 256 === 0) await new Promise((r) => setImmediate(r));
  }
  const done = await waitUntil(() => readers.every((r) => readerText(r) === trace.endContent), 300_000, 20);
  const ms = performance.now() - start;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  record('replay automerge-paper: time (s)', server.kind, ms / 1000);
  record('replay automerge-paper: CPU-s', server.kind, cpu);
  record('replay: every reader equals endContent', server.kind, done ? 'yes' : 'NO');
  for (const c of [writer!, ...readers]) c.destroy();
  if (isQuire(server.kind)) {
    await waitUnloaded(server, 120_000);
    const { rows } = await ctx.pool.query<{ plain_text: string; word_count: number }>(`select plain_text, word_count from public.documents where id = $1`, [name]);
    const stored = rows[0]!;
    record('replay: stored text equals endContent', server.kind, stored.plain_text === trace.endContent ? 'yes' : 'NO');
    if (stored.word_count !== countWords(trace.endContent)) record('replay: stored word count', server.kind, `${stored.word_count} (expected ${countWords(trace.endContent)})`);
  }
  console.log(`  ${server.kind} replay: ${(ms / 1000).toFixed(1)} s, ${updates} updates, readers ok: ${done}`);
}

// ---- main ----------------------------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  console.log(`collab benchmark (${QUICK ? 'quick' : 'full'}), node ${process.version}, ${os.cpus().length} CPUs`);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-pg-'));
  await import('node:fs/promises').then((fs) => fs.chmod(dir, 0o755));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: false });
  try {
    await migrate(pg.url, { seed: false });
    const pool = createPool(pg.url, { max: 4, applicationName: 'bench' });
    const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ('bench@example.test') returning id`);
    const userId = rows[0]!.id;
    await pool.query(`update public.user_profiles set subscription_tier = 'team', display_name = 'Bench' where id = $1`, [userId]);
    const project = await pool.query<{ id: string }>(`insert into public.projects (user_id, title) values ($1, 'Bench') returning id`, [userId]);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ role: 'authenticated', email: 'bench@example.test', session_id: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(userId)
      .setAudience('authenticated')
      .setIssuedAt(now)
      .setExpirationTime(now + 24 * 3600)
      .sign(new TextEncoder().encode(JWT_SECRET));
    const postgresPid = Number((await readFile(path.join(dir, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const ctx: Context = { pool, token, projectId: project.rows[0]!.id, postgresPid };
    const selected = (scenario: string) => !ONLY || ONLY.includes(scenario);
    // Only what the selected scenarios need: the parsed trace alone is a large heap in this process.
    const trace = selected('replay') ? (JSON.parse(gunzipSync(await readFile(tracePath())).toString('utf8')) as Trace) : undefined;
    const big = selected('coldload') ? Y.encodeStateAsUpdate(bigDocument()) : new Uint8Array();
    if (trace) {
      const floor = replayFloor(trace, PLAN.replayBatch);
      for (const kind of ['quire', 'hocuspocus', 'y-websocket'] as const) record('replay automerge-paper: in-process floor, one Y.Doc (s)', kind, floor.ms / 1000);
      console.log(`floor: ${trace.txns.length} edits applied to one Y.Doc in ${floor.ms.toFixed(0)} ms (text ok: ${floor.ok})`);
    }

    const kinds: ServerKind[] = (['quire', 'quire-base', 'hocuspocus', 'y-websocket', 'hocuspocus-again'] as const).filter((k) =>
      k === 'quire-base' ? Boolean(BASE) : SERVERS ? SERVERS.includes(k) : k !== 'hocuspocus-again' || AGAIN,
    );
    const start = (kind: ServerKind) =>
      isQuire(kind)
        ? startQuire({
            DATABASE_URL: pg.url,
            SUPABASE_JWT_SECRET: JWT_SECRET,
            // The production per-connection limit (300 msg/s) would throttle a replay; the bench measures the engine.
            COLLAB_RATE_MESSAGES_PER_SECOND: '1000000',
            COLLAB_RATE_BURST: '1000000',
            COLLAB_RATE_BYTES_PER_SECOND: '1000000000',
            COLLAB_DB_POOL_SIZE: '10',
            // BENCH_QUIRE_ENV="COLLAB_DURABILITY_WINDOW_MS=100 ...": try other settings of the same server.
            ...Object.fromEntries((process.env.BENCH_QUIRE_ENV ?? '').split(' ').filter(Boolean).map((kv) => kv.split('=') as [string, string])),
          }, kind === 'quire-base' ? path.resolve(BASE!) : undefined)
        : startIpcServer(kind);
    const scenarios: Array<[string, (server: ServerHandle) => Promise<void>]> = [
      ['latency', async (server) => {
        for (const plan of PLAN.latency) if (!ONLY_N || ONLY_N.includes(plan.n)) await latency(server, ctx, plan);
      }],
      ['throughput', (server) => throughput(server, ctx, PLAN.throughputSeconds)],
      ['documents', (server) => manyDocuments(server, ctx, PLAN.documents)],
      ['coldload', (server) => coldLoad(server, ctx, PLAN.coldLoadRuns, big)],
      ['replay', (server) => replay(server, ctx, trace!, PLAN.replayBatch)],
    ];
    // Scenario by scenario, the servers interleaved and their order alternated per round, so a noisy neighbour on a
    // shared machine does not land on one server only. A fresh server process for every run.
    for (const [scenario, fn] of scenarios) {
      if (!selected(scenario)) continue;
      const rounds = ROUNDS || PLAN.rounds;
      for (let round = 0; round < rounds; round++) {
        currentRound = round;
        console.log(`\n${scenario}, round ${round + 1}/${rounds}`);
        for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
          const server = await start(kind);
          try {
            await fn(server);
          } catch (error) {
            console.log(`  ${kind} ${scenario} failed: ${(error as Error).message}`);
            record(`${scenario}: error`, kind, (error as Error).message);
          } finally {
            await server.stop();
          }
        }
      }
    }
    await pool.end();
    await report(started);
  } finally {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

function format(value: number | string | undefined): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function report(started: number) {
  const results = aggregate();
  const rows = Object.entries(results).map(([metric, values]) => {
    const q = values.quire;
    const h = values.hocuspocus;
    const ratio = typeof q === 'number' && typeof h === 'number' && h !== 0 && !metric.includes('floor') ? `${(q / h).toFixed(2)}x` : '';
    return [metric, format(q), ...(BASE ? [format(values['quire-base'])] : []), format(h), format(values['y-websocket']), ...(AGAIN ? [format(values['hocuspocus-again'])] : []), ratio];
  });
  const header = ['metric', 'quire', ...(BASE ? ['quire (base)'] : []), 'bare hocuspocus', 'y-websocket', ...(AGAIN ? ['bare hocuspocus, again'] : []), 'quire / hocuspocus'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  const verdicts: string[] = [];
  const describe = (ratios: number[]) => `${median(ratios).toFixed(2)}x (rounds: ${ratios.map((r) => r.toFixed(2)).join(', ')})`;
  for (const metric of Object.keys(results).filter((m) => m.includes('p99'))) {
    const ratios = roundRatios(metric, 'quire', 'hocuspocus');
    if (ratios.length > 0) verdicts.push(`${metric}: ${describe(ratios)}, target <= 1.2x`);
    // The same bare server twice in a round: how far apart two identical servers land on this machine.
    const noise = roundRatios(metric, 'hocuspocus-again', 'hocuspocus');
    if (noise.length > 0) verdicts.push(`${metric}, bare Hocuspocus against itself: ${describe(noise)}`);
    const change = roundRatios(metric, 'quire', 'quire-base');
    if (change.length > 0) verdicts.push(`${metric}, quire / quire (base): ${describe(change)}`);
  }
  const throughputRatios = roundRatios('sustained updates/s (4 writers, 1 reader)', 'quire', 'hocuspocus');
  if (throughputRatios.length > 0) verdicts.push(`throughput: ${describe(throughputRatios)}, target >= 0.8x`);
  const throughputChange = roundRatios('sustained updates/s (4 writers, 1 reader)', 'quire', 'quire-base');
  if (throughputChange.length > 0) verdicts.push(`throughput, quire / quire (base): ${describe(throughputChange)}`);
  const throughputNoise = roundRatios('sustained updates/s (4 writers, 1 reader)', 'hocuspocus-again', 'hocuspocus');
  if (throughputNoise.length > 0) verdicts.push(`throughput, bare Hocuspocus against itself: ${describe(throughputNoise)}`);
  console.log(`\nquire / bare Hocuspocus, median of the per-round ratios:\n  ${verdicts.join('\n  ')}`);
  console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const file = path.join(ROOT, 'bench/results', `collab-${QUICK ? 'quick' : 'full'}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  return mkdir(path.dirname(file), { recursive: true })
    .then(() => writeFile(file, JSON.stringify({ quick: QUICK, node: process.version, results }, null, 2)))
    .then(() => console.log(`results written to ${path.relative(ROOT, file)}`))
    .catch(() => {});
}

await main();
// Providers keep reconnect timers and sockets alive after destroy(); the figures are printed, so leave.
setTimeout(() => process.exit(0), 500);
