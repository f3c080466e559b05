/**
 * What the database does on its own: profiles on signup, owner membership, version retention by plan, cascades,
 * plan limits, the usage ledger and updated_at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tier } from '@quire/domain';
import {
  as,
  asService,
  attempt,
  createDocument,
  createProject,
  createTeam,
  createUser,
  openTestDatabase,
  type TestDatabase,
} from './fixtures';

let db: TestDatabase;

beforeAll(async () => {
  db = await openTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) t`, params);
  return rows[0]!.n;
}

describe('signup', () => {
  it('gives every new auth user a free profile named from their metadata or email', async () => {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into auth.users (email, raw_user_meta_data) values ('ada@example.test', '{"full_name": "Ada L."}'), ('bare@example.test', '{}') returning id`,
    );
    const profiles = await db.pool.query(
      `select email, display_name, subscription_tier, ai_words_used_this_month from public.user_profiles where id = any($1) order by email`,
      [rows.map((r) => r.id)],
    );
    expect(profiles.rows).toEqual([
      { email: 'ada@example.test', display_name: 'Ada L.', subscription_tier: 'free', ai_words_used_this_month: 0 },
      { email: 'bare@example.test', display_name: 'bare', subscription_tier: 'free', ai_words_used_this_month: 0 },
    ]);
  });

  it('keeps the profile email in step with auth.users', async () => {
    const user = await createUser(db.pool, { name: 'mover' });
    await db.pool.query(`update auth.users set email = 'moved@example.test' where id = $1`, [user.id]);
    const { rows } = await db.pool.query('select email from public.user_profiles where id = $1', [user.id]);
    expect(rows).toEqual([{ email: 'moved@example.test' }]);
  });
});

describe('projects', () => {
  it('make their creator the owner member', async () => {
    const user = await createUser(db.pool, { name: 'creator' });
    const { rows } = await as(db.pool, user, (tx) =>
      tx.query<{ id: string }>(`insert into public.projects (user_id, title) values ($1, 'Mine') returning id`, [user.id]));
    const members = await db.pool.query('select user_id, role from public.project_members where project_id = $1', [rows[0]!.id]);
    expect(members.rows).toEqual([{ user_id: user.id, role: 'owner' }]);
  });

  it('cannot be created for someone else', async () => {
    const user = await createUser(db.pool);
    const victim = await createUser(db.pool);
    const outcome = await attempt(db.pool, user, `insert into public.projects (user_id, title) values ($1, 'Yours')`, [victim.id]);
    expect(outcome).toMatchObject({ ok: false, code: '42501' });
  });

  it('stop at the free plan\'s limit of three', async () => {
    const user = await createUser(db.pool);
    for (let i = 0; i < 3; i++) await createProject(db.pool, user, `P${i}`);
    const outcome = await attempt(db.pool, user, `insert into public.projects (user_id, title) values ($1, 'Fourth')`, [user.id]);
    expect(outcome).toMatchObject({ ok: false, code: 'P0001' });
  });

  it('stop adding collaborators at the owner\'s plan limit, counting pending invitations', async () => {
    const team = await createTeam(db.pool, { ownerTier: 'free' }).catch((error: Error) => error);
    // the team fixture adds three collaborators; the free plan allows two
    expect(team).toBeInstanceOf(Error);
    expect((team as Error).message).toMatch(/allows 2 collaborators/);
    const owner = await createUser(db.pool);
    const projectId = await createProject(db.pool, owner);
    const friend = await createUser(db.pool);
    await db.pool.query(`insert into public.project_members (project_id, user_id, role) values ($1, $2, 'editor')`, [projectId, friend.id]);
    await as(db.pool, owner, (tx) =>
      tx.query(`insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, 'a@example.test', 'viewer', 'h1', $2)`, [projectId, owner.id]));
    const third = await attempt(db.pool, owner,
      `insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, 'b@example.test', 'viewer', 'h2', $2)`, [projectId, owner.id]);
    expect(third).toMatchObject({ ok: false, code: 'P0001' });
  });
});

describe('version retention', () => {
  /** Versions backdated the way time would have aged them (triggers off only for this superuser insert). */
  async function agedVersions(documentId: string, projectId: string, ages: number[]) {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`set local session_replication_role = replica`);
      for (const days of ages) {
        await client.query(
          `insert into public.document_versions (document_id, project_id, label, created_at) values ($1, $2, $3, now() - make_interval(days => $4))`,
          [documentId, projectId, `${days}d`, days],
        );
      }
      await client.query('commit');
    } finally {
      client.release();
    }
  }

  async function retained(tier: Tier): Promise<string[]> {
    const owner = await createUser(db.pool, { tier });
    const projectId = await createProject(db.pool, owner);
    const documentId = await createDocument(db.pool, projectId);
    await agedVersions(documentId, projectId, [400, 40, 20]);
    // a new snapshot, written as the owner like the collab server does, triggers the pruning
    await as(db.pool, owner, (tx) =>
      tx.query(`insert into public.document_versions (document_id, project_id, user_id, label) values ($1, $2, $3, 'now')`, [documentId, projectId, owner.id]));
    const { rows } = await db.pool.query<{ label: string }>('select label from public.document_versions where document_id = $1 order by created_at', [documentId]);
    return rows.map((r) => r.label);
  }

  it('keeps 30 days on the free plan', async () => {
    expect(await retained('free')).toEqual(['20d', 'now']);
  });

  it('keeps a year on pro', async () => {
    expect(await retained('pro')).toEqual(['40d', '20d', 'now']);
  });

  it('keeps everything on team', async () => {
    expect(await retained('team')).toEqual(['400d', '40d', '20d', 'now']);
  });

  it('follows the owner\'s plan, not the plan of the editor who saved', async () => {
    const team = await createTeam(db.pool, { ownerTier: 'pro' });
    await db.pool.query(`update public.user_profiles set subscription_tier = 'free' where id = $1`, [team.users.owner.id]);
    await db.pool.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [team.users.editor.id]);
    await agedVersions(team.documentId, team.projectId, [40]);
    await as(db.pool, team.users.editor, (tx) =>
      tx.query(`insert into public.document_versions (document_id, project_id, user_id) values ($1, $2, $3)`, [team.documentId, team.projectId, team.users.editor.id]));
    expect(await count(`select 1 from public.document_versions where document_id = $1 and label = '40d'`, [team.documentId])).toBe(0);
  });
});

