// The ProvidedContext augmentation that types inject('adminUrl').
import type {} from '../../../test/global-setup';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createPool, type Pool } from '@quire/db';
import { closeJobConnections } from '@quire/db/jobs';
import { scheduleMentions } from '@quire/db/bible-mentions';
import { createTestDatabase } from '@quire/db/testing';
import { startWorker, type RunningWorker } from '../src/worker';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let worker: RunningWorker;

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url, { max: 3, applicationName: 'worker-test' });
  worker = await startWorker({ databaseUrl: db.url, port: 0, pollSeconds: 0.5 }, { logger: pino({ level: 'silent' }) });
});

afterAll(async () => {
  await worker?.stop();
  await closeJobConnections();
  await pool?.end();
  await db?.drop();
});

describe('the bible-mentions job', () => {
  it('stores a document\'s mentions after a store, debounced: a burst of stores gives one scan now and one after', async () => {
    const user = randomUUID();
    await pool.query(`insert into auth.users (id, email, aud, role) values ($1, $2, 'authenticated', 'authenticated')`, [user, `${user}@example.test`]);
    const project = (await pool.query('insert into public.projects (user_id, title) values ($1, $2) returning id', [user, 'Job'])).rows[0].id as string;
    await pool.query(`insert into public.characters (project_id, name, aliases) values ($1, 'Zoë', '{Zo}')`, [project]);
    const doc = (await pool.query(`insert into public.documents (project_id, title, plain_text) values ($1, 'One', 'Zoë waved. Zo smiled.') returning id`, [project])).rows[0].id as string;

    const first = await scheduleMentions(pool, { documentId: doc });
    expect(first).not.toBeNull();
    // the same slot is taken: the next store goes to the next slot, and the one after that is dropped
    const second = await scheduleMentions(pool, { documentId: doc });
    const third = await scheduleMentions(pool, { documentId: doc });
    expect(second).not.toBeNull();
    expect(third).toBeNull();

    const count = async () => (await pool.query('select mentions from public.document_mentions where document_id = $1 and character_id is not null', [doc])).rows[0]?.mentions;
    expect(await waitFor('the first scan', count)).toBe(2);

    // a project-wide rescan after the names changed
    await pool.query(`insert into public.characters (project_id, name) values ($1, 'Marek')`, [project]);
    await pool.query(`update public.documents set plain_text = 'Zoë met Marek.' where id = $1`, [doc]);
    await scheduleMentions(pool, { projectId: project });
    const names = async () => {
      const { rows } = await pool.query(
        `select c.name from public.document_mentions m join public.characters c on c.id = m.character_id where m.document_id = $1 order by c.name`, [doc]);
      return rows.length === 2 && rows.map((r) => r.name);
    };
    expect(await waitFor('the rescan', names)).toEqual(['Marek', 'Zoë']);
  });
});
