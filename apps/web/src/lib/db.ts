import { createPool, type Pool } from '@quire/db/pool';
import { getConfig } from './config';

// One pool per server process; kept on globalThis so dev reloads do not open a new pool on every edit.
const holder = globalThis as typeof globalThis & { __quirePool?: Pool };

export function getPool(): Pool {
  holder.__quirePool ??= createPool(getConfig().databaseUrl, { max: 10, applicationName: 'quire-web' });
  return holder.__quirePool;
}
