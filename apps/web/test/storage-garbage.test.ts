/**
 * Deletes leave no pictures behind: the web app's commands delete characters, locations and projects and replace
 * pictures; a real worker process drains the queue the database filled, through the real storage subset over HTTP;
 * the database is real Postgres. Afterwards no object row and no file on disk is left of the pictures.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeJobConnections, ensureJobQueues } from '@quire/db/jobs';
import { drainStorageGarbage } from '@quire/db/storage-garbage';
import { createProject, deleteProject, listTemplates } from '../src/server/projects';
import { createCharacter, deleteCharacter, setPortrait } from '../src/server/bible/characters';
import { createLocation, deleteLocation, setLocationImage } from '../src/server/bible/locations';
import { embeddedAuth, joinProject, signUp, testDatabase, type TestDb, type TestUser } from './helpers';
import { startStorageServer, type StorageServer } from './storage-server';
import { startWorkerProcess, waitFor } from './worker-process';

let db: TestDb;
let server: StorageServer;
let worker: ReturnType<typeof startWorkerProcess>;
let owner: TestUser, editor: TestUser;
let templateId: string;

const photo = (seed: number) =>
  sharp({ create: { width: 900 + seed * 10, height: 600, channels: 3, background: { r: (seed * 40) % 256, g: 120, b: 200 } } }).jpeg().toBuffer();

async function filesOnDisk(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const entry of await readdir(server.root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.add(path.join(entry.parentPath, entry.name));
  }
  return out;
}

/** Object rows whose name starts with any of the folders. */
async function objectsIn(folders: string[]): Promise<string[]> {
  const { rows } = await db.admin.query<{ name: string }>(
    `select name from storage.objects where bucket_id = 'character-images' and exists (select 1 from unnest($1::text[]) f where starts_with(name, f || '/'))`,
    [folders],
  );
  return rows.map((r) => r.name);
}

const folderOf = (imagePath: string) => imagePath.slice(0, imagePath.lastIndexOf('/'));
const queued = async () => Number((await db.admin.query('select count(*) from private.storage_garbage')).rows[0].count);

/** Waits until the worker has removed every object in the folders and emptied the queue. */
async function drained(folders: string[]) {
  await waitFor(`the pictures in ${folders.join(', ')} to be removed`, async () => (await objectsIn(folders)).length === 0 && (await queued()) === 0);
}

async function newProject(title: string) {
  const id = (await createProject(db.pool, owner.claims, { title, templateId })).id;
  await joinProject(db.pool, owner, id, editor, 'editor');
  return id;
}

beforeAll(async () => {
  db = await testDatabase();
  await ensureJobQueues(db.pool);
  server = await startStorageServer(db.pool);
  const auth = embeddedAuth(db.pool);
  [owner, editor] = await Promise.all([signUp(auth, 'owner'), signUp(auth, 'editor')]);
  await db.admin.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [owner.userId]);
  templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  worker = startWorkerProcess(db.url, server.site);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await closeJobConnections();
  await server?.close();
  await db?.close();
});

