/**
 * The quick start from where newcomers really clone: a home folder only its owner may enter (mode 0700), under a
 * path with spaces. As root, Postgres runs as the system user `postgres`, which cannot reach anything in there.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, freePort } from '@quire/db';
import { cloneCheckout, launch } from './support/clone';

const READY = /the database is ready at (postgres:\/\/\S+)/;
const isRoot = process.getuid?.() === 0;

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'quire newcomer '));
  await chmod(scratch, 0o755);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Starts the launcher's database-only mode in `clone` and checks that the database it prints answers. */
async function startDatabase(clone: string, env: NodeJS.ProcessEnv, asUser?: { uid: number; gid: number }) {
  const port = await freePort();
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, EMBEDDED_PG_PORT: String(port) };
  for (const name of ['DATABASE_URL', 'QUIRE_DATA_DIR', 'TEST_DATABASE_URL']) delete childEnv[name];
  const launcher = launch(process.execPath, ['--import', 'tsx', 'scripts/launch.ts', '--db-only'], { cwd: clone, env: childEnv, ...asUser });
  try {
    const [, url] = await launcher.waitFor(READY, 180_000);
    const pool = createPool(url!, { max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from supabase_migrations.schema_migrations');
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
    return launcher.output();
  } finally {
    expect(await launcher.stop()).toBe(0);
  }
}

describe.skipIf(!isRoot)('as root, a clone inside a 0700 home folder whose path has spaces', () => {
  it('starts the embedded database with nothing of the home folder opened up', async () => {
    const home = path.join(scratch, 'root home');
    await mkdir(home, { mode: 0o700 });
    const clone = path.join(home, 'my quire');
    await cloneCheckout(clone);
    // fresh system folders, so the copy of the binaries and the moved data directory are made by this run
    const systemDir = path.join(scratch, 'system cache');
    const systemDataDir = path.join(scratch, 'system data');
    const output = await startDatabase(clone, { QUIRE_SYSTEM_DIR: systemDir, QUIRE_SYSTEM_DATA_DIR: systemDataDir });

    expect(output).toMatch(/cannot enter .*my quire\/\.data, so its files are in /);
    expect(existsSync(path.join(systemDir, (await readdir(systemDir))[0]!, 'bin/postgres'))).toBe(true);
    expect((await lstat(path.join(clone, '.data/postgres'))).isSymbolicLink()).toBe(true);
    expect((await lstat(home)).mode & 0o777).toBe(0o700);

    // a second start finds the same data through the link
    const again = await startDatabase(clone, { QUIRE_SYSTEM_DIR: systemDir, QUIRE_SYSTEM_DATA_DIR: systemDataDir });
    expect(again).toMatch(/database schema is up to date/);
  }, 600_000);
});

describe.skipIf(!isRoot)('as a normal user', () => {
  const user = 'quire-newcomer';

  it('starts the embedded database from a 0700 home folder whose path has spaces', async () => {
    if (spawnSync('id', ['-u', user]).status !== 0) {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
    }
    const uid = Number(execFileSync('id', ['-u', user]).toString().trim());
    const gid = Number(execFileSync('id', ['-g', user]).toString().trim());
    const home = path.join(scratch, 'user home');
    await mkdir(home, { mode: 0o700 });
    await chown(home, uid, gid);
    const clone = path.join(home, 'my quire');
    await cloneCheckout(clone);
    // the clone's own folder is the user's (for .data); the linked packages stay shared and read-only
    await chown(clone, uid, gid);
    const output = await startDatabase(clone, { HOME: home }, { uid, gid });
    expect(output).not.toMatch(/cannot enter/);
  }, 300_000);
});
