import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { EMBEDDED_PASSWORD, EMBEDDED_USER, embeddedBinaries, startEmbeddedPostgres } from './embedded';
import { reachableDataDir } from './postgres-user';

/**
 * Backups of a local install: the data folder (QUIRE_DATA_DIR, `.data/` by default) holds the embedded Postgres in
 * `postgres/` and everything else (storage files, the local secrets) beside it.
 *
 * - Embedded Postgres: a base backup taken online with pg_backup_start/pg_backup_stop (the same files and
 *   backup_label that pg_basebackup writes), because the embedded build ships no pg_dump and Debian's pg_dump is
 *   older than Postgres 17. Restoring it is a copy plus Postgres's own recovery on the first start.
 * - Any other Postgres (DATABASE_URL): `pg_dump --format=custom`, restored with `pg_restore`; needs a pg_dump at
 *   least as new as the server.
 * Both copy the rest of the data folder as files.
 */

export interface BackupManifest {
  kind: 'base-backup' | 'pg_dump';
  createdAt: string;
  /** START WAL LOCATION line of the base backup, or the database name of a dump. */
  detail: string;
}

const MANIFEST = 'quire-backup.json';
/** What pg_basebackup leaves out: run-time state that Postgres rebuilds. Their folders are kept, empty. */
const SKIP_CONTENTS = ['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans'];
const SKIP_FILES = ['postmaster.pid', 'postmaster.opts', 'backup_label.old', 'tablespace_map.old'];

/** The port of the embedded server running on `pgDir`, if one is. */
async function runningPort(pgDir: string): Promise<number | undefined> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = (await readFile(pidFile, 'utf8')).split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
  }
  return Number(port);
}

async function copyOthers(dataDir: string, out: string, skip: string) {
  if (!existsSync(dataDir)) return;
  for (const entry of await readdir(dataDir)) {
    if (entry === skip || entry.startsWith(`${skip}.before-restore`)) continue;
    await cp(path.join(dataDir, entry), path.join(out, entry), { recursive: true, verbatimSymlinks: true });
  }
}

