/**
 * The RLS matrix: every table × every actor × select/insert/update/delete, each cell a real attempt whose outcome is
 * compared with DESIGN.md's roles table. Every statement is also run once as service_role first, so a deny cell
 * cannot pass because the statement itself is broken.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser } from '@quire/db';
import {
  ACTORS,
  DENIED,
  addMember,
  attempt,
  createTeam,
  createUser,
  openTestDatabase,
  type Outcome,
  type Team,
  type TestDatabase,
  type TestUser,
} from './fixtures';

const OPS = ['select', 'insert', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];

/** DESIGN.md's actors, and `guest`: no role in the project, one document shared with them as a commenter. */
const MATRIX_ACTORS = [...ACTORS, 'guest'] as const;
type MatrixActor = (typeof MATRIX_ACTORS)[number];

const MEMBERS: MatrixActor[] = ['owner', 'editor', 'commenter', 'viewer'];
const WRITERS: MatrixActor[] = ['owner', 'editor'];
const OWNER: MatrixActor[] = ['owner'];
const SIGNED_IN: MatrixActor[] = ['owner', 'editor', 'commenter', 'viewer', 'nonMember', 'guest'];
const NOBODY: MatrixActor[] = [];
/** what reading one document takes: its members, and a guest it was shared with */
const READERS_OF_D: MatrixActor[] = [...MEMBERS, 'guest'];

/** A statement with its parameters; `uid` is the acting user's id (a fresh uuid for anon, a real account for service_role). */
type Statement = (uid: string) => [string, unknown[]];

interface TableSpec {
  table: string;
  statements: Record<Op, Statement>;
  allowed: Record<Op, MatrixActor[]>;
  /** Operations that even service_role cannot perform (a trigger forbids them for everyone). */
  serviceRefused?: Op[];
}

let db: TestDatabase;
let team: Team;
let bystander: TestUser;
let guest: TestUser;
let newcomer: TestUser;
const ids: Record<string, string> = {};
const bareImports: string[] = [];

async function one(sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(sql, params);
  return String(rows[0]!.id);
}

