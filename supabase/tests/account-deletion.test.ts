/**
 * Deleting an account never takes a project that other members still work in: it passes to another owner, or the
 * deletion stops with a sentence naming the project. public.transfer_project hands a project over by choice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, as, attempt, createDocument, createProject, createTeam, createUser, openTestDatabase, type TestDatabase, type TestUser } from './fixtures';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

async function deleteAccount(user: TestUser): Promise<{ ok: true } | { ok: false; code: string; message: string; hint: string }> {
  try {
    await db.pool.query('delete from auth.users where id = $1', [user.id]);
    return { ok: true };
  } catch (error) {
    const e = error as { code: string; message: string; hint: string };
    return { ok: false, code: e.code, message: e.message, hint: e.hint };
  }
}

const exists = async (table: string, id: string) => (await db.pool.query(`select 1 from ${table} where id = $1`, [id])).rowCount === 1;

describe('deleting an account', () => {
  it('takes a project nobody else works in along with it', async () => {
    const solo = await createUser(db.pool, { name: 'solo' });
    const projectId = await createProject(db.pool, solo, 'Private diary');
    await createDocument(db.pool, projectId);
    expect(await deleteAccount(solo)).toEqual({ ok: true });
    expect(await exists('public.projects', projectId)).toBe(false);
  });

  it('refuses while it owns a project other members work in, naming it, and changes nothing', async () => {
    const team = await createTeam(db.pool, { title: 'The Lighthouse' });
    const soloProject = await createProject(db.pool, team.users.owner, 'Notebook');
    const refused = await deleteAccount(team.users.owner);
    expect(refused).toMatchObject({ ok: false, code: 'P0001', hint: 'account:owns_shared_projects' });
    expect(refused.ok === false && refused.message).toMatch(/still owns a project that other people work in: "The Lighthouse"\. Hand each one to another member/);
    expect(await exists('auth.users', team.users.owner.id)).toBe(true);
    expect(await exists('public.projects', team.projectId)).toBe(true);
    expect(await exists('public.projects', soloProject)).toBe(true);
    expect(await exists('public.documents', team.documentId)).toBe(true);
  });

  it('passes the project to another owner among its members, who keeps all of it', async () => {
    const team = await createTeam(db.pool);
    const coOwner = await createUser(db.pool, { name: 'co-owner' });
    await addMember(db.pool, team.projectId, coOwner, 'owner');
    expect(await deleteAccount(team.users.owner)).toEqual({ ok: true });
    const { rows } = await db.pool.query('select user_id from public.projects where id = $1', [team.projectId]);
    expect(rows).toEqual([{ user_id: coOwner.id }]);
    expect(await exists('public.documents', team.documentId)).toBe(true);
    const members = await db.pool.query('select user_id, role from public.project_members where project_id = $1 order by role', [team.projectId]);
    expect(members.rows.map((r) => r.user_id)).not.toContain(team.users.owner.id);
    expect(members.rows.find((r) => r.user_id === coOwner.id)?.role).toBe('owner');
  });

  it('goes through once the owner has handed the project to a member of their choice', async () => {
    const team = await createTeam(db.pool);
    const { owner, editor, viewer, nonMember } = team.users;
    const transfer = (by: TestUser, to: TestUser) => attempt(db.pool, by, 'select public.transfer_project($1, $2)', [team.projectId, to.id]);
    expect(await transfer(editor, editor)).toMatchObject({ ok: false, code: '42501' });
    expect(await transfer(owner, nonMember)).toMatchObject({ ok: false, message: 'Only a member of the project can become its owner. Invite them first.' });
    expect(await transfer(owner, owner)).toMatchObject({ ok: false, code: 'P0001' });
    // signed-in users still cannot rewrite the owner of record by hand
    expect(await attempt(db.pool, owner, 'update public.projects set user_id = $2 where id = $1', [team.projectId, editor.id])).toMatchObject({ ok: false, code: '42501' });

    await as(db.pool, owner, (tx) => tx.query('select public.transfer_project($1, $2)', [team.projectId, viewer.id]));
    const roles = await db.pool.query('select user_id, role from public.project_members where project_id = $1', [team.projectId]);
    const roleOf = (u: TestUser) => roles.rows.find((r) => r.user_id === u.id)?.role;
    expect([roleOf(viewer), roleOf(owner)]).toEqual(['owner', 'editor']);
    expect(await deleteAccount(owner)).toEqual({ ok: true });
    const { rows } = await db.pool.query('select user_id from public.projects where id = $1', [team.projectId]);
    expect(rows).toEqual([{ user_id: viewer.id }]);
  });

  it('refuses a hand-over that would take the new owner past their plan', async () => {
    const team = await createTeam(db.pool);
    const { owner, editor } = team.users;
    // the free plan's project allowance, filled
    const { rows } = await db.pool.query(`select private.tier_limit('free', 'projects') as n`);
    for (let i = 0; i < rows[0].n; i++) await createProject(db.pool, editor, `Editor's own ${i}`);
    const refused = await attempt(db.pool, owner, 'select public.transfer_project($1, $2)', [team.projectId, editor.id]);
    expect(refused).toMatchObject({ ok: false, code: 'P0001' });
    expect(refused.ok === false && refused.message).toMatch(/Their free plan allows \d+ projects/);
  });
});
