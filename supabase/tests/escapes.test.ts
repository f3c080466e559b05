/**
 * Ways a signed-in user might try to step outside their role, each tried for real against the policies and triggers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DENIED,
  addMember,
  as,
  asService,
  attempt,
  createDocument,
  createProject,
  createTeam,
  createUser,
  openTestDatabase,
  type Outcome,
  type Team,
  type TestDatabase,
  type TestUser,
} from './fixtures';

let db: TestDatabase;
let team: Team;
/** A second project owned by someone else, where the editor and commenter of `team` are members too. */
let other: { projectId: string; documentId: string; owner: TestUser };

beforeAll(async () => {
  db = await openTestDatabase();
  team = await createTeam(db.pool);
  const owner = await createUser(db.pool, { name: 'other-owner', tier: 'pro' });
  const projectId = await createProject(db.pool, owner, 'Another project');
  await addMember(db.pool, projectId, team.users.commenter, 'commenter');
  const documentId = await createDocument(db.pool, projectId, { title: 'Elsewhere' });
  other = { projectId, documentId, owner };
});

afterAll(async () => {
  await db?.close();
});

function expectRefused(outcome: Outcome) {
  if (outcome.ok) expect(outcome.rowCount, 'the statement changed rows it must not').toBe(0);
  else expect(outcome.code, outcome.message).toBe(DENIED);
}

function expectError(outcome: Outcome, code: string, pattern?: RegExp) {
  expect(outcome.ok, 'the statement should have failed').toBe(false);
  if (!outcome.ok) {
    expect(outcome.code, outcome.message).toBe(code);
    if (pattern) expect(outcome.message).toMatch(pattern);
  }
}

async function commentBy(user: TestUser, projectId = team.projectId, documentId = team.documentId): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Thread') returning id`,
    [projectId, documentId, user.id],
  );
  return rows[0]!.id;
}

describe('documents', () => {
  it('cannot be moved into another project, even by someone who edits both', async () => {
    const { editor } = team.users;
    // make the editor an owner of the other project too, so only the guard stands in the way
    await addMember(db.pool, other.projectId, editor, 'owner');
    try {
      const outcome = await attempt(db.pool, editor, 'update public.documents set project_id = $2 where id = $1', [team.documentId, other.projectId]);
      expectError(outcome, DENIED, /another project/);
      const character = await db.pool.query<{ id: string }>(`insert into public.characters (project_id, name) values ($1, 'Nell') returning id`, [team.projectId]);
      const moved = await attempt(db.pool, editor, 'update public.characters set project_id = $2 where id = $1', [character.rows[0]!.id, other.projectId]);
      expectError(moved, DENIED, /cannot be moved/);
    } finally {
      await db.pool.query('delete from public.project_members where project_id = $1 and user_id = $2', [other.projectId, editor.id]);
    }
  });

  it('cannot get a parent from another project', async () => {
    const outcome = await attempt(db.pool, team.users.owner, 'update public.documents set parent_id = $2 where id = $1', [team.documentId, other.documentId]);
    expectError(outcome, '23514');
  });
});

describe('membership', () => {
  it('an editor cannot promote itself to owner', async () => {
    const { editor } = team.users;
    const outcome = await attempt(db.pool, editor, `update public.project_members set role = 'owner' where project_id = $1 and user_id = $2`, [team.projectId, editor.id]);
    expectRefused(outcome);
    const inserted = await attempt(db.pool, editor, `insert into public.project_members (project_id, user_id, role) values ($1, $2, 'owner')`, [team.projectId, editor.id]);
    expectRefused(inserted);
    const { rows } = await db.pool.query('select role from public.project_members where project_id = $1 and user_id = $2', [team.projectId, editor.id]);
    expect(rows).toEqual([{ role: 'editor' }]);
  });

  it('an editor cannot add itself to another project, by membership, share or invitation', async () => {
    const { editor } = team.users;
    expectRefused(await attempt(db.pool, editor, `insert into public.project_members (project_id, user_id, role) values ($1, $2, 'editor')`, [other.projectId, editor.id]));
    expectRefused(await attempt(db.pool, editor, `insert into public.document_collaborators (document_id, user_id, role) values ($1, $2, 'editor')`, [other.documentId, editor.id]));
    expectRefused(await attempt(db.pool, editor,
      `insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, $2, 'editor', $3, $4)`,
      [other.projectId, editor.email, randomUUID(), editor.id]));
    // and not into its own project's member list either: only owners manage members
    expectRefused(await attempt(db.pool, editor, `insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, 'friend@example.test', 'editor', $2, $3)`,
      [team.projectId, randomUUID(), editor.id]));
  });

  it('the last owner can be neither demoted nor removed, while a second owner makes both possible', async () => {
    const { owner, editor } = team.users;
    const demote = await attempt(db.pool, owner, `update public.project_members set role = 'editor' where project_id = $1 and user_id = $2`, [team.projectId, owner.id]);
    expectError(demote, 'P0001', /needs an owner/);
    const leave = await attempt(db.pool, owner, 'delete from public.project_members where project_id = $1 and user_id = $2', [team.projectId, owner.id]);
    expectError(leave, 'P0001', /needs an owner/);

    await as(db.pool, owner, (tx) => tx.query(`update public.project_members set role = 'owner' where project_id = $1 and user_id = $2`, [team.projectId, editor.id]));
    try {
      const demoted = await attempt(db.pool, owner, `update public.project_members set role = 'editor' where project_id = $1 and user_id = $2`, [team.projectId, owner.id]);
      expect(demoted).toMatchObject({ ok: true, rowCount: 1 });
    } finally {
      await db.pool.query(`update public.project_members set role = 'editor' where project_id = $1 and user_id = $2`, [team.projectId, editor.id]);
    }
  });

  it('a membership cannot be moved to another project', async () => {
    const outcome = await attempt(db.pool, team.users.owner, 'update public.project_members set project_id = $2 where project_id = $1 and user_id = $3',
      [team.projectId, other.projectId, team.users.viewer.id]);
    expectRefused(outcome);
  });
});