beforeAll(async () => {
  db = await openTestDatabase();
  const pool = db.pool;
  team = await createTeam(pool);
  const { projectId: p, documentId: d } = team;
  const owner = team.users.owner;
  // a second commenter whose comment and membership the actors act on, someone a document is shared with, and
  // someone not yet in the project for the actors to try to add
  bystander = await createUser(pool, { name: 'bystander' });
  await addMember(pool, p, bystander, 'commenter');
  guest = await createUser(pool, { name: 'guest' });
  newcomer = await createUser(pool, { name: 'newcomer' });

  await pool.query(`insert into public.document_collaborators (document_id, user_id, role) values ($1, $2, 'commenter')`, [d, guest.id]);
  ids.update = await one(`insert into public.document_updates (document_id, update) values ($1, '\\x01') returning id`, [d]);
  ids.version = await one(`insert into public.document_versions (document_id, project_id, user_id) values ($1, $2, $3) returning id`, [d, p, owner.id]);
  ids.invitation = await one(
    `insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, 'invitee@example.test', 'viewer', $2, $3) returning id`,
    [p, randomUUID(), owner.id],
  );
  ids.comment = await one(`insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'A thought') returning id`, [p, d, bystander.id]);
  ids.outline = await one(`insert into public.outlines (project_id, document_id, user_id, title) values ($1, $2, $3, 'Plan') returning id`, [p, d, owner.id]);
  ids.section = await one(`insert into public.outline_sections (outline_id, project_id, title) values ($1, $2, 'Opening') returning id`, [ids.outline, p]);
  ids.beat = await one(`insert into public.story_beats (project_id, name) values ($1, 'Catalyst') returning id`, [p]);
  ids.analysis = await one(`insert into public.plot_analyses (project_id, document_id, status) values ($1, $2, 'completed') returning id`, [p, d]);
  ids.issue = await one(
    `insert into public.plot_issues (analysis_id, project_id, severity, category, title) values ($1, $2, 'high', 'continuity', 'Eye colour changes') returning id`,
    [ids.analysis, p],
  );
  ids.hero = await one(`insert into public.characters (project_id, name, role) values ($1, 'Mara', 'protagonist') returning id`, [p]);
  ids.rival = await one(`insert into public.characters (project_id, name, role) values ($1, 'Tomas', 'antagonist') returning id`, [p]);
  ids.relationship = await one(
    `insert into public.character_relationships (project_id, character_id, related_character_id, kind) values ($1, $2, $3, 'rival') returning id`,
    [p, ids.hero, ids.rival],
  );
  ids.arc = await one(`insert into public.character_arcs (project_id, character_id, title) values ($1, $2, 'Learns to trust') returning id`, [p, ids.hero]);
  ids.location = await one(`insert into public.locations (project_id, name, kind) values ($1, 'Harbour', 'town') returning id`, [p]);
  ids.event = await one(`insert into public.location_events (project_id, location_id, title) values ($1, $2, 'The storm') returning id`, [p, ids.location]);
  await pool.query('insert into public.location_event_characters (event_id, character_id, project_id) values ($1, $2, $3)', [ids.event, ids.hero, p]);
  ids.chapter2 = await one(`insert into public.documents (project_id, title) values ($1, 'Second') returning id`, [p]);
  await pool.query(`insert into public.document_mention_scans (document_id, project_id, text_hash, bible_hash) values ($1, $2, 'a', 'b')`, [d, p]);
  ids.mention = await one(
    `insert into public.document_mentions (project_id, document_id, character_id, mentions, first_offset, last_offset) values ($1, $2, $3, 2, 0, 10) returning id`,
    [p, d, ids.hero],
  );
  ids.context = await one(`insert into public.ai_context_snapshots (project_id, kind, content) values ($1, 'story_bible', '{}') returning id`, [p]);
  ids.usage = await one(`insert into public.ai_usage (user_id, project_id, feature, model, words) values ($1, $2, 'rewrite', 'm', 10) returning id`, [owner.id, p]);
  ids.request = await one(`insert into public.ai_requests (user_id, project_id, feature, model) values ($1, $2, 'rewrite', 'm') returning id`, [owner.id, p]);
  await pool.query(`insert into public.ai_usage_daily (user_id, day, feature, requests) values ($1, current_date, 'rewrite', 1)`, [owner.id]);
  ids.subscription = await one(`insert into public.subscription_events (user_id, stripe_event_id, type) values ($1, 'evt_1', 'customer.subscription.updated') returning id`, [owner.id]);
  ids.ledger = await one(`insert into public.usage_ledgers (user_id, project_id, metric, quantity, source) values ($1, $2, 'exports', 1, 'adjustment') returning id`, [owner.id, p]);
  ids.failure = await one(`insert into public.background_failures (kind, source, user_id, final) values ('job', 'exports', $1, true) returning id`, [owner.id]);
  ids.session = await one(`insert into public.analytics_sessions (user_id, project_id, started_at) values ($1, $2, now()) returning id`, [owner.id, p]);
  ids.metric = await one(`insert into public.content_metrics (project_id, document_id, day, word_count) values ($1, $2, current_date, 100) returning id`, [p, d]);
  ids.export = await one(`insert into public.export_jobs (project_id, user_id, format) values ($1, $2, 'docx') returning id`, [p, team.users.editor.id]);
  ids.importJob = await one(
    `insert into public.import_jobs (project_id, user_id, filename, format, size_bytes) values ($1, $2, 'draft.md', 'markdown', 4) returning id`,
    [p, team.users.editor.id],
  );
  await pool.query(`insert into public.import_sources (job_id, bytes) values ($1, '\\x23206869')`, [ids.importJob]);
  await pool.query(`insert into public.export_settings (project_id, viewers_may_export) values ($1, true)`, [p]);
  await pool.query(`insert into public.project_covers (project_id, path, width, height, size_bytes) values ($1, $2, 1600, 2560, 1000)`, [p, `${p}/first/cover.jpg`]);
  // each attempt to hand over a file needs a job still waiting for its file, queued by the editor
  for (let i = 0; i < 12; i++) {
    bareImports.push(await one(
      `insert into public.import_jobs (project_id, user_id, filename, format, size_bytes) values ($1, $2, 'draft.md', 'markdown', 1) returning id`,
      [p, team.users.editor.id],
    ));
  }
  ids.object = await one(
    `insert into storage.objects (bucket_id, name, owner) values ('character-images', $1, $2) returning id`,
    [`${owner.id}/portrait.png`, owner.id],
  );
});

