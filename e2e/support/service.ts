import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { freePort } from '@quire/db';
import { EMBEDDED_PASSWORD, EMBEDDED_USER } from '@quire/db/embedded';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY = /Quire is running at (http:\/\/\S+)/;

export interface Service {
  /** The address the launcher printed, e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  collabPort: number;
  dataDir: string;
  /** The studio's database (the embedded one unless the caller gave a DATABASE_URL), for tests that seed rows no screen writes yet. */
  databaseUrl: string;
  /** Everything the launcher printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts Quire the way the README does (scripts/launch.ts) on free ports with a fresh data directory, and
 * resolves once it prints that it is running. The launcher builds the web app first when its sources changed, so the
 * first start of a run can take a few minutes.
 */
export async function startService(options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Service> {
  const timeoutMs = options.timeoutMs ?? 6 * 60_000;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'quire-e2e-'));
  // as root, embedded Postgres runs as its own user, which must be able to reach its data directory
  await chmod(dataDir, 0o755);
  // every port free: test files start their studios side by side
  const [port, collabPort, workerPort, pgPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    QUIRE_DATA_DIR: dataDir,
    PORT: String(port),
    COLLAB_PORT: String(collabPort),
    WORKER_PORT: String(workerPort),
    EMBEDDED_PG_PORT: String(pgPort),
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // settings meant for a developer's own services must not leak into the embedded run
  for (const name of ['DATABASE_URL', 'SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'APP_URL', 'COLLAB_URL', 'COLLAB_HEALTH_URL', 'REDIS_URL']) {
    if (!options.env?.[name]) delete env[name];
  }
  // node itself, not the tsx wrapper: the wrapper exits on SIGTERM before the launcher has stopped its servers,
  // and stop() must wait for the launcher.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/launch.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString();
    if (log.length > 400_000) log = log.slice(-200_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.once('exit', () => (clearTimeout(timer), resolve()));
        child.kill('SIGTERM');
      });
    }
    await rm(dataDir, { recursive: true, force: true }).catch(() => {});
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Quire did not start within ${timeoutMs / 1000}s:\n${log.slice(-4000)}`)), timeoutMs);
      const check = () => {
        const match = READY.exec(stripVTControlCharacters(log));
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the launcher exited with ${code} before Quire was running:\n${log.slice(-4000)}`));
      });
    });
    const databaseUrl = options.env?.DATABASE_URL ?? `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${pgPort}/quire`;
    return { url, port, collabPort, dataDir, databaseUrl, output: () => log, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