describe('comments', () => {
  it('cannot be written under someone else\'s name', async () => {
    const { commenter, editor } = team.users;
    const outcome = await attempt(db.pool, commenter, `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Signed by the editor')`,
      [team.projectId, team.documentId, editor.id]);
    expectError(outcome, DENIED);
  });

  it('someone else\'s comment cannot be edited, not even by an owner', async () => {
    const { owner, editor, commenter } = team.users;
    const id = await commentBy(editor);
    expectRefused(await attempt(db.pool, commenter, `update public.comments set body = 'rewritten' where id = $1`, [id]));
    expectError(await attempt(db.pool, owner, `update public.comments set body = 'rewritten' where id = $1`, [id]), DENIED, /only the author/);
    // while the author can, and an owner may still resolve it
    expect(await attempt(db.pool, editor, `update public.comments set body = 'clearer' where id = $1`, [id])).toMatchObject({ ok: true, rowCount: 1 });
    const resolved = await attempt(db.pool, owner, `update public.comments set resolved_at = now() where id = $1 returning resolved_by`, [id]);
    expect(resolved).toMatchObject({ ok: true, rowCount: 1, rows: [{ resolved_by: owner.id }] });
  });

  it('someone else\'s comment cannot be deleted by a commenter or viewer, only by editors and owners', async () => {
    const { editor, commenter, viewer } = team.users;
    const id = await commentBy(team.users.owner);
    expectRefused(await attempt(db.pool, commenter, 'delete from public.comments where id = $1', [id]));
    expectRefused(await attempt(db.pool, viewer, 'delete from public.comments where id = $1', [id]));
    expect(await attempt(db.pool, editor, 'delete from public.comments where id = $1', [id])).toMatchObject({ ok: true, rowCount: 1 });
    const own = await commentBy(commenter);
    expect(await attempt(db.pool, commenter, 'delete from public.comments where id = $1', [own])).toMatchObject({ ok: true, rowCount: 1 });
  });

  it('cannot be re-parented or moved across projects', async () => {
    const { commenter } = team.users;
    const mine = await commentBy(commenter);
    const thread = await commentBy(commenter, other.projectId, other.documentId);
    expectError(await attempt(db.pool, commenter, 'update public.comments set parent_id = $2 where id = $1', [mine, thread]), DENIED, /moved/);
    expectError(await attempt(db.pool, commenter, 'update public.comments set project_id = $2, document_id = $3 where id = $1', [mine, other.projectId, other.documentId]), DENIED, /moved/);
    // a new reply in this project to a thread of the other project
    const reply = await attempt(db.pool, commenter, `insert into public.comments (project_id, document_id, user_id, parent_id, body) values ($1, $2, $3, $4, 'Reply')`,
      [team.projectId, team.documentId, commenter.id, thread]);
    expectError(reply, '23514', /same document/);
    // a comment claiming this project but sitting on the other project's document
    const straddling = await attempt(db.pool, commenter, `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Hi')`,
      [team.projectId, other.documentId, commenter.id]);
    expectError(straddling, '23514', /document's project/);
  });

  it('a viewer cannot comment', async () => {
    const { viewer } = team.users;
    expectError(await attempt(db.pool, viewer, `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Hi')`,
      [team.projectId, team.documentId, viewer.id]), DENIED);
  });
});

describe('stored versions', () => {
  it('cannot be updated or deleted by anyone, and service_role cannot rewrite them either', async () => {
    const { owner } = team.users;
    const { rows } = await as(db.pool, owner, (tx) =>
      tx.query<{ id: string }>(`insert into public.document_versions (document_id, project_id, user_id, label) values ($1, $2, $3, 'Draft 1') returning id`,
        [team.documentId, team.projectId, owner.id]));
    const id = rows[0]!.id;
    expectRefused(await attempt(db.pool, owner, `update public.document_versions set label = 'Forged' where id = $1`, [id]));
    expectRefused(await attempt(db.pool, owner, 'delete from public.document_versions where id = $1', [id]));
    expectError(await attempt(db.pool, 'service', `update public.document_versions set plain_text = 'Forged' where id = $1`, [id]), DENIED, /cannot be changed/);
    const kept = await db.pool.query('select label from public.document_versions where id = $1', [id]);
    expect(kept.rows).toEqual([{ label: 'Draft 1' }]);
  });

  it('cannot be filed under another project', async () => {
    const { owner } = team.users;
    await addMember(db.pool, other.projectId, owner, 'editor');
    const outcome = await attempt(db.pool, owner, 'insert into public.document_versions (document_id, project_id, user_id) values ($1, $2, $3)',
      [team.documentId, other.projectId, owner.id]);
    expectError(outcome, '23514');
  });
});

describe('character-images storage', () => {
  const insertObject = `insert into storage.objects (bucket_id, name, owner) values ('character-images', $1, $2)`;

  it('a user uploads, lists, replaces and deletes in their own folder', async () => {
    const { editor } = team.users;
    const name = `${editor.id}/portrait.png`;
    expect(await attempt(db.pool, editor, insertObject, [name, editor.id])).toMatchObject({ ok: true, rowCount: 1 });
    await as(db.pool, editor, (tx) => tx.query(insertObject, [`${editor.id}/sketches/hero.webp`, editor.id]));
    const listed = await as(db.pool, editor, (tx) =>
      tx.query(`select name from storage.objects where bucket_id = 'character-images' order by name`));
    expect(listed.rows.map((r) => r.name)).toEqual([`${editor.id}/sketches/hero.webp`]);
    expect(await attempt(db.pool, editor, `update storage.objects set name = $2 where name = $1`, [`${editor.id}/sketches/hero.webp`, `${editor.id}/hero.webp`]))
      .toMatchObject({ ok: true, rowCount: 1 });
    expect(await attempt(db.pool, editor, 'delete from storage.objects where name = $1', [`${editor.id}/sketches/hero.webp`])).toMatchObject({ ok: true, rowCount: 1 });
  });

  it('nobody uploads into, lists, renames into or empties another user\'s folder', async () => {
    const { owner, viewer } = team.users;
    await db.pool.query(insertObject, [`${owner.id}/secret.png`, owner.id]);
    expectError(await attempt(db.pool, viewer, insertObject, [`${owner.id}/planted.png`, viewer.id]), DENIED);
    const listing = await attempt(db.pool, viewer, `select name from storage.objects where name like $1`, [`${owner.id}/%`]);
    expect(listing).toMatchObject({ ok: true, rowCount: 0 });
    expectRefused(await attempt(db.pool, viewer, 'delete from storage.objects where name = $1', [`${owner.id}/secret.png`]));
    expectRefused(await attempt(db.pool, viewer, `update storage.objects set metadata = '{}' where name = $1`, [`${owner.id}/secret.png`]));
    // moving one's own object into someone else's folder is an upload there
    await db.pool.query(insertObject, [`${viewer.id}/mine.png`, viewer.id]);
    expectError(await attempt(db.pool, viewer, 'update storage.objects set name = $2 where name = $1', [`${viewer.id}/mine.png`, `${owner.id}/mine.png`]), DENIED);
    // anon sees nothing even though the bucket is public: public reads go by URL, not by listing
    expect(await attempt(db.pool, null, `select name from storage.objects where bucket_id = 'character-images'`)).toMatchObject({ ok: true, rowCount: 0 });
    expectError(await attempt(db.pool, null, insertObject, [`${owner.id}/anon.png`, null]), DENIED);
  });

  it('refuses names with ../ or ./ segments, a leading slash, empty segments, or no file part', async () => {
    const { viewer, owner } = team.users;
    const bad = [
      `${viewer.id}/../${owner.id}/x.png`,
      `${viewer.id}/..`,
      `${viewer.id}/./x.png`,
      `/${viewer.id}/x.png`,
      `${viewer.id}//x.png`,
      `${viewer.id}/x.png/`,
      `${viewer.id}`,
      `${viewer.id}/a\\..\\b.png`,
      `${viewer.id}/bad\nname.png`,
    ];
    for (const name of bad) {
      expectError(await attempt(db.pool, viewer, insertObject, [name, viewer.id]), DENIED);
    }
    expect(await attempt(db.pool, viewer, insertObject, [`${viewer.id}/..hidden.png`, viewer.id])).toMatchObject({ ok: true, rowCount: 1 });
  });

  it('give nothing in other buckets', async () => {
    await db.pool.query(`insert into storage.buckets (id, name) values ('elsewhere', 'elsewhere') on conflict do nothing`);
    const { viewer } = team.users;
    expectError(await attempt(db.pool, viewer, `insert into storage.objects (bucket_id, name) values ('elsewhere', $1)`, [`${viewer.id}/x.png`]), DENIED);
    const bucket = await db.pool.query(`select public from storage.buckets where id = 'character-images'`);
    expect(bucket.rows).toEqual([{ public: false }]);
  });
});

describe('document shares', () => {
  it('reach one document and its project row, not the rest of the project', async () => {
    const { owner } = team.users;
    const guest = await createUser(db.pool, { name: 'guest' });
    const secret = await createDocument(db.pool, team.projectId, { title: 'Unshared' });
    await db.pool.query(`insert into public.characters (project_id, name) values ($1, 'Hidden')`, [team.projectId]);
    await as(db.pool, owner, (tx) =>
      tx.query(`insert into public.document_collaborators (document_id, user_id, role) values ($1, $2, 'commenter')`, [team.documentId, guest.id]));
    const seen = await as(db.pool, guest, async (tx) => ({
      documents: (await tx.query('select id from public.documents')).rows.map((r) => r.id),
      projects: (await tx.query('select id from public.projects')).rows.map((r) => r.id),
      members: (await tx.query('select user_id from public.project_members')).rowCount,
      characters: (await tx.query('select id from public.characters')).rowCount,
    }));
    expect(seen).toEqual({ documents: [team.documentId], projects: [team.projectId], members: 0, characters: 0 });
    expect(await attempt(db.pool, guest, `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'From outside')`,
      [team.projectId, team.documentId, guest.id])).toMatchObject({ ok: true, rowCount: 1 });
    expectError(await attempt(db.pool, guest, `insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Sneaky')`,
      [team.projectId, secret, guest.id]), DENIED);
    expectRefused(await attempt(db.pool, guest, `update public.documents set title = 'Mine now' where id = $1`, [team.documentId]));
  });
});

describe('invitations', () => {
  it('are accepted only by the invited address, and only once', async () => {
    const { owner } = team.users;
    const invitee = await createUser(db.pool, { email: `invitee-${randomUUID().slice(0, 8)}@example.test` });
    const intruder = await createUser(db.pool, { name: 'intruder' });
    const tokenHash = randomUUID();
    await as(db.pool, owner, (tx) =>
      tx.query(`insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, $2, 'viewer', $3, $4)`,
        [team.projectId, invitee.email, tokenHash, owner.id]));
    expectError(await attempt(db.pool, intruder, 'select public.accept_invitation($1)', [tokenHash]), DENIED, /sent to/);
    expectError(await attempt(db.pool, null, 'select public.accept_invitation($1)', [tokenHash]), DENIED);
    const joined = await as(db.pool, invitee, (tx) => tx.query('select public.accept_invitation($1) as project_id', [tokenHash]));
    expect(joined.rows).toEqual([{ project_id: team.projectId }]);
    const role = await db.pool.query('select role from public.project_members where project_id = $1 and user_id = $2', [team.projectId, invitee.id]);
    expect(role.rows).toEqual([{ role: 'viewer' }]);
    expectError(await attempt(db.pool, intruder, 'select public.accept_invitation($1)', [tokenHash]), 'P0001', /already been used/);
  });
});

describe('service_role', () => {
  it('writes the per-user records users may only read', async () => {
    const { owner, editor } = team.users;
    await asService(db.pool, (tx) =>
      tx.query(`insert into public.ai_usage (user_id, project_id, feature, model, words) values ($1, $2, 'continue', 'm', 40)`, [editor.id, team.projectId]));
    const ownRows = await as(db.pool, editor, (tx) => tx.query('select user_id from public.ai_usage'));
    expect(ownRows.rows).toEqual([{ user_id: editor.id }]);
    const ownerSees = await as(db.pool, owner, (tx) => tx.query('select 1 from public.ai_usage where user_id = $1', [editor.id]));
    expect(ownerSees.rowCount).toBe(0);
  });
});
