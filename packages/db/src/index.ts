export { createPool, type Pool, type PoolClient } from './pool';
export { withUser, withAnon, withService, ServiceConnection, type Claims, type Tx } from './session';
export { migrate, listMigrations, SUPABASE_DIR, type MigrateOptions, type MigrateResult } from './migrate';
// The embedded Postgres runner stays out of this index: apps only talk to a database. Import '@quire/db/embedded'
// where one is started.
export { freePort } from './ports';
export { databaseUrl, ensureDatabase } from './admin';