/** Base backup of the embedded Postgres in `dataDir/postgres` (running or not) plus the other files of `dataDir`. */
export async function backupLocal(dataDir: string, out: string, log: (line: string) => void = () => {}): Promise<BackupManifest> {
  const pgLink = path.join(dataDir, 'postgres');
  if (!existsSync(path.join(pgLink, 'PG_VERSION'))) throw new Error(`No embedded database in ${pgLink}; start Quire once first.`);
  if (existsSync(out) && (await readdir(out)).length) throw new Error(`${out} is not empty; choose a new folder for the backup.`);
  await mkdir(out, { recursive: true });
  const { runAs } = await embeddedBinaries();
  const pgDir = await reachableDataDir(pgLink, runAs);
  const port = await runningPort(pgDir);
  const started = port ? undefined : await startEmbeddedPostgres({ dataDir: pgLink });
  if (!port) log('the database was not running: started it for the backup');
  const client = new pg.Client({
    connectionString: `postgres://${EMBEDDED_USER}:${encodeURIComponent(EMBEDDED_PASSWORD)}@127.0.0.1:${port ?? started!.port}/postgres`,
  });
  await client.connect();
  const target = path.join(out, 'postgres');
  let label: string;
  try {
    await client.query(`select pg_backup_start('quire', fast => true)`);
    try {
      await cp(pgDir, target, {
        recursive: true,
        verbatimSymlinks: true,
        filter: (source) => {
          const relative = path.relative(pgDir, source);
          const parts = relative.split(path.sep);
          if (parts.length === 1 && SKIP_FILES.includes(parts[0]!)) return false;
          return !(parts.length > 1 && SKIP_CONTENTS.includes(parts[0]!));
        },
      });
    } finally {
      const { rows } = await client.query<{ labelfile: string }>('select labelfile from pg_backup_stop(wait_for_archive => false)');
      label = rows[0]!.labelfile;
    }
    await writeFile(path.join(target, 'backup_label'), label);
    // the WAL written while the files were copied; recovery replays it to a consistent state
    for (const segment of await readdir(path.join(pgDir, 'pg_wal'))) {
      if (/^[0-9A-F]{24}$/.test(segment)) await cp(path.join(pgDir, 'pg_wal', segment), path.join(target, 'pg_wal', segment));
    }
  } finally {
    await client.end();
    await started?.stop();
  }
  const first = /START WAL LOCATION: .* \(file ([0-9A-F]{24})\)/.exec(label)?.[1];
  if (!first || !existsSync(path.join(target, 'pg_wal', first))) {
    throw new Error(`The backup in ${out} misses WAL segment ${first}; a checkpoint removed it during the copy: run the backup again.`);
  }
  await copyOthers(dataDir, out, 'postgres');
  const manifest: BackupManifest = { kind: 'base-backup', createdAt: new Date().toISOString(), detail: label.split('\n')[0]! };
  await writeFile(path.join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * Restores a base backup into `dataDir` (which must not hold a running database). An existing `postgres/` is moved
 * aside to `postgres.before-restore-<time>`, never deleted. Postgres replays the backup's WAL on the first start.
 */
export async function restoreLocal(from: string, dataDir: string, log: (line: string) => void = () => {}): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(from, MANIFEST), 'utf8')) as BackupManifest;
  if (manifest.kind !== 'base-backup') throw new Error(`${from} holds a ${manifest.kind}; restore it with DATABASE_URL set.`);
  const pgLink = path.join(dataDir, 'postgres');
  await mkdir(dataDir, { recursive: true });
  const { runAs } = await embeddedBinaries();
  if (existsSync(pgLink)) {
    const current = await reachableDataDir(pgLink, runAs);
    if (await runningPort(current)) throw new Error('The database is running; stop Quire before restoring.');
    const aside = `${current}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await rename(current, aside);
    if (current !== pgLink) await rm(pgLink, { force: true });
    log(`moved the current database aside to ${aside}`);
  }
  for (const entry of await readdir(from)) {
    if (entry === 'postgres' || entry === MANIFEST) continue;
    await rm(path.join(dataDir, entry), { recursive: true, force: true });
    await cp(path.join(from, entry), path.join(dataDir, entry), { recursive: true, verbatimSymlinks: true });
  }
  const pgDir = await reachableDataDir(pgLink, runAs);
  await cp(path.join(from, 'postgres'), pgDir, { recursive: true, verbatimSymlinks: true });
  for (const dir of SKIP_CONTENTS) await mkdir(path.join(pgDir, dir), { recursive: true });
  await mkdir(path.join(pgDir, 'pg_wal/archive_status'), { recursive: true });
  await chmod(pgDir, 0o700);
  if (runAs.uid !== undefined) spawnSync('chown', ['-R', `${runAs.uid}:${runAs.gid}`, pgDir]);
  // the first start runs recovery; a clean stop leaves a database that starts like any other
  const server = await startEmbeddedPostgres({ dataDir: pgLink });
  await server.stop();
  log(`restored ${manifest.kind} of ${manifest.createdAt}`);
}

function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  const tool = process.env[name.toUpperCase()] ?? name;
  if (spawnSync(tool, ['--version']).status !== 0) {
    throw new Error(`${name} is not installed; install the Postgres client tools of your server's version (Debian: postgresql-client).`);
  }
  return tool;
}

/** `pg_dump --format=custom` of the database at `url` into `out/database.dump`, plus the files of `dataDir`. */
export async function backupRemote(url: string, dataDir: string | undefined, out: string): Promise<BackupManifest> {
  if (existsSync(out) && (await readdir(out)).length) throw new Error(`${out} is not empty; choose a new folder for the backup.`);
  await mkdir(out, { recursive: true });
  const dump = spawnSync(pgTool('pg_dump'), ['--format=custom', '--no-owner', `--file=${path.join(out, 'database.dump')}`, url], { encoding: 'utf8' });
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr.trim()}`);
  if (dataDir) await copyOthers(dataDir, out, 'postgres');
  const manifest: BackupManifest = { kind: 'pg_dump', createdAt: new Date().toISOString(), detail: new URL(url).pathname.slice(1) };
  await writeFile(path.join(out, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** pg_restore of a dump into the (empty) database at `url`, plus the files into `dataDir`. */
export async function restoreRemote(from: string, url: string, dataDir: string | undefined): Promise<void> {
  const manifest = JSON.parse(await readFile(path.join(from, MANIFEST), 'utf8')) as BackupManifest;
  if (manifest.kind !== 'pg_dump') throw new Error(`${from} holds a ${manifest.kind}; restore it without DATABASE_URL.`);
  const restore = spawnSync(pgTool('pg_restore'), ['--no-owner', '--exit-on-error', '--single-transaction', `--dbname=${url}`, path.join(from, 'database.dump')], { encoding: 'utf8' });
  if (restore.status !== 0) throw new Error(`pg_restore failed: ${restore.stderr.trim()}`);
  if (!dataDir) return;
  await mkdir(dataDir, { recursive: true });
  for (const entry of await readdir(from)) {
    if (entry === 'database.dump' || entry === MANIFEST) continue;
    await rm(path.join(dataDir, entry), { recursive: true, force: true });
    await cp(path.join(from, entry), path.join(dataDir, entry), { recursive: true, verbatimSymlinks: true });
  }
}
