import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createPool, ServiceConnection, type Pool } from '@quire/db';
import { createTestDatabase } from '@quire/db/testing';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url, { max: 3 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

const whoAmI = 'select current_user as role, pg_backend_pid() as pid';

describe('ServiceConnection', () => {
  it('runs every statement as service_role, keeps that role off the pool, and reopens after its server process dies', async () => {
    const service = new ServiceConnection(pool);
    try {
      const [first] = await service.query<{ role: string; pid: number }>(whoAmI, []);
      expect(first!.role).toBe('service_role');
      const [again] = await service.query<{ role: string; pid: number }>(whoAmI, []);
      expect(again!.pid).toBe(first!.pid);
      // The pool's other connections are untouched by the service session.
      expect((await pool.query<{ role: string }>(whoAmI)).rows[0]!.role).not.toBe('service_role');

      await pool.query('select pg_terminate_backend($1)', [first!.pid]);
      // The query that meets the dead connection may fail; the one after it runs on a fresh connection.
      let after: { role: string; pid: number } | undefined;
      for (let attempt = 0; attempt < 3 && !after; attempt++) {
        after = await service.query<{ role: string; pid: number }>(whoAmI, []).then(
          (rows) => rows[0],
          () => undefined,
        );
      }
      expect(after).toBeDefined();
      expect(after!.pid).not.toBe(first!.pid);
      expect(after!.role).toBe('service_role');
    } finally {
      service.close();
    }
  });
});
