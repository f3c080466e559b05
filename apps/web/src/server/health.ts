import type { Pool } from '@quire/db/pool';

export interface PartHealth {
  ok: boolean;
  detail: string;
  latencyMs: number | null;
}

export interface Health {
  database: PartHealth;
  collab: PartHealth;
}

async function timed(fn: () => Promise<string>): Promise<PartHealth> {
  const started = performance.now();
  try {
    const detail = await fn();
    return { ok: true, detail, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, detail: (error as Error).message || 'unreachable', latencyMs: null };
  }
}

export async function checkHealth(pool: Pool, collabHealthUrl: string): Promise<Health> {
  const [database, collab] = await Promise.all([
    timed(async () => {
      const connecting = pool.connect();
      let timer: NodeJS.Timeout | undefined;
      const client = await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // a connection that arrives after we gave up goes straight back to the pool
            connecting.then((late) => late.release()).catch(() => {});
            reject(new Error('no answer within 3 s'));
          }, 3000);
        }),
      ]).finally(() => clearTimeout(timer));
      try {
        const { rows } = await client.query<{ v: string }>(`select current_setting('server_version') as v`);
        return `Postgres ${rows[0]!.v.split(' ')[0]}`;
      } finally {
        client.release();
      }
    }),
    timed(async () => {
      const response = await fetch(collabHealthUrl, { signal: AbortSignal.timeout(3000), cache: 'no-store' });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      return 'accepting connections';
    }),
  ]);
  return { database, collab };
}
