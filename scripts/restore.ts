/**
 * `pnpm db:restore <folder>`: puts a backup made by `pnpm db:backup` back. Without DATABASE_URL it restores the
 * embedded database into the data folder (QUIRE_DATA_DIR, default .data; stop Quire first; the current database is
 * moved aside, not deleted); with DATABASE_URL it runs pg_restore into that (new, empty) database.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { restoreLocal, restoreRemote } from '@quire/db/backup';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.QUIRE_DATA_DIR ?? '.data');
const from = process.argv[2];

try {
  if (!from) throw new Error('usage: pnpm db:restore <backup folder>');
  if (process.env.DATABASE_URL) await restoreRemote(path.resolve(from), process.env.DATABASE_URL, dataDir);
  else await restoreLocal(path.resolve(from), dataDir, (line) => console.log(line));
  console.log(`restored ${from}; start Quire again with npm start`);
} catch (error) {
  console.error(`quire: ${(error as Error).message}`);
  process.exitCode = 1;
}
