export { createPool, type Pool, type PoolClient } from './pool';
export { withUser, withAnon, withService, type Claims, type Tx } from './session';
export { migrate, listMigrations, SUPABASE_DIR, type MigrateOptions, type MigrateResult } from './migrate';
export { startEmbeddedPostgres, freePort, type EmbeddedDatabase } from './embedded';
export { databaseUrl, ensureDatabase } from './admin';
