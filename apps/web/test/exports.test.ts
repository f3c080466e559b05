import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureJobQueues } from '@quire/db/jobs';
import { withUser } from '@quire/db/session';
import { createProject, listTemplates } from '../src/server/projects';
import { createDocument } from '../src/server/documents';
import {
  cancelExport,
  cancelImport,
  getExportsScreen,
  requestExport,
  requestImport,
  setExportSettings,
} from '../src/server/exports';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type Auth, type TestDb, type TestUser } from './helpers';

let db: TestDb;
let auth: Auth;
let owner: TestUser, editor: TestUser, viewer: TestUser, commenter: TestUser, outsider: TestUser, guest: TestUser;
let projectId: string;
let chapterId: string;
let notesId: string;

const queued = async (id: string) =>
  (await db.admin.query(`select name, data from pgboss.job where id = $1`, [id])).rows[0] as { name: string; data: unknown } | undefined;

beforeAll(async () => {
  db = await testDatabase();
  await ensureJobQueues(db.pool);
  auth = embeddedAuth(db.pool);
  const label = (name: string) => signUp(auth, name, name[0]!.toUpperCase() + name.slice(1));
  [owner, editor, viewer, commenter, outsider, guest] = await Promise.all([label('owner'), label('editor'), label('viewer'), label('commenter'), label('outsider'), label('guest')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Harbour Lights', templateId })).id;
  await joinProject(db.pool, owner, projectId, editor, 'editor');
  await joinProject(db.pool, owner, projectId, viewer, 'viewer');
  await joinProject(db.pool, owner, projectId, commenter, 'commenter');
  chapterId = (await createDocument(db.pool, owner.claims, { projectId, parentId: null, kind: 'chapter', title: 'The wreck' })).id;
  notesId = (await createDocument(db.pool, owner.claims, { projectId, parentId: null, kind: 'notes', title: 'Research' })).id;
  await db.admin.query(`insert into public.document_collaborators (document_id, user_id, role) values ($1, $2, 'viewer')`, [chapterId, guest.userId]);
});
afterAll(async () => db?.close());

describe('requesting an export', () => {
  it('queues the row and its job together, in outline order of what was chosen', async () => {
    const { id } = await requestExport(db.pool, editor.claims, { projectId, scope: 'project', format: 'markdown' });
    const { rows } = await db.admin.query(`select status, format, document_ids, filename, options from public.export_jobs where id = $1`, [id]);
    expect(rows[0]).toMatchObject({ status: 'queued', format: 'markdown', document_ids: [], filename: 'Harbour Lights.md' });
    expect(rows[0].options).toMatchObject({ includeComments: false, language: 'en', pdfLayout: 'book' });
    expect(await queued(id)).toEqual({ name: 'export-run', data: { exportId: id } });

    const one = await requestExport(db.pool, owner.claims, { projectId, scope: 'document', documentIds: [chapterId], format: 'docx' });
    expect((await db.admin.query(`select document_id, filename from public.export_jobs where id = $1`, [one.id])).rows[0]).toEqual({
      document_id: chapterId,
      filename: 'The wreck.docx',
    });
  });

  it('says what is wrong with a request in the writer\u2019s words', async () => {
    const none = await refusal(requestExport(db.pool, owner.claims, { projectId, scope: 'selection', documentIds: [], format: 'pdf' }));
    expect(none).toMatchObject({ kind: 'invalid', message: 'Choose at least one document to export.' });
    const screenplay = await refusal(requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'fdx' }));
    expect(screenplay.message).toMatch(/for screenplays/);
    const format = await refusal(requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'rtf' }));
    expect(format.message).toBe('Choose a format.');
    const language = await refusal(requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'epub', options: { language: 'english please' } }));
    expect(language.fields?.['options.language']).toMatch(/language code/);
  });

  it('lets everyone who may read export; a per-document share reaches only that document', async () => {
    for (const who of [viewer, commenter]) {
      expect((await requestExport(db.pool, who.claims, { projectId, scope: 'document', documentIds: [chapterId], format: 'txt' })).id).toBeTruthy();
    }
    expect((await requestExport(db.pool, guest.claims, { projectId, scope: 'document', documentIds: [chapterId], format: 'txt' })).id).toBeTruthy();
    expect((await refusal(requestExport(db.pool, guest.claims, { projectId, scope: 'document', documentIds: [notesId], format: 'txt' }))).kind).toBe('not_found');
    expect((await refusal(requestExport(db.pool, guest.claims, { projectId, scope: 'project', format: 'txt' }))).kind).toBe('forbidden');
    expect((await refusal(requestExport(db.pool, outsider.claims, { projectId, scope: 'project', format: 'txt' }))).kind).toBe('not_found');
  });

  it('lets the owner turn exports off for viewers, and only the owner', async () => {
    expect((await refusal(setExportSettings(db.pool, editor.claims, { projectId, viewersMayExport: false }))).kind).toBe('forbidden');
    await setExportSettings(db.pool, owner.claims, { projectId, viewersMayExport: false });
    const off = await refusal(requestExport(db.pool, viewer.claims, { projectId, scope: 'project', format: 'txt' }));
    expect(off).toMatchObject({ kind: 'forbidden', message: 'The owner has turned exports off for viewers of this project.' });
    expect((await refusal(requestExport(db.pool, guest.claims, { projectId, scope: 'document', documentIds: [chapterId], format: 'txt' }))).kind).toBe('forbidden');
    // the database holds the line too, whatever the server checks
    await expect(
      withUser(db.pool, viewer.claims, (tx) => tx.query(`insert into public.export_jobs (project_id, user_id, format) values ($1, $2, 'txt')`, [projectId, viewer.userId])),
    ).rejects.toMatchObject({ code: '42501' });
    expect((await requestExport(db.pool, commenter.claims, { projectId, scope: 'project', format: 'txt' })).id).toBeTruthy();
    expect((await getExportsScreen(db.pool, viewer.claims, projectId))!.mayExport).toBe(false);
    await setExportSettings(db.pool, owner.claims, { projectId, viewersMayExport: true });
    expect((await getExportsScreen(db.pool, viewer.claims, projectId))!.mayExport).toBe(true);
  });

  it('refuses the export after the plan\u2019s monthly allowance, and counts failed ones out', async () => {
    const solo = await signUp(auth, 'solo', 'Solo');
    const templateId = (await listTemplates(db.pool, solo.claims)).find((t) => t.kind === 'novel')!.id;
    const project = (await createProject(db.pool, solo.claims, { title: 'Small press', templateId })).id;
    const ask = () => requestExport(db.pool, solo.claims, { projectId: project, scope: 'project', format: 'markdown' });
    const first = await ask();
    await db.admin.query(`update public.export_jobs set status = 'failed' where id = $1`, [first.id]);
    for (let i = 0; i < 5; i++) await ask();
    const sixth = await refusal(ask());
    expect(sixth).toMatchObject({ kind: 'quota' });
    expect(sixth.message).toMatch(/free plan allows 5 exports a month/i);
    const screen = (await getExportsScreen(db.pool, solo.claims, project))!;
    expect(screen.usage).toEqual({ used: 5, limit: 5, tier: 'free' });
    // nothing was queued for the refused request
    expect((await db.admin.query(`select count(*)::int as n from public.export_jobs where project_id = $1`, [project])).rows[0].n).toBe(6);
  });
});

