import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { createProject, listTemplates } from '../src/server/projects';
import { createCharacter, deleteCharacter, getCast, setPortrait, updateCharacter } from '../src/server/bible/characters';
import { thumbOf } from '../src/server/storage/pictures';
import { drainStorageGarbage } from '../src/server/storage/garbage';
import { StaleWrite } from '../src/server/structure/versioned';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type TestDb, type TestUser } from './helpers';
import { startStorageServer, type StorageServer } from './storage-server';

let db: TestDb;
let server: StorageServer;
let owner: TestUser, editor: TestUser, viewer: TestUser, outsider: TestUser;
let projectId: string;

beforeAll(async () => {
  db = await testDatabase();
  const auth = embeddedAuth(db.pool);
  server = await startStorageServer(db.pool);
  [owner, editor, viewer, outsider] = await Promise.all([signUp(auth, 'owner'), signUp(auth, 'editor'), signUp(auth, 'viewer'), signUp(auth, 'outsider')]);
  const template = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Cast', templateId: template })).id;
  await joinProject(db.pool, owner, projectId, editor, 'editor');
  await joinProject(db.pool, owner, projectId, viewer, 'viewer');
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('characters', () => {
  it('builds a cast, searches names and aliases, filters by role and tag', async () => {
    const mara = await createCharacter(db.pool, owner.claims, { projectId, name: 'Mara Voss', role: 'protagonist' });
    const zoe = await createCharacter(db.pool, editor.claims, { projectId, name: 'Zoë', role: 'antagonist' });
    await updateCharacter(db.pool, owner.claims, projectId, { characterId: mara.id, version: mara.version, patch: { aliases: ['The Pilot'], tags: ['crew'] } });
    await updateCharacter(db.pool, editor.claims, projectId, { characterId: zoe.id, version: zoe.version, patch: { tags: ['crew', 'harbour'] } });
    expect((await getCast(db.pool, viewer.claims, projectId, { q: 'pilot' }))!.characters.map((c) => c.name)).toEqual(['Mara Voss']);
    expect((await getCast(db.pool, viewer.claims, projectId, { role: 'antagonist' }))!.characters.map((c) => c.name)).toEqual(['Zoë']);
    const crew = (await getCast(db.pool, viewer.claims, projectId, { tag: 'crew' }))!;
    expect(crew.characters).toHaveLength(2);
    expect(crew.tags).toEqual(['crew', 'harbour']);
    expect(crew.canEdit).toBe(false);
    expect(await getCast(db.pool, outsider.claims, projectId)).toBeNull();
  });

  it('refuses stale writes, bad input and viewers', async () => {
    const c = await createCharacter(db.pool, owner.claims, { projectId, name: 'Ilya' });
    await updateCharacter(db.pool, editor.claims, projectId, { characterId: c.id, version: c.version, patch: { goal: 'Get home' } });
    const stale = await refusal(updateCharacter(db.pool, owner.claims, projectId, { characterId: c.id, version: c.version, patch: { goal: 'Stay' } }));
    expect(stale).toBeInstanceOf(StaleWrite);
    expect((stale as StaleWrite<{ goal: string }>).current.goal).toBe('Get home');
    expect((await refusal(createCharacter(db.pool, owner.claims, { projectId, name: '  ' }))).kind).toBe('invalid');
    expect((await refusal(createCharacter(db.pool, viewer.claims, { projectId, name: 'Nope' }))).kind).toBe('forbidden');
    expect((await refusal(deleteCharacter(db.pool, viewer.claims, projectId, { characterId: c.id }))).kind).toBe('forbidden');
  });

  it('stores a portrait as a display size and a thumbnail, refuses a disguised file, and removes the pictures with the character', async () => {
    const c = await createCharacter(db.pool, editor.claims, { projectId, name: 'Łukasz' });
    const photo = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: '#884422' } }).jpeg().toBuffer();
    const storage = server.as(editor.accessToken);
    const bad = await refusal(setPortrait(db.pool, editor.claims, storage, projectId, { characterId: c.id, version: c.version, bytes: Buffer.from('GIF89a not really') }));
    expect(bad.message).toMatch(/damaged|not a JPEG/);
    const withPicture = await setPortrait(db.pool, editor.claims, storage, projectId, { characterId: c.id, version: c.version, bytes: photo });
    expect(withPicture.imagePath).toMatch(new RegExp(`^${editor.userId}/${c.id}/[0-9a-f-]{36}/display\\.webp$`));
    // the viewer reads both sizes through signed URLs; someone outside the project cannot
    const signed = await server.as(viewer.accessToken).from('character-images').createSignedUrls([withPicture.imagePath!, thumbOf(withPicture.imagePath!)], 60);
    const [display, thumb] = await Promise.all(signed.data!.map(async (s) => sharp(Buffer.from(await (await fetch(s.signedUrl!)).arrayBuffer())).metadata()));
    expect(display).toMatchObject({ format: 'webp', width: 1200, height: 900 });
    expect(thumb).toMatchObject({ format: 'webp', width: 256, height: 256 });
    expect((await server.as(outsider.accessToken).from('character-images').download(withPicture.imagePath!)).error).not.toBeNull();
    // a viewer cannot set one
    expect((await refusal(setPortrait(db.pool, viewer.claims, server.as(viewer.accessToken), projectId, { characterId: c.id, version: withPicture.version, bytes: photo }))).kind).toBe('forbidden');
    await deleteCharacter(db.pool, owner.claims, projectId, { characterId: c.id });
    expect(await drainStorageGarbage(db.pool, server.asService())).toBe(2);
    expect((await db.admin.query(`select name from storage.objects where bucket_id = 'character-images'`)).rows).toEqual([]);
  });
});
