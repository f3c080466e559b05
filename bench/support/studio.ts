import type { BrowserContext, Page } from 'playwright-core';
import { createPool, ensureDatabase } from '@quire/db';
import { startService, type Service } from '../../e2e/support/service';

/** One signed-in writer of a browser bench: their own browser profile and a page of theirs. */
export interface Person {
  name: string;
  context: BrowserContext;
  page: Page;
}

export interface RunningStudio {
  service: Service;
  /** The studio's database as a superuser sees it, for seeding rows and measuring bare SQL beside the API. */
  databaseUrl: string;
  dropDatabase: () => Promise<void>;
}

/**
 * The real studio (scripts/launch.ts through the e2e launcher): web, collab, worker and Postgres. With a server URL in
 * BENCH_DATABASE_URL or TEST_DATABASE_URL it runs on a fresh database there (`<bench>_bench_…`), dropped afterwards;
 * without one the launcher starts its embedded Postgres. BENCH_URL with BENCH_COLLAB_PORT (and BENCH_STUDIO_DATABASE_URL
 * for benches that seed) uses a studio that is already running.
 */
export async function startStudio(bench: string): Promise<RunningStudio> {
  if (process.env.BENCH_URL && process.env.BENCH_COLLAB_PORT) {
    const url = process.env.BENCH_URL;
    const databaseUrl = process.env.BENCH_STUDIO_DATABASE_URL ?? '';
    const running: Service = { url, port: Number(new URL(url).port), collabPort: Number(process.env.BENCH_COLLAB_PORT), dataDir: '', databaseUrl, output: () => '', stop: async () => {} };
    return { service: running, databaseUrl, dropDatabase: async () => {} };
  }
  // a session outlives the run: the measured pages never refresh a token mid-measurement
  const env: NodeJS.ProcessEnv = { ACCESS_TOKEN_TTL_SECONDS: '86400', LOG_LEVEL: 'warn' };
  const server = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let dropDatabase = async () => {};
  if (server) {
    const name = `quire_${bench}_bench_${process.pid}_${Date.now().toString(36)}`;
    env.DATABASE_URL = await ensureDatabase(server, name);
    dropDatabase = async () => {
      const admin = createPool(server, { max: 1, applicationName: `quire-${bench}-bench` });
      try {
        await admin.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await admin.end();
      }
    };
  }
  try {
    const service = await startService({ env, timeoutMs: 10 * 60_000 });
    return { service, databaseUrl: env.DATABASE_URL ?? service.databaseUrl, dropDatabase };
  } catch (error) {
    await dropDatabase().catch(() => {});
    throw error;
  }
}

/** The access token the web app hands its own editor (GET /api/session, which refreshes the cookie first). */
export async function accessToken(person: Person): Promise<string> {
  const token = await person.page.evaluate(async () => {
    const response = await fetch('/api/session', { cache: 'no-store', credentials: 'same-origin' });
    return ((await response.json()) as { accessToken?: string }).accessToken ?? null;
  });
  if (!token) throw new Error(`${person.name} has no session`);
  return token;
}
