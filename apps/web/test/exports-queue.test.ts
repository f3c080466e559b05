/**
 * A fresh installation where no worker has run yet: the job queues do not exist. A writer's export or import must
 * still be accepted and queued (the worker picks it up when it starts), not refused as if the server were down.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { closeJobConnections } from '@quire/db/jobs';
import { createProject, listTemplates } from '../src/server/projects';
import { requestExport, requestImport } from '../src/server/exports';
import { embeddedAuth, signUp, testDatabase, type TestDb, type TestUser } from './helpers';

let db: TestDb;
let owner: TestUser;
let projectId: string;

beforeAll(async () => {
  db = await testDatabase();
  // as before the first worker start: no pg-boss schema at all
  await db.admin.query('drop schema if exists pgboss cascade');
  owner = await signUp(embeddedAuth(db.pool), 'owner', 'Ada Marsh');
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Harbour Lights', templateId })).id;
}, 120_000);

afterAll(async () => {
  await closeJobConnections();
  await db?.close();
});

const queued = async (id: string) => (await db.admin.query<{ name: string; state: string }>('select name, state from pgboss.job where id = $1', [id])).rows[0];

it('queues an import and an export before any worker has created the queues', async () => {
  const imported = await requestImport(db.pool, owner.claims, { projectId, filename: 'notes.md', bytes: new TextEncoder().encode('# The wreck\n\nThe ship broke on the rocks.') });
  expect(await queued(imported.id)).toEqual({ name: 'import-run', state: 'created' });
  const exported = await requestExport(db.pool, owner.claims, { projectId, scope: 'project', format: 'markdown' });
  expect(await queued(exported.id)).toEqual({ name: 'export-run', state: 'created' });
});
