/**
 * `pnpm db:backup [folder]`: a backup of a local install into a new folder (default backups/<time>).
 * Without DATABASE_URL it takes a base backup of the embedded Postgres (running or not) and copies the rest of the
 * data folder (QUIRE_DATA_DIR, default .data); with DATABASE_URL it runs pg_dump --format=custom.
 * Restore with `pnpm db:restore <folder>`. docs/operations.md has the restore drill.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupLocal, backupRemote } from '@quire/db/backup';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.QUIRE_DATA_DIR ?? '.data');
const out = path.resolve(process.argv[2] ?? path.join(root, 'backups', new Date().toISOString().replace(/[:.]/g, '-')));

try {
  const manifest = process.env.DATABASE_URL
    ? await backupRemote(process.env.DATABASE_URL, dataDir, out)
    : await backupLocal(dataDir, out, (line) => console.log(line));
  console.log(`backup (${manifest.kind}) written to ${out}`);
} catch (error) {
  console.error(`quire: ${(error as Error).message}`);
  process.exitCode = 1;
}