describe('pictures of deleted things are removed by the worker', () => {
  it('deleting a location removes its picture’s rows and files', async () => {
    const projectId = await newProject('Harbour');
    const before = await filesOnDisk();
    const harbour = await createLocation(db.pool, editor.claims, { projectId, name: 'Harbour', kind: 'town' });
    const pictured = await setLocationImage(db.pool, editor.claims, server.as(editor.accessToken), projectId, {
      locationId: harbour.id, version: harbour.version, bytes: await photo(1),
    });
    const folder = folderOf(pictured.imagePath!);
    expect((await objectsIn([folder])).sort()).toEqual([`${folder}/display.webp`, `${folder}/thumb.webp`]);
    expect((await filesOnDisk()).size).toBe(before.size + 2);

    await deleteLocation(db.pool, editor.claims, projectId, { locationId: harbour.id });
    await drained([folder]);
    expect(await filesOnDisk()).toEqual(before);
  }, 90_000);

  it('replacing and removing a picture removes the old files', async () => {
    const projectId = await newProject('Lighthouse');
    const before = await filesOnDisk();
    const storage = server.as(editor.accessToken);
    const tower = await createLocation(db.pool, editor.claims, { projectId, name: 'The tower', kind: 'building' });
    const first = await setLocationImage(db.pool, editor.claims, storage, projectId, { locationId: tower.id, version: tower.version, bytes: await photo(2) });
    const second = await setLocationImage(db.pool, editor.claims, storage, projectId, { locationId: tower.id, version: first.version, bytes: await photo(3) });
    await drained([folderOf(first.imagePath!)]);
    expect(await objectsIn([folderOf(second.imagePath!)])).toHaveLength(2);
    expect((await filesOnDisk()).size).toBe(before.size + 2);

    const none = await setLocationImage(db.pool, editor.claims, storage, projectId, { locationId: tower.id, version: second.version, bytes: null });
    expect(none.imagePath).toBeNull();
    await drained([folderOf(second.imagePath!)]);
    expect(await filesOnDisk()).toEqual(before);
  }, 90_000);

  it('deleting a character removes its portrait soon after', async () => {
    const projectId = await newProject('Cast');
    const before = await filesOnDisk();
    const mara = await createCharacter(db.pool, editor.claims, { projectId, name: 'Mara' });
    const withPortrait = await setPortrait(db.pool, editor.claims, server.as(editor.accessToken), projectId, {
      characterId: mara.id, version: mara.version, bytes: await photo(4),
    });
    await deleteCharacter(db.pool, editor.claims, projectId, { characterId: mara.id });
    await drained([folderOf(withPortrait.imagePath!)]);
    expect(await filesOnDisk()).toEqual(before);
  }, 90_000);

  it('deleting a project removes every picture of its characters and locations', async () => {
    const projectId = await newProject('Whole world');
    const before = await filesOnDisk();
    const storage = server.as(editor.accessToken);
    const folders: string[] = [];
    for (const [i, name] of ['Ada', 'Ben'].entries()) {
      const c = await createCharacter(db.pool, editor.claims, { projectId, name });
      folders.push(folderOf((await setPortrait(db.pool, editor.claims, storage, projectId, { characterId: c.id, version: c.version, bytes: await photo(10 + i) })).imagePath!));
    }
    const country = await createLocation(db.pool, owner.claims, { projectId, name: 'Norland', kind: 'country' });
    const city = await createLocation(db.pool, editor.claims, { projectId, name: 'Port Ely', kind: 'city', parentId: country.id });
    for (const [i, l] of [country, city].entries()) {
      const who = i === 0 ? owner : editor;
      folders.push(folderOf((await setLocationImage(db.pool, who.claims, server.as(who.accessToken), projectId, { locationId: l.id, version: l.version, bytes: await photo(20 + i) })).imagePath!));
    }
    expect(await objectsIn(folders)).toHaveLength(8);
    expect((await filesOnDisk()).size).toBe(before.size + 8);

    await deleteProject(db.pool, owner.claims, { projectId, confirmTitle: 'Whole world' });
    await drained(folders);
    expect(await filesOnDisk()).toEqual(before);
  }, 90_000);

  it('keeps a folder storage refuses queued, goes on with the rest, and records the failed attempt', async () => {
    const projectId = await newProject('Refusals');
    const place = await createLocation(db.pool, editor.claims, { projectId, name: 'Quay', kind: 'landmark' });
    const pictured = await setLocationImage(db.pool, editor.claims, server.as(editor.accessToken), projectId, { locationId: place.id, version: place.version, bytes: await photo(30) });
    // a queue entry for a bucket that does not exist: storage answers 404 for it every time
    await db.admin.query(`insert into private.storage_garbage (bucket_id, folder) values ('no-such-bucket', 'nobody/nothing')`);
    await deleteLocation(db.pool, editor.claims, projectId, { locationId: place.id });
    const folder = folderOf(pictured.imagePath!);
    await waitFor('the good folder to be removed', async () => (await objectsIn([folder])).length === 0);
    const failure = await waitFor('the failure row', async () =>
      (await db.admin.query(`select final, error_message from public.background_failures where source = 'storage-garbage'`)).rows[0],
    );
    expect(failure.error_message).toMatch(/no-such-bucket\/nobody\/nothing/);
    expect((await db.admin.query('select bucket_id from private.storage_garbage')).rows).toEqual([{ bucket_id: 'no-such-bucket' }]);
    await db.admin.query(`delete from private.storage_garbage where bucket_id = 'no-such-bucket'`);
  }, 90_000);

  it('drains idempotently: two drains at once remove each object once, a drain of nothing does nothing', async () => {
    const projectId = await newProject('Twice');
    const storage = server.as(editor.accessToken);
    const folders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const l = await createLocation(db.pool, editor.claims, { projectId, name: `Place ${i}` });
      folders.push(folderOf((await setLocationImage(db.pool, editor.claims, storage, projectId, { locationId: l.id, version: l.version, bytes: await photo(40 + i) })).imagePath!));
    }
    await worker.stop(); // so the two drains below are the only ones
    try {
      await db.admin.query(`delete from public.locations where project_id = $1`, [projectId]);
      const [a, b] = await Promise.all([drainStorageGarbage(db.pool, server.asService(), { batch: 2 }), drainStorageGarbage(db.pool, server.asService(), { batch: 2 })]);
      expect(a.failed).toEqual([]);
      expect(b.failed).toEqual([]);
      expect(a.removed + b.removed).toBe(6);
      expect(await objectsIn(folders)).toEqual([]);
      expect(await queued()).toBe(0);
      expect(await drainStorageGarbage(db.pool, server.asService())).toEqual({ folders: 0, removed: 0, failed: [] });
    } finally {
      worker = startWorkerProcess(db.url, server.site);
    }
  }, 90_000);
});