describe('cascades', () => {
  async function populated() {
    const team = await createTeam(db.pool);
    const p = team.projectId;
    const d = team.documentId;
    const q = (sql: string, params: unknown[]) => db.pool.query(sql, params);
    const keep = await createDocument(db.pool, p, { title: 'Survivor' });
    await q(`insert into public.document_versions (document_id, project_id) values ($1, $2)`, [d, p]);
    await q(`insert into public.document_updates (document_id, update) values ($1, '\\x01')`, [d]);
    await q(`insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'x')`, [p, d, team.users.owner.id]);
    const outline = await q(`insert into public.outlines (project_id, document_id) values ($1, $2) returning id`, [p, d]);
    await q(`insert into public.outline_sections (outline_id, title) values ($1, 'One')`, [outline.rows[0].id]);
    const wholeOutline = await q(`insert into public.outlines (project_id) values ($1) returning id`, [p]);
    await q(`insert into public.outline_sections (outline_id, document_id, title) values ($1, $2, 'Two')`, [wholeOutline.rows[0].id, d]);
    const analysis = await q(`insert into public.plot_analyses (project_id, document_id) values ($1, $2) returning id`, [p, d]);
    await q(`insert into public.plot_issues (analysis_id, severity, category, title) values ($1, 'low', 'tone', 't')`, [analysis.rows[0].id]);
    await q(`insert into public.story_beats (project_id, document_id, name) values ($1, $2, 'Beat')`, [p, d]);
    const location = await q(`insert into public.locations (project_id, name) values ($1, 'Inn') returning id`, [p]);
    await q(`insert into public.location_events (location_id, document_id, title) values ($1, $2, 'Fight')`, [location.rows[0].id, d]);
    const hero = await q(`insert into public.characters (project_id, name) values ($1, 'A') returning id`, [p]);
    const foe = await q(`insert into public.characters (project_id, name) values ($1, 'B') returning id`, [p]);
    await q(`insert into public.character_relationships (character_id, related_character_id, kind) values ($1, $2, 'enemy')`, [hero.rows[0].id, foe.rows[0].id]);
    await q(`insert into public.character_arcs (character_id) values ($1)`, [hero.rows[0].id]);
    await q(`insert into public.export_jobs (project_id, document_id, format) values ($1, $2, 'pdf')`, [p, d]);
    await q(`insert into public.ai_context_snapshots (project_id, document_id, kind, content) values ($1, $2, 'summary', '{}')`, [p, d]);
    await q(`insert into public.content_metrics (project_id, document_id, day) values ($1, $2, current_date)`, [p, d]);
    await q(`insert into public.ai_usage (user_id, project_id, document_id, feature, model) values ($1, $2, $3, 'chat', 'm')`, [team.users.editor.id, p, d]);
    return { team, keep };
  }

  it('deleting a document takes its versions, log, comments, outlines and analyses, and unlinks beats and events', async () => {
    const { team } = await populated();
    const d = team.documentId;
    await as(db.pool, team.users.editor, (tx) => tx.query('delete from public.documents where id = $1', [d]));
    const left = {
      versions: await count('select 1 from public.document_versions where document_id = $1', [d]),
      updates: await count('select 1 from public.document_updates where document_id = $1', [d]),
      comments: await count('select 1 from public.comments where document_id = $1', [d]),
      outlines: await count('select 1 from public.outlines where document_id = $1', [d]),
      sections: await count('select 1 from public.outline_sections where project_id = $1', [team.projectId]),
      analyses: await count('select 1 from public.plot_analyses where project_id = $1', [team.projectId]),
      issues: await count('select 1 from public.plot_issues where project_id = $1', [team.projectId]),
      exports: await count('select 1 from public.export_jobs where project_id = $1', [team.projectId]),
      snapshots: await count('select 1 from public.ai_context_snapshots where project_id = $1', [team.projectId]),
      metrics: await count('select 1 from public.content_metrics where project_id = $1', [team.projectId]),
      unlinkedBeats: await count('select 1 from public.story_beats where project_id = $1 and document_id is null', [team.projectId]),
      unlinkedEvents: await count('select 1 from public.location_events where project_id = $1 and document_id is null', [team.projectId]),
      projectOutlines: await count('select 1 from public.outlines where project_id = $1', [team.projectId]),
      usageKept: await count('select 1 from public.ai_usage where project_id = $1 and document_id is null', [team.projectId]),
    };
    expect(left).toEqual({
      versions: 0, updates: 0, comments: 0, outlines: 0, sections: 0, analyses: 0, issues: 0, exports: 0, snapshots: 0,
      metrics: 0, unlinkedBeats: 1, unlinkedEvents: 1, projectOutlines: 1, usageKept: 1,
    });
  });

  it('deleting a project takes everything in it and leaves per-user records unlinked', async () => {
    const { team } = await populated();
    const p = team.projectId;
    await as(db.pool, team.users.owner, (tx) => tx.query('delete from public.projects where id = $1', [p]));
    const tables = ['documents', 'project_members', 'document_versions', 'comments', 'outlines', 'outline_sections', 'story_beats',
      'plot_analyses', 'plot_issues', 'characters', 'character_relationships', 'character_arcs', 'locations', 'location_events',
      'export_jobs', 'ai_context_snapshots', 'content_metrics', 'invitations'];
    const left: Record<string, number> = {};
    for (const table of tables) left[table] = await count(`select 1 from public.${table} where project_id = $1`, [p]);
    expect(left).toEqual(Object.fromEntries(tables.map((t) => [t, 0])));
    expect(await count('select 1 from public.ai_usage where user_id = $1 and project_id is null', [team.users.editor.id])).toBe(1);
    expect(await count('select 1 from public.usage_ledgers where user_id = $1 and project_id is null', [team.users.owner.id])).toBeGreaterThan(0);
  });

  it('deleting an account takes its profile, memberships and private records; co-written work stays', async () => {
    const { team } = await populated();
    const editor = team.users.editor;
    await db.pool.query(`insert into public.characters (project_id, user_id, name) values ($1, $2, 'By the editor')`, [team.projectId, editor.id]);
    await db.pool.query('delete from auth.users where id = $1', [editor.id]);
    expect(await count('select 1 from public.user_profiles where id = $1', [editor.id])).toBe(0);
    expect(await count('select 1 from public.project_members where user_id = $1', [editor.id])).toBe(0);
    expect(await count('select 1 from public.ai_usage where user_id = $1', [editor.id])).toBe(0);
    expect(await count(`select 1 from public.characters where project_id = $1 and name = 'By the editor' and user_id is null`, [team.projectId])).toBe(1);
  });
});

