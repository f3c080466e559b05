/**
 * Plan limits at the database: refused past the limit even when the API is bypassed (a signed-in user's own
 * inserts, and concurrent ones), the downgrade rule (nothing deleted, nothing new past the limit), the storage limit,
 * and owner_tier no longer telling strangers anyone's plan.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIER_LIMITS } from '@quire/domain';
import { addMember, as, asService, createProject, createUser, openTestDatabase, type TestDatabase } from './fixtures';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: { code?: string; hint?: string; message: string }) => ({ code: error.code, hint: error.hint, message: error.message }),
  );

describe('limits at the database', () => {
  it('refuse the n+1th project a free owner creates through their own connection, even when created concurrently', async () => {
    const owner = await createUser(db.pool, { name: 'racer' });
    const limit = TIER_LIMITS.free.projects!;
    const results = await Promise.all(
      Array.from({ length: limit + 3 }, (_, i) =>
        refusal(as(db.pool, owner, (tx) => tx.query('insert into public.projects (user_id, title) values ($1, $2)', [owner.id, `P${i}`]))),
      ),
    );
    expect(results.filter((r) => r === null)).toHaveLength(limit);
    expect(results.filter(Boolean)[0]).toMatchObject({ code: 'P0001', hint: 'quota:projects', message: expect.stringMatching(/plan allows 3 projects/) });
    const { rows } = await db.pool.query('select count(*)::int as n from public.projects where user_id = $1', [owner.id]);
    expect(rows[0].n).toBe(limit);
  });

  it('refuse the n+1th collaborator and the n+1th export of the month', async () => {
    const owner = await createUser(db.pool, { name: 'owner' });
    const projectId = await createProject(db.pool, owner);
    const limit = TIER_LIMITS.free.collaborators!;
    for (let i = 0; i < limit; i++) await addMember(db.pool, projectId, await createUser(db.pool), 'editor');
    const extra = await createUser(db.pool);
    expect(await refusal(addMember(db.pool, projectId, extra, 'viewer'))).toMatchObject({ hint: 'quota:collaborators' });

    const exportsLimit = TIER_LIMITS.free.exports_per_month!;
    const queue = () => as(db.pool, owner, (tx) => tx.query(`insert into public.export_jobs (project_id, user_id, format) values ($1, $2, 'markdown')`, [projectId, owner.id]));
    const results = await Promise.all(Array.from({ length: exportsLimit + 2 }, () => refusal(queue())));
    expect(results.filter((r) => r === null)).toHaveLength(exportsLimit);
    expect(results.find(Boolean)).toMatchObject({ hint: 'quota:exports', message: expect.stringMatching(/allows 5 exports a month/) });
  });

  it('write the ledger for every counted thing, removals as negative rows', async () => {
    const owner = await createUser(db.pool, { tier: 'pro' });
    const projectId = await createProject(db.pool, owner);
    const member = await createUser(db.pool);
    await addMember(db.pool, projectId, member, 'editor');
    await db.pool.query('delete from public.project_members where project_id = $1 and user_id = $2', [projectId, member.id]);
    const { rows } = await db.pool.query(
      `select metric, sum(quantity)::int as net, count(*)::int as n from public.usage_ledgers where user_id = $1 group by metric order by metric`,
      [owner.id],
    );
    expect(rows).toContainEqual({ metric: 'collaborators_added', net: 0, n: 2 });
    // the ledger is append-only for people: no one but the service role writes it
    const forged = await refusal(as(db.pool, owner, (tx) => tx.query(`insert into public.usage_ledgers (user_id, metric, quantity) values ($1, 'exports', -100)`, [owner.id])));
    expect(forged?.code).toBe('42501');
  });

  it('downgrade: nothing is deleted or locked, but nothing new is allowed past the lower limit', async () => {
    const owner = await createUser(db.pool, { tier: 'pro' });
    const projects: string[] = [];
    for (let i = 0; i < 5; i++) projects.push(await createProject(db.pool, owner, `Book ${i}`));
    const members: Awaited<ReturnType<typeof createUser>>[] = [];
    for (let i = 0; i < 4; i++) {
      const member = await createUser(db.pool);
      members.push(member);
      await addMember(db.pool, projects[0]!, member, 'editor');
    }
    await asService(db.pool, (tx) => tx.query(`update public.user_profiles set subscription_tier = 'free' where id = $1`, [owner.id]));

    const { rows } = await as(db.pool, owner, (tx) => tx.query('select id from public.projects where user_id = $1', [owner.id]));
    expect(rows).toHaveLength(5);
    // an existing editor past the limit still edits
    const edited = await as(db.pool, members[3]!, (tx) => tx.query(`update public.projects set title = 'Still mine to edit' where id = $1`, [projects[0]]));
    expect(edited.rowCount).toBe(1);
    expect(await refusal(createProject(db.pool, owner, 'One more'))).toMatchObject({ hint: 'quota:projects' });
    expect(await refusal(addMember(db.pool, projects[0]!, await createUser(db.pool), 'viewer'))).toMatchObject({ hint: 'quota:collaborators' });
    // the owner chooses what to keep: once under the limit, adding works again
    for (const member of members.slice(0, 3)) {
      await db.pool.query('delete from public.project_members where project_id = $1 and user_id = $2', [projects[0], member.id]);
    }
    await addMember(db.pool, projects[0]!, await createUser(db.pool), 'viewer');
  });

  it('refuse pictures past the plan’s storage', async () => {
    const owner = await createUser(db.pool);
    const upload = (bytes: number) =>
      as(db.pool, owner, (tx) =>
        tx.query(`insert into storage.objects (bucket_id, name, owner, metadata) values ('character-images', $1, $2, $3)`, [
          `${owner.id}/${randomUUID()}.png`,
          owner.id,
          JSON.stringify({ size: bytes, mimetype: 'image/png' }),
        ]),
      );
    await upload(60 * 1024 * 1024);
    expect(await refusal(upload(50 * 1024 * 1024))).toMatchObject({ hint: 'quota:storage', message: expect.stringMatching(/allows 100 MB/) });
    await upload(30 * 1024 * 1024);
    const { rows } = await db.pool.query(`select sum(quantity)::bigint as bytes from public.usage_ledgers where user_id = $1 and metric = 'storage_bytes'`, [owner.id]);
    expect(Number(rows[0].bytes)).toBe(90 * 1024 * 1024);
  });
});

describe('owner_tier', () => {
  it('answers members and the service role, and tells a stranger nothing', async () => {
    const owner = await createUser(db.pool, { tier: 'team' });
    const member = await createUser(db.pool);
    const stranger = await createUser(db.pool);
    const projectId = await createProject(db.pool, owner);
    await addMember(db.pool, projectId, member, 'viewer');
    const ask = (user: Parameters<typeof as>[1]) => as(db.pool, user, (tx) => tx.query('select private.owner_tier($1) as tier', [projectId]));
    expect((await ask(member)).rows[0].tier).toBe('team');
    expect((await ask(owner)).rows[0].tier).toBe('team');
    expect((await ask(stranger)).rows[0].tier).toBeNull();
    expect((await asService(db.pool, (tx) => tx.query('select private.owner_tier($1) as tier', [projectId]))).rows[0].tier).toBe('team');
  });

  it('still lets an invitee’s acceptance be checked against the owner’s plan', async () => {
    const owner = await createUser(db.pool);
    const projectId = await createProject(db.pool, owner);
    for (let i = 0; i < TIER_LIMITS.free.collaborators!; i++) await addMember(db.pool, projectId, await createUser(db.pool), 'viewer');
    const invitee = await createUser(db.pool);
    // a non-member's own insert runs the limit trigger, which must still see the free plan (not "unlimited")
    const result = await refusal(as(db.pool, invitee, (tx) => tx.query(`insert into public.project_members (project_id, user_id, role) values ($1, $2, 'viewer')`, [projectId, invitee.id])));
    expect(result).not.toBeNull();
    const { rows } = await db.pool.query('select count(*)::int as n from public.project_members where project_id = $1', [projectId]);
    expect(rows[0].n).toBe(TIER_LIMITS.free.collaborators! + 1);
  });
});