describe('history and cancelling', () => {
  it('shows members the history; the requester or the owner cancels what has not finished', async () => {
    const { id } = await requestExport(db.pool, editor.claims, { projectId, scope: 'project', format: 'epub' });
    const seen = (await getExportsScreen(db.pool, viewer.claims, projectId))!.exports.find((e) => e.id === id)!;
    expect(seen).toMatchObject({ status: 'queued', what: 'Whole project', requestedBy: 'Editor', canCancel: false, downloadable: false });
    expect((await refusal(cancelExport(db.pool, commenter.claims, projectId, id))).kind).toBe('forbidden');
    await cancelExport(db.pool, editor.claims, projectId, id);
    expect((await db.admin.query(`select status from public.export_jobs where id = $1`, [id])).rows[0].status).toBe('canceled');
    const done = await requestExport(db.pool, editor.claims, { projectId, scope: 'project', format: 'epub' });
    await db.admin.query(`update public.export_jobs set status = 'succeeded' where id = $1`, [done.id]);
    expect((await refusal(cancelExport(db.pool, owner.claims, projectId, done.id))).kind).toBe('conflict');
    expect(await getExportsScreen(db.pool, outsider.claims, projectId)).toBeNull();
  });
});

describe('requesting an import', () => {
  const bytes = new TextEncoder().encode('# One\n\nIt began.\n\n# Two\n\nIt ended.\n');

  it('queues the job with its file in one go', async () => {
    const { id } = await requestImport(db.pool, editor.claims, { projectId, filename: 'draft.md', bytes });
    expect((await db.admin.query(`select format, size_bytes, status from public.import_jobs where id = $1`, [id])).rows[0]).toEqual({
      format: 'markdown',
      size_bytes: bytes.byteLength,
      status: 'queued',
    });
    expect((await db.admin.query(`select octet_length(bytes) as n from public.import_sources where job_id = $1`, [id])).rows[0].n).toBe(bytes.byteLength);
    expect(await queued(id)).toEqual({ name: 'import-run', data: { importId: id } });
    await cancelImport(db.pool, editor.claims, projectId, id);
    expect((await getExportsScreen(db.pool, editor.claims, projectId))!.imports.find((i) => i.id === id)!.status).toBe('canceled');
  });

  it('refuses what it cannot take before anything is stored', async () => {
    expect((await refusal(requestImport(db.pool, commenter.claims, { projectId, filename: 'draft.md', bytes }))).kind).toBe('forbidden');
    expect((await refusal(requestImport(db.pool, editor.claims, { projectId, filename: 'draft.pages', bytes }))).message).toMatch(/imports \.docx/);
    expect((await refusal(requestImport(db.pool, editor.claims, { projectId, filename: 'empty.txt', bytes: new Uint8Array() }))).message).toBe('The file is empty.');
    const big = await refusal(requestImport(db.pool, editor.claims, { projectId, filename: 'huge.txt', bytes: new Uint8Array(21 * 1024 * 1024) }));
    expect(big.message).toMatch(/up to 20 MB/);
    expect((await refusal(requestImport(db.pool, editor.claims, { projectId, parentId: chapterId, filename: 'a.md', bytes }))).kind).toBe('invalid');
  });
});