describe('usage', () => {
  it('AI words raise the caller\'s monthly counter, restart it in a new month, and reach the ledger', async () => {
    const user = await createUser(db.pool);
    await db.pool.query(`update public.user_profiles set ai_words_used_this_month = 900, ai_words_reset_at = date_trunc('month', now()) - interval '1 month' where id = $1`, [user.id]);
    await asService(db.pool, (tx) => tx.query(`insert into public.ai_usage (user_id, feature, model, words) values ($1, 'rewrite', 'm', 120)`, [user.id]));
    await asService(db.pool, (tx) => tx.query(`insert into public.ai_usage (user_id, feature, model, words) values ($1, 'rewrite', 'm', 30)`, [user.id]));
    const { rows } = await db.pool.query(
      `select ai_words_used_this_month as used, ai_words_reset_at = date_trunc('month', now()) as this_month from public.user_profiles where id = $1`, [user.id]);
    expect(rows).toEqual([{ used: 150, this_month: true }]);
    const ledger = await as(db.pool, user, (tx) => tx.query(`select metric, quantity from public.usage_ledgers order by id`));
    expect(ledger.rows).toEqual([{ metric: 'ai_words', quantity: 120 }, { metric: 'ai_words', quantity: 30 }]);
  });

  it('documents, collaborators and exports are charged to the project owner', async () => {
    const team = await createTeam(db.pool);
    const owner = team.users.owner;
    await as(db.pool, team.users.editor, (tx) => tx.query(`insert into public.export_jobs (project_id, format) values ($1, 'pdf')`, [team.projectId]));
    const { rows } = await as(db.pool, owner, (tx) =>
      tx.query(`select metric, sum(quantity)::int as n from public.usage_ledgers where project_id = $1 group by metric order by metric`, [team.projectId]));
    expect(rows).toEqual([
      { metric: 'collaborators_added', n: 3 },
      { metric: 'documents_created', n: 1 },
      { metric: 'exports', n: 1 },
    ]);
    const editorSees = await as(db.pool, team.users.editor, (tx) => tx.query('select 1 from public.usage_ledgers'));
    expect(editorSees.rowCount).toBe(0);
  });

  it('exports stop at the owner\'s monthly allowance; failed ones do not count', async () => {
    const owner = await createUser(db.pool);
    const projectId = await createProject(db.pool, owner);
    const queue = () => attempt(db.pool, owner, `insert into public.export_jobs (project_id, format) values ($1, 'pdf')`, [projectId]);
    await db.pool.query(`insert into public.export_jobs (project_id, format, status) values ($1, 'pdf', 'failed')`, [projectId]);
    for (let i = 0; i < 5; i++) {
      await db.pool.query(`insert into public.export_jobs (project_id, format) values ($1, 'docx')`, [projectId]);
    }
    expect(await queue()).toMatchObject({ ok: false, code: 'P0001' });
    await db.pool.query(`update public.user_profiles set subscription_tier = 'pro' where id = $1`, [owner.id]);
    expect(await queue()).toMatchObject({ ok: true, rowCount: 1 });
  });
});

describe('updated_at', () => {
  it('moves when a row changes (every table having the column is checked in catalog.test.ts)', async () => {
    const team = await createTeam(db.pool);
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into public.characters (project_id, name, updated_at) values ($1, 'Old', '2000-01-01') returning id`, [team.projectId]);
    const updated = await as(db.pool, team.users.editor, (tx) =>
      tx.query(`update public.characters set notes = 'new' where id = $1 returning updated_at > now() - interval '1 minute' as fresh`, [rows[0]!.id]));
    expect(updated.rows).toEqual([{ fresh: true }]);
  });
});
