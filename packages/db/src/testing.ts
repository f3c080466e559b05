import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded';
import { migrate } from './migrate';
import { databaseUrl } from './admin';

/**
 * Test databases: one Postgres per test run (embedded Postgres 17, or TEST_DATABASE_URL), one migrated and seeded
 * template database in it, and a fresh copy of that template for every test file that asks.
 */
// On a shared server (TEST_DATABASE_URL) each run builds its own template, so two runs never drop each other's.
// Test workers are forked after the global setup, so they inherit the name through the environment.
function templateName(): string {
  return process.env.QUIRE_TEST_TEMPLATE ?? 'quire_test_template';
}

export interface TestServer {
  /** URL of the server's maintenance database, used to create test databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

/** Used by vitest's global setup: starts or reaches the server and builds the template once. */
export async function startTestServer(): Promise<TestServer> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'quire-test-pg-'));
    // Postgres runs as its own user when we are root, and must be able to reach its data directory.
    await chmod(dataDir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), persistent: false });
    adminUrl = embedded.url;
    stop = async () => {
      await embedded.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  if (process.env.TEST_DATABASE_URL) {
    process.env.QUIRE_TEST_TEMPLATE = `quire_test_template_${process.pid}`;
    const dropTemplate = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${templateName()} with (force)`);
      } finally {
        await client.end();
      }
    };
    stop = dropTemplate;
  }
  const TEMPLATE = templateName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${TEMPLATE} with (force)`);
    await admin.query(`create database ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  await migrate(databaseUrl(adminUrl, TEMPLATE));
  return { adminUrl, stop };
}

let counter = 0;

/** A new database copied from the migrated template; dropped by the returned `drop`. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `quire_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${templateName()}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(adminUrl, name),
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
