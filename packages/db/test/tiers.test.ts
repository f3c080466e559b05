import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TIER_LIMITS, TIERS, type TierLimits } from '@quire/domain';
import { createPool, type Pool } from '@quire/db';
import { createTestDatabase } from '@quire/db/testing';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  pool = createPool(db.url);
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe('plan limits', () => {
  it('are the same numbers in packages/domain and in the database that enforces them', async () => {
    for (const tier of TIERS) {
      for (const limit of Object.keys(TIER_LIMITS[tier]) as (keyof TierLimits)[]) {
        const { rows } = await pool.query('select private.tier_limit($1, $2) as value', [tier, limit]);
        expect({ tier, limit, value: rows[0].value }).toEqual({ tier, limit, value: TIER_LIMITS[tier][limit] });
      }
    }
  });
});
