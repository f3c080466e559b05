/**
 * The AI quota checked before a model call (packages/db/src/ai-quota.ts) against real Postgres: concurrent
 * reservations never pass the plan's monthly allowance, a refusal reads like every other limit, and what a call
 * really used is what stays counted.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TIER_LIMITS } from '@quire/domain';
import { createPool, type Pool } from '@quire/db';
import { releaseAiWords, reserveAiWords, settleAiWords } from '@quire/db/ai-quota';
import { setPlanByEmail } from '@quire/db/billing';
import { createTestDatabase } from '@quire/db/testing';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;
let serial = 0;

beforeAll(async () => {
  db = await createTestDatabase(inject('adminUrl'));
  // more connections than the test's concurrent callers, so their transactions really overlap
  pool = createPool(db.url, { max: 24 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

async function account(tier: 'free' | 'pro' | 'team' = 'free'): Promise<string> {
  const email = `writer-${++serial}-${Date.now()}@example.com`;
  const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ($1) returning id`, [email]);
  if (tier !== 'free') await setPlanByEmail(pool, email, tier);
  return rows[0]!.id;
}

async function counted(userId: string, period?: string) {
  const { rows } = await pool.query(
    `select up.ai_words_used_this_month as counter,
            (select coalesce(sum(quantity), 0)::int from public.usage_ledgers l
              where l.user_id = up.id and l.metric = 'ai_words' and ($2::date is null or l.period = $2::date)) as ledger
       from public.user_profiles up where up.id = $1`,
    [userId, period ?? null],
  );
  return rows[0] as { counter: number; ledger: number };
}

const quotaError = (error: unknown) => {
  const pg = error as { code?: string; hint?: string; message?: string };
  return { code: pg.code, hint: pg.hint, message: pg.message };
};

describe('reserving AI words before a model call', () => {
  it('lets 30 concurrent reservations take the free allowance exactly, and refuses the rest with the plan error', async () => {
    const userId = await account('free');
    const limit = TIER_LIMITS.free.ai_words_per_month!;
    // 30 x 300 = 9,000 asked for against 5,000: a read-then-write check would let most of them through
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => reserveAiWords(pool, { userId, words: 300 })));
    const granted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(granted).toHaveLength(Math.floor(limit / 300));
    expect(refused).toHaveLength(30 - Math.floor(limit / 300));
    for (const r of refused) {
      expect(quotaError(r.reason)).toEqual({ code: 'P0001', hint: 'quota:ai_words', message: 'The free plan allows 5,000 AI words a month. Upgrade to use more.' });
    }
    expect(await counted(userId)).toEqual({ counter: Math.floor(limit / 300) * 300, ledger: Math.floor(limit / 300) * 300 });
    // what is left is still usable, to the word
    const left = limit - Math.floor(limit / 300) * 300;
    const last = await reserveAiWords(pool, { userId, words: left });
    expect(last.left).toBe(0);
    await expect(reserveAiWords(pool, { userId, words: 1 })).rejects.toMatchObject({ hint: 'quota:ai_words' });
  });

  it('holds the limit when callers race with different sizes on a paid plan', async () => {
    const userId = await account('pro');
    const limit = TIER_LIMITS.pro.ai_words_per_month!;
    await reserveAiWords(pool, { userId, words: limit - 10_000 });
    const sizes = Array.from({ length: 24 }, (_, i) => 500 + (i % 5) * 250);
    const results = await Promise.allSettled(sizes.map((words) => reserveAiWords(pool, { userId, words })));
    const grantedWords = results.reduce((sum, r, i) => sum + (r.status === 'fulfilled' ? sizes[i]! : 0), 0);
    expect(grantedWords).toBeLessThanOrEqual(10_000);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
    const { counter, ledger } = await counted(userId);
    expect(counter).toBe(limit - 10_000 + grantedWords);
    expect(ledger).toBe(counter);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).message).toBe('The pro plan allows 200,000 AI words a month. Upgrade to use more.');
  });

  it('keeps what a call used, gives back what it did not, and gives everything back when the call fails', async () => {
    const userId = await account('free');
    const used = await reserveAiWords(pool, { userId, words: 1_000 });
    expect(used.left).toBe(4_000);
    const usageId = await settleAiWords(pool, used, { words: 640, feature: 'continue', model: 'test-model', completionTokens: 850 });
    const failed = await reserveAiWords(pool, { userId, words: 2_000 });
    await releaseAiWords(pool, failed);
    expect(await counted(userId)).toEqual({ counter: 640, ledger: 640 });
    const { rows } = await pool.query(`select words, feature from public.ai_usage where id = $1`, [usageId]);
    expect(rows[0]).toEqual({ words: 640, feature: 'continue' });
    // the room given back is usable again
    await expect(reserveAiWords(pool, { userId, words: 5_000 - 640 })).resolves.toMatchObject({ left: 0 });
  });

  it('starts a new month (UTC) without waiting for the reset job, and a late release does not touch the new month', async () => {
    const userId = await account('free');
    const november = new Date('2026-11-30T23:59:00Z');
    const december = new Date('2026-12-01T00:01:00Z');
    // last month's allowance used up
    await pool.query(`update public.user_profiles set ai_words_used_this_month = 0, ai_words_reset_at = '2026-11-01T00:00:00Z' where id = $1`, [userId]);
    const late = await reserveAiWords(pool, { userId, words: 5_000, asOf: november });
    expect(late.period).toBe('2026-11-01');
    await expect(reserveAiWords(pool, { userId, words: 1, asOf: november })).rejects.toMatchObject({ hint: 'quota:ai_words' });
    const fresh = await reserveAiWords(pool, { userId, words: 4_000, asOf: december });
    expect(fresh).toMatchObject({ period: '2026-12-01', left: 1_000 });
    await releaseAiWords(pool, late);
    expect(await counted(userId, '2026-12-01')).toEqual({ counter: 4_000, ledger: 4_000 });
    expect(await counted(userId, '2026-11-01')).toEqual({ counter: 4_000, ledger: 0 });
  });

  it('refuses nonsense before touching the database', async () => {
    const userId = await account('free');
    await expect(reserveAiWords(pool, { userId, words: 0 })).rejects.toThrow(RangeError);
    await expect(reserveAiWords(pool, { userId, words: 2.5 })).rejects.toThrow(RangeError);
    await expect(reserveAiWords(pool, { userId: '00000000-0000-4000-8000-000000000000', words: 10 })).rejects.toMatchObject({ code: 'P0002' });
  });
});
