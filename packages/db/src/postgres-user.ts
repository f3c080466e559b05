import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, realpath, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Postgres refuses to run as root. When Quire is started as root, the embedded server runs as the system user
 * `postgres`, and that user must be able to reach the binaries and the data directory. A clone inside a home folder
 * with mode 0700 (root's own, usually) is reachable by root only, so the binaries are copied once to a root-owned
 * cache every user can read, and a data directory it cannot reach is kept under /var/lib/quire instead. Nothing of
 * the user's own folders changes mode.
 */

export interface RunAs {
  uid?: number;
  gid?: number;
}

/** Where root keeps what the `postgres` user must reach; overridable for hosts where /var is read-only. */
export const ROOT_CACHE_DIR = process.env.QUIRE_SYSTEM_DIR ?? '/var/cache/quire';
export const ROOT_DATA_DIR = process.env.QUIRE_SYSTEM_DATA_DIR ?? '/var/lib/quire';

export function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  const result = spawnSync('id', [flag, name], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

/** The `postgres` system user (created when missing, as Debian's own package would). */
export function postgresUser(): Required<RunAs> {
  let uid = idOf('-u', 'postgres');
  if (uid === undefined) {
    const groupExists = spawnSync('getent', ['group', 'postgres']).status === 0;
    execFileSync('useradd', ['--system', ...(groupExists ? ['-g', 'postgres'] : ['--user-group']), '--no-create-home',
      '--shell', '/usr/sbin/nologin', 'postgres']);
    uid = idOf('-u', 'postgres');
  }
  const gid = idOf('-g', 'postgres');
  if (uid === undefined || gid === undefined) throw new Error('Could not find or create the system user "postgres".');
  return { uid, gid };
}

/** True when `who` can enter `dir` (every folder on the way must let it through). */
export function canEnter(who: RunAs, dir: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { ...who, stdio: 'ignore' }).status === 0;
}

function canRun(who: RunAs, binary: string): boolean {
  return spawnSync(binary, ['--version'], { ...who, stdio: 'ignore' }).status === 0;
}

/**
 * The folder holding bin/, lib/ and share/ of the Postgres build, as `who` can run it: the package's own folder
 * when reachable, otherwise a copy under ROOT_CACHE_DIR (made once per version, atomically, so parallel starts
 * share it).
 */
export async function reachableInstall(packageDir: string, version: string, who: RunAs): Promise<string> {
  const native = path.join(packageDir, 'native');
  if (who.uid === undefined || canRun(who, path.join(native, 'bin/postgres'))) return native;
  const target = path.join(ROOT_CACHE_DIR, `postgres-${version}`);
  if (existsSync(path.join(target, 'bin/postgres')) && canRun(who, path.join(target, 'bin/postgres'))) return target;
  const staging = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(ROOT_CACHE_DIR, { recursive: true, mode: 0o755 });
    await chmod(ROOT_CACHE_DIR, 0o755);
    await rm(staging, { recursive: true, force: true });
    // verbatimSymlinks keeps the library links relative, so the copy does not point back into the clone
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rename(staging, target).catch(async (error) => {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(target, 'bin/postgres'))) throw error;
    });
  } catch (error) {
    throw new Error(
      `Quire runs Postgres as the system user "postgres" when started as root, that user cannot reach ${native}, and ` +
        `copying it to ${ROOT_CACHE_DIR} failed (${(error as Error).message}); start Quire as a normal user, or clone ` +
        `it under a folder every user can enter, such as /srv.`,
    );
  }
  if (!canRun(who, path.join(target, 'bin/postgres'))) {
    throw new Error(`The system user "postgres" cannot run ${target}/bin/postgres; make ${ROOT_CACHE_DIR} readable by every user, or start Quire as a normal user.`);
  }
  return target;
}

/**
 * The data directory as the server will see it. A folder the `postgres` user cannot enter is replaced by a link to
 * one under ROOT_DATA_DIR (named after the original path, so the same clone always finds the same data).
 */
export async function reachableDataDir(dataDir: string, who: RunAs): Promise<string> {
  if (who.uid === undefined) return dataDir;
  if (existsSync(dataDir)) return realpath(dataDir);
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (canEnter(who, parent)) return dataDir;
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const elsewhere = path.join(ROOT_DATA_DIR, `${path.basename(path.dirname(parent))}-${hash}`, path.basename(dataDir));
  await mkdir(ROOT_DATA_DIR, { recursive: true, mode: 0o755 });
  await mkdir(path.dirname(elsewhere), { recursive: true, mode: 0o755 });
  await symlink(elsewhere, dataDir);
  return elsewhere;
}