afterAll(async () => {
  await db?.close();
});

/** Select/update/delete of one row by id, for tables that have one. */
function byId(table: string, key: string, set: string): Pick<Record<Op, Statement>, 'select' | 'update' | 'delete'> {
  return {
    select: () => [`select 1 from ${table} where id = $1`, [ids[key]]],
    update: () => [`update ${table} set ${set} where id = $1`, [ids[key]]],
    delete: () => [`delete from ${table} where id = $1`, [ids[key]]],
  };
}

const writerTool = { select: MEMBERS, insert: WRITERS, update: WRITERS, delete: WRITERS };
const ownRowsOnly = { select: OWNER, insert: NOBODY, update: NOBODY, delete: NOBODY };
const templates = { select: SIGNED_IN, insert: NOBODY, update: NOBODY, delete: NOBODY };

function specs(): TableSpec[] {
  const p = team.projectId;
  const d = team.documentId;
  const owner = team.users.owner;
  return [
    {
      table: 'user_profiles',
      // the owner's profile: co-members and a shared document's guest see the name on carets and comments; only its
      // owner renames it
      statements: {
        select: () => ['select 1 from public.user_profiles where id = $1', [owner.id]],
        insert: () => ['insert into public.user_profiles (id) values ($1)', [randomUUID()]],
        update: () => [`update public.user_profiles set display_name = 'Renamed' where id = $1`, [owner.id]],
        delete: () => ['delete from public.user_profiles where id = $1', [owner.id]],
      },
      allowed: { select: READERS_OF_D, insert: NOBODY, update: OWNER, delete: NOBODY },
      // a profile belongs to an auth user; only the signup trigger creates one
      serviceRefused: ['insert'],
    },
    {
      table: 'document_templates',
      statements: {
        select: () => [`select 1 from public.document_templates where slug = 'novel'`, []],
        insert: () => [`insert into public.document_templates (slug, name, kind) values ($1, 'Mine', 'novel')`, [`t-${randomUUID()}`]],
        update: () => [`update public.document_templates set description = 'changed' where slug = 'novel'`, []],
        delete: () => [`delete from public.document_templates where slug = 'blog-post'`, []],
      },
      allowed: templates,
    },
    {
      table: 'beat_templates',
      statements: {
        select: () => [`select 1 from public.beat_templates where slug = 'save-the-cat'`, []],
        insert: () => [`insert into public.beat_templates (slug, name) values ($1, 'Mine')`, [`b-${randomUUID()}`]],
        update: () => [`update public.beat_templates set description = 'changed' where slug = 'save-the-cat'`, []],
        delete: () => [`delete from public.beat_templates where slug = 'seven-point'`, []],
      },
      allowed: templates,
    },
    {
      table: 'projects',
      statements: {
        select: () => ['select 1 from public.projects where id = $1', [p]],
        insert: (uid) => [`insert into public.projects (user_id, title) values ($1, 'My own')`, [uid]],
        update: () => [`update public.projects set title = 'Renamed' where id = $1`, [p]],
        delete: () => ['delete from public.projects where id = $1', [p]],
      },
      // anyone signed in may start their own project; a guest sees the row of the project their document is in
      allowed: { select: READERS_OF_D, insert: SIGNED_IN, update: WRITERS, delete: OWNER },
    },
    {
      table: 'project_members',
      statements: {
        select: () => ['select 1 from public.project_members where project_id = $1 and user_id = $2', [p, bystander.id]],
        insert: () => [`insert into public.project_members (project_id, user_id, role) values ($1, $2, 'viewer')`, [p, newcomer.id]],
        update: () => [`update public.project_members set role = 'editor' where project_id = $1 and user_id = $2`, [p, bystander.id]],
        delete: () => ['delete from public.project_members where project_id = $1 and user_id = $2', [p, bystander.id]],
      },
      allowed: { select: MEMBERS, insert: OWNER, update: OWNER, delete: OWNER },
    },
    {
      table: 'documents',
      statements: {
        select: () => ['select 1 from public.documents where id = $1', [d]],
        insert: () => [`insert into public.documents (project_id, title) values ($1, 'New scene')`, [p]],
        update: () => [`update public.documents set title = 'Renamed' where id = $1`, [d]],
        delete: () => ['delete from public.documents where id = $1', [d]],
      },
      allowed: { ...writerTool, select: READERS_OF_D },
    },
    {
      table: 'document_updates',
      statements: {
        select: () => ['select 1 from public.document_updates where id = $1', [ids.update]],
        insert: () => [`insert into public.document_updates (document_id, update) values ($1, '\\x02')`, [d]],
        update: () => [`update public.document_updates set update = '\\x03' where id = $1`, [ids.update]],
        delete: () => ['delete from public.document_updates where id = $1', [ids.update]],
      },
      // the log is append-only for users; the collab server compacts it as service_role
      allowed: { select: READERS_OF_D, insert: WRITERS, update: NOBODY, delete: NOBODY },
    },
    {
      table: 'document_versions',
      statements: {
        select: () => ['select 1 from public.document_versions where id = $1', [ids.version]],
        insert: (uid) => [`insert into public.document_versions (document_id, project_id, user_id, reason) values ($1, $2, $3, 'manual')`, [d, p, uid]],
        update: () => [`update public.document_versions set label = 'changed' where id = $1`, [ids.version]],
        delete: () => ['delete from public.document_versions where id = $1', [ids.version]],
      },
      allowed: { select: READERS_OF_D, insert: WRITERS, update: NOBODY, delete: NOBODY },
      serviceRefused: ['update'],
    },
    {
      table: 'document_collaborators',
      statements: {
        select: () => ['select 1 from public.document_collaborators where document_id = $1 and user_id = $2', [d, guest.id]],
        insert: () => [`insert into public.document_collaborators (document_id, user_id, role) values ($1, $2, 'viewer')`, [d, newcomer.id]],
        update: () => [`update public.document_collaborators set role = 'editor' where document_id = $1 and user_id = $2`, [d, guest.id]],
        delete: () => ['delete from public.document_collaborators where document_id = $1 and user_id = $2', [d, guest.id]],
      },
      // the guest sees their own share and may leave it, never change its role
      allowed: { select: ['owner', 'guest'], insert: OWNER, update: OWNER, delete: ['owner', 'guest'] },
    },
    {
      table: 'invitations',
      statements: {
        ...byId('public.invitations', 'invitation', `status = 'revoked'`),
        insert: (uid) => [
          `insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, 'new@example.test', 'editor', $2, $3)`,
          [p, randomUUID(), uid],
        ],
      },
      allowed: { select: OWNER, insert: OWNER, update: OWNER, delete: OWNER },
    },
    {
      table: 'comments',
      // the target is the bystander's comment: update = resolving it, delete = removing someone else's thread
      statements: {
        ...byId('public.comments', 'comment', 'resolved_at = now()'),
        insert: (uid) => [`insert into public.comments (project_id, document_id, user_id, body) values ($1, $2, $3, 'Me too')`, [p, d, uid]],
      },
      // the guest's share makes them a commenter on this document
      allowed: { select: READERS_OF_D, insert: ['owner', 'editor', 'commenter', 'guest'], update: WRITERS, delete: WRITERS },
    },
    {
      table: 'outlines',
      statements: { ...byId('public.outlines', 'outline', `title = 'Renamed'`), insert: () => [`insert into public.outlines (project_id, title) values ($1, 'Another')`, [p]] },
      allowed: writerTool,
    },
    {
      table: 'outline_sections',
      statements: {
        ...byId('public.outline_sections', 'section', `status = 'drafted'`),
        insert: () => [`insert into public.outline_sections (outline_id, title) values ($1, 'Middle')`, [ids.outline]],
      },
      allowed: writerTool,
    },
    {
      table: 'story_beats',
      statements: { ...byId('public.story_beats', 'beat', `status = 'done'`), insert: () => [`insert into public.story_beats (project_id, name) values ($1, 'Midpoint')`, [p]] },
      allowed: writerTool,
    },
    {
      table: 'plot_analyses',
      statements: { ...byId('public.plot_analyses', 'analysis', `summary = 'Tight'`), insert: () => [`insert into public.plot_analyses (project_id, kind) values ($1, 'pacing')`, [p]] },
      allowed: writerTool,
    },
    {
      table: 'plot_issues',
      statements: {
        ...byId('public.plot_issues', 'issue', `status = 'resolved'`),
        insert: () => [`insert into public.plot_issues (analysis_id, severity, category, title) values ($1, 'low', 'pacing', 'Slow start')`, [ids.analysis]],
      },
      allowed: writerTool,
    },
    {
      table: 'characters',
      statements: { ...byId('public.characters', 'hero', `notes = 'Afraid of water'`), insert: () => [`insert into public.characters (project_id, name) values ($1, 'Ines')`, [p]] },
      allowed: writerTool,
    },
    {
      table: 'character_relationships',
      statements: {
        ...byId('public.character_relationships', 'relationship', `description = 'Old grudge'`),
        insert: () => [`insert into public.character_relationships (character_id, related_character_id, kind) values ($1, $2, 'family')`, [ids.hero, ids.rival]],
      },
      allowed: writerTool,
    },
    {
      table: 'character_arcs',
      statements: {
        ...byId('public.character_arcs', 'arc', `arc_type = 'negative'`),
        insert: () => [`insert into public.character_arcs (character_id, title) values ($1, 'Falls')`, [ids.rival]],
      },
      allowed: writerTool,
    },
    {
      table: 'locations',
      statements: { ...byId('public.locations', 'location', `history = 'Founded by smugglers'`), insert: () => [`insert into public.locations (project_id, name) values ($1, 'Lighthouse')`, [p]] },
      allowed: writerTool,
    },
    {
      table: 'location_events',
      statements: {
        ...byId('public.location_events', 'event', `sequence = 2`),
        insert: () => [`insert into public.location_events (location_id, title) values ($1, 'The wreck')`, [ids.location]],
      },
      allowed: writerTool,
    },
    {
      table: 'location_event_characters',
      statements: {
        select: () => ['select 1 from public.location_event_characters where event_id = $1 and character_id = $2', [ids.event, ids.hero]],
        insert: () => ['insert into public.location_event_characters (event_id, character_id, project_id) values ($1, $2, $3)', [ids.event, ids.rival, p]],
        update: () => ['update public.location_event_characters set character_id = character_id where event_id = $1', [ids.event]],
        delete: () => ['delete from public.location_event_characters where event_id = $1 and character_id = $2', [ids.event, ids.hero]],
      },
      // a link is added or removed, never edited
      allowed: { select: MEMBERS, insert: WRITERS, update: NOBODY, delete: WRITERS },
    },
    {
      table: 'document_mention_scans',
      statements: {
        select: () => ['select 1 from public.document_mention_scans where document_id = $1', [d]],
        insert: () => [`insert into public.document_mention_scans (document_id, project_id, text_hash, bible_hash) values ($1, $2, 'c', 'd')`, [ids.chapter2, p]],
        update: () => [`update public.document_mention_scans set words = 3 where document_id = $1`, [d]],
        delete: () => ['delete from public.document_mention_scans where document_id = $1', [d]],
      },
      // written only by the mentions job, as the service
      allowed: { select: MEMBERS, insert: NOBODY, update: NOBODY, delete: NOBODY },
    },
    {
      table: 'document_mentions',
      statements: {
        ...byId('public.document_mentions', 'mention', 'mentions = 3'),
        insert: () => [`insert into public.document_mentions (project_id, document_id, unknown_name, mentions, first_offset, last_offset) values ($1, $2, 'Marek', 3, 0, 9)`, [p, d]],
      },
      allowed: { select: MEMBERS, insert: NOBODY, update: NOBODY, delete: NOBODY },
    },
    {
      table: 'ai_context_snapshots',
      statements: {
        ...byId('public.ai_context_snapshots', 'context', `token_count = 12`),
        insert: () => [`insert into public.ai_context_snapshots (project_id, kind, content) values ($1, 'characters', '[]')`, [p]],
      },
      allowed: writerTool,
    },
    {
      table: 'export_jobs',
      // the target was queued by the editor: the requester or an owner may delete it; only the worker updates it
      statements: {
        ...byId('public.export_jobs', 'export', `status = 'running'`),
        insert: () => [`insert into public.export_jobs (project_id, format) values ($1, 'epub')`, [p]],
      },
      // anyone who may read may export (the owner can switch viewers off: apps/web/test/exports.test.ts)
      allowed: { select: MEMBERS, insert: MEMBERS, update: NOBODY, delete: WRITERS },
    },
    {
      table: 'export_settings',
      statements: {
        select: () => ['select 1 from public.export_settings where project_id = $1', [p]],
        insert: () => [
          'insert into public.export_settings (project_id, viewers_may_export) values ($1, false) on conflict (project_id) do update set viewers_may_export = excluded.viewers_may_export',
          [p],
        ],
        update: () => ['update public.export_settings set viewers_may_export = true where project_id = $1', [p]],
        delete: () => ['delete from public.export_settings where project_id = $1', [p]],
      },
      allowed: { select: MEMBERS, insert: OWNER, update: OWNER, delete: NOBODY },
    },
    {
      table: 'project_covers',
      // the EPUB cover is part of the book: whoever may edit the manuscript may set, replace or remove it
      statements: {
        select: () => ['select 1 from public.project_covers where project_id = $1', [p]],
        insert: () => [
          'insert into public.project_covers (project_id, path, width, height, size_bytes) values ($1, $2, 800, 1280, 500) on conflict (project_id) do update set path = excluded.path',
          [p, `${p}/second/cover.jpg`],
        ],
        update: () => ['update public.project_covers set width = 1200 where project_id = $1', [p]],
        delete: () => ['delete from public.project_covers where project_id = $1', [p]],
      },
      allowed: { select: MEMBERS, insert: WRITERS, update: WRITERS, delete: WRITERS },
    },
    {
      table: 'import_jobs',
      // queued by the editor; only the worker moves it along (cancelling is a status change to 'canceled' only)
      statements: {
        ...byId('public.import_jobs', 'importJob', `status = 'running'`),
        insert: () => [`insert into public.import_jobs (project_id, filename, format, size_bytes) values ($1, 'notes.txt', 'txt', 1)`, [p]],
      },
      allowed: { select: MEMBERS, insert: WRITERS, update: NOBODY, delete: NOBODY },
    },
    {
      table: 'import_sources',
      // the uploaded bytes: handed over and readable only by whoever queued the job (and the worker)
      statements: {
        select: () => ['select 1 from public.import_sources where job_id = $1', [ids.importJob]],
        insert: () => [`insert into public.import_sources (job_id, bytes) values ($1, '\\x00')`, [bareImports.shift()]],
        update: () => [`update public.import_sources set bytes = '\\x01' where job_id = $1`, [ids.importJob]],
        delete: () => ['delete from public.import_sources where job_id = $1', [ids.importJob]],
      },
      allowed: { select: ['editor'], insert: ['editor'], update: NOBODY, delete: NOBODY },
    },
    {
      table: 'content_metrics',
      statements: {
        ...byId('public.content_metrics', 'metric', 'word_count = 120'),
        insert: () => [`insert into public.content_metrics (project_id, day) values ($1, current_date - 1)`, [p]],
      },
      allowed: { select: MEMBERS, insert: NOBODY, update: NOBODY, delete: NOBODY },
    },
    {
      table: 'ai_usage',
      statements: {
        ...byId('public.ai_usage', 'usage', 'words = 0'),
        insert: (uid) => [`insert into public.ai_usage (user_id, feature, model, words) values ($1, 'chat', 'm', 1)`, [uid]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'ai_requests',
      statements: {
        ...byId('public.ai_requests', 'request', `status = 'failed'`),
        insert: (uid) => [`insert into public.ai_requests (user_id, feature, model) values ($1, 'chat', 'm')`, [uid]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'ai_usage_daily',
      statements: {
        select: () => [`select 1 from public.ai_usage_daily where user_id = $1 and day = current_date and feature = 'rewrite'`, [owner.id]],
        insert: (uid) => [`insert into public.ai_usage_daily (user_id, day, feature) values ($1, current_date, 'chat')`, [uid]],
        update: () => [`update public.ai_usage_daily set requests = 0 where user_id = $1`, [owner.id]],
        delete: () => ['delete from public.ai_usage_daily where user_id = $1', [owner.id]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'subscription_events',
      statements: {
        ...byId('public.subscription_events', 'subscription', `processed_at = now()`),
        insert: (uid) => [`insert into public.subscription_events (user_id, stripe_event_id, type) values ($1, $2, 'invoice.paid')`, [uid, `evt_${randomUUID()}`]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'usage_ledgers',
      statements: {
        ...byId('public.usage_ledgers', 'ledger', 'quantity = 5'),
        insert: (uid) => [`insert into public.usage_ledgers (user_id, metric, quantity) values ($1, 'exports', -1)`, [uid]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'background_failures',
      statements: {
        ...byId('public.background_failures', 'failure', 'final = false'),
        insert: (uid) => [`insert into public.background_failures (kind, source, user_id) values ('job', 'exports', $1)`, [uid]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'analytics_sessions',
      statements: {
        ...byId('public.analytics_sessions', 'session', 'words_added = 50'),
        insert: (uid) => [`insert into public.analytics_sessions (user_id, started_at) values ($1, now())`, [uid]],
      },
      allowed: ownRowsOnly,
    },
    {
      table: 'storage.objects',
      // the target is in the owner's folder; every actor tries to read, add to, rename within and empty it
      statements: {
        ...byId('storage.objects', 'object', `metadata = '{"size": 1}'`),
        insert: () => [`insert into storage.objects (bucket_id, name) values ('character-images', $1)`, [`${owner.id}/${randomUUID()}.png`]],
      },
      allowed: { select: OWNER, insert: OWNER, update: OWNER, delete: OWNER },
    },
  ];
}

type Verdict = 'allow' | 'deny' | 'broken';

/** allow: the operation touched the target; deny: refused (42501) or touched nothing; broken: any other error. */
function verdict(outcome: Outcome): Verdict {
  if (outcome.ok) return outcome.rowCount > 0 ? 'allow' : 'deny';
  return outcome.code === DENIED ? 'deny' : 'broken';
}

describe('RLS matrix', () => {
  it('every table × owner, editor, commenter, viewer, non-member, anon, a document’s guest × select, insert, update, delete matches DESIGN.md', async () => {
    const users: Record<MatrixActor, TestUser | null> = { ...team.users, anon: null, guest };
    const all = specs();
    const unexpected: string[] = [];
    const lines: string[] = [];
    let cells = 0;
    for (const spec of all) {
      const row: string[] = [];
      for (const op of OPS) {
        // the statement must work at all before a refusal means anything
        const sanity = await attempt(db.pool, 'service', ...spec.statements[op](newcomer.id));
        const serviceExpected: Verdict = spec.serviceRefused?.includes(op) ? 'deny' : 'allow';
        const serviceGot = spec.serviceRefused?.includes(op) && !sanity.ok ? 'deny' : verdict(sanity);
        if (serviceGot !== serviceExpected) {
          unexpected.push(`${spec.table}.${op} as service_role: ${JSON.stringify(sanity)}`);
        }
        let marks = '';
        for (const actor of MATRIX_ACTORS) {
          const user = users[actor];
          const outcome = await attempt(db.pool, user, ...spec.statements[op](user?.id ?? randomUUID()));
          const got = verdict(outcome);
          const expected: Verdict = spec.allowed[op].includes(actor) ? 'allow' : 'deny';
          cells++;
          marks += got === 'allow' ? '✓' : got === 'deny' ? '·' : '!';
          if (got !== expected) {
            unexpected.push(`${spec.table}.${op} as ${actor}: expected ${expected}, got ${got} ${outcome.ok ? `(${outcome.rowCount} rows)` : `(${outcome.code} ${outcome.message})`}`);
          }
        }
        row.push(marks);
      }
      lines.push(`${spec.table.padEnd(26)} ${row.join('  ')}`);
    }
    console.log(
      [
        `RLS matrix: ${all.length} tables × ${MATRIX_ACTORS.length} actors × ${OPS.length} operations = ${cells} cells, ${unexpected.length} unexpected`,
        `${''.padEnd(26)} ${OPS.map((op) => op.padEnd(MATRIX_ACTORS.length)).join('  ')}   (actors: ${MATRIX_ACTORS.join(', ')}; ✓ allowed, · denied)`,
        ...lines,
      ].join('\n'),
    );
    expect(all.length).toBeGreaterThanOrEqual(27);
    expect(cells).toBe(all.length * MATRIX_ACTORS.length * OPS.length);
    expect(unexpected).toEqual([]);
  });

  it('every write an actor may make also works with RETURNING *, as supabase-js .insert().select() issues it', async () => {
    const users: Record<MatrixActor, TestUser | null> = { ...team.users, anon: null, guest };
    const failures: string[] = [];
    let tried = 0;
    for (const spec of specs()) {
      for (const op of ['insert', 'update', 'delete'] as const) {
        for (const actor of spec.allowed[op]) {
          const user = users[actor];
          const [sql, params] = spec.statements[op](user?.id ?? randomUUID());
          const outcome = await attempt(db.pool, user, `${sql} returning *`, params);
          tried++;
          if (!outcome.ok || outcome.rows.length !== 1) failures.push(`${spec.table}.${op} as ${actor}: ${JSON.stringify(outcome)}`);
        }
      }
    }
    expect(tried).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });

  it('fails closed for the authenticated role without a user id: no table shows a row', async () => {
    const seen: string[] = [];
    for (const spec of specs()) {
      const visible = await withUser(db.pool, { sub: '' }, (tx) => tx.query(`select count(*)::int as n from ${spec.table}`));
      if (visible.rows[0].n !== 0) seen.push(`${spec.table}: ${visible.rows[0].n}`);
    }
    expect(seen).toEqual([]);
    const everywhere = await db.pool.query(`select count(*)::int as n from public.characters`);
    expect(everywhere.rows[0].n).toBeGreaterThan(0);
  });

  it('covers every table in the public schema', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    );
    const covered = new Set(specs().map((s) => s.table));
    expect(rows.map((r) => r.table_name).filter((t) => !covered.has(t))).toEqual([]);
  });
});
