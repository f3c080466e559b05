/**
 * A place's picture through the storage subset over HTTP (supabase-js) and real Postgres: stored re-encoded as a
 * display size and a thumbnail, readable by the project's members through signed links, and refused — with a
 * sentence a writer understands and nothing left behind — when it is too big, not a picture, cut short or lying
 * about its type, or when the writer may not change the place.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, listTemplates } from '../src/server/projects';
import { createLocation, getWorld, setLocationImage, updateLocation, type LocationDto } from '../src/server/bible/locations';
import { thumbOf } from '../src/server/storage/pictures';
import { StaleWrite } from '../src/server/structure/versioned';
import { embeddedAuth, joinProject, refusal, signUp, testDatabase, type TestDb, type TestUser } from './helpers';
import { startStorageServer, type StorageServer } from './storage-server';

let db: TestDb;
let server: StorageServer;
let owner: TestUser, editor: TestUser, viewer: TestUser, outsider: TestUser;
let projectId: string;

async function filesOnDisk(): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(server.root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

const objectCount = async () => Number((await db.admin.query(`select count(*) from storage.objects where bucket_id = 'character-images'`)).rows[0].count);

beforeAll(async () => {
  db = await testDatabase();
  server = await startStorageServer(db.pool);
  const auth = embeddedAuth(db.pool);
  [owner, editor, viewer, outsider] = await Promise.all([signUp(auth, 'owner'), signUp(auth, 'editor'), signUp(auth, 'viewer'), signUp(auth, 'outsider')]);
  const templateId = (await listTemplates(db.pool, owner.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, owner.claims, { title: 'Places', templateId })).id;
  await joinProject(db.pool, owner, projectId, editor, 'editor');
  await joinProject(db.pool, owner, projectId, viewer, 'viewer');
}, 60_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('a location’s picture', () => {
  let harbour: LocationDto;

  it('is stored as a display size and a square thumbnail, and members see it through signed links', async () => {
    harbour = await createLocation(db.pool, editor.claims, { projectId, name: 'Harbour', kind: 'town' });
    const photo = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#2a6f97' } }).png().toBuffer();
    const pictured = await setLocationImage(db.pool, editor.claims, server.as(editor.accessToken), projectId, {
      locationId: harbour.id, version: harbour.version, bytes: photo,
    });
    expect(pictured.imagePath).toMatch(new RegExp(`^${editor.userId}/${harbour.id}/[0-9a-f-]{36}/display\\.webp$`));
    expect(pictured.version).toBe(harbour.version + 1);
    harbour = pictured;

    const world = (await getWorld(db.pool, viewer.claims, projectId, server.as(viewer.accessToken)))!;
    const links = world.locations.find((l) => l.id === harbour.id)!.picture!;
    const display = await fetch(links.display);
    const thumb = await fetch(links.thumb);
    expect(display.headers.get('content-type')).toBe('image/webp');
    const displayMeta = await sharp(Buffer.from(await display.arrayBuffer())).metadata();
    const thumbMeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([displayMeta.format, displayMeta.width, displayMeta.height]).toEqual(['webp', 1200, 800]);
    expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['webp', 256, 256]);

    // read without links: the project's members may, anyone else may not
    expect((await server.as(viewer.accessToken).from('character-images').download(thumbOf(harbour.imagePath!))).error).toBeNull();
    expect((await server.as(outsider.accessToken).from('character-images').download(harbour.imagePath!)).error).not.toBeNull();
    expect((await server.as(outsider.accessToken).from('character-images').createSignedUrl(harbour.imagePath!, 60)).error).not.toBeNull();
    expect(await getWorld(db.pool, outsider.claims, projectId, server.as(outsider.accessToken))).toBeNull();
  });

  it('refuses files that are too big, not pictures, cut short or lying about their type, and stores nothing', async () => {
    const storage = server.as(editor.accessToken);
    const files = await filesOnDisk();
    const objects = await objectCount();
    const real = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#aa3344' } }).jpeg().toBuffer();
    // large enough that the decoder shrinks it while loading: it must still notice the missing end
    const large = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 30 } } }).jpeg().toBuffer();
    const oversized = Buffer.alloc(5 * 1024 * 1024 + 1);
    real.copy(oversized);
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ['too big', oversized, /larger than 5 MB/],
      ['not a picture', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), /not a JPEG, PNG, WebP or GIF/],
      ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n'), /not a JPEG, PNG, WebP or GIF/],
      ['cut short', real.subarray(0, Math.floor(real.length / 2)), /damaged or incomplete/],
      ['a large photo cut short', large.subarray(0, Math.floor(large.length * 0.8)), /damaged or incomplete/],
      ['a PNG signature on JPEG bytes', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), real.subarray(3)]), /damaged or incomplete/],
      ['empty', new Uint8Array(), /empty/],
    ];
    for (const [what, bytes, message] of cases) {
      const refused = await refusal(setLocationImage(db.pool, editor.claims, storage, projectId, { locationId: harbour.id, version: harbour.version, bytes }));
      expect(refused.kind, what).toBe('invalid');
      expect(refused.message, what).toMatch(message);
    }
    expect(await filesOnDisk()).toEqual(files);
    expect(await objectCount()).toBe(objects);
    const world = (await getWorld(db.pool, editor.claims, projectId))!;
    expect(world.locations.find((l) => l.id === harbour.id)).toMatchObject({ imagePath: harbour.imagePath, version: harbour.version });
  });

  it('refuses readers and stale versions, leaving nothing behind', async () => {
    const files = await filesOnDisk();
    const objects = await objectCount();
    const photo = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#116633' } }).webp().toBuffer();
    const reader = await refusal(setLocationImage(db.pool, viewer.claims, server.as(viewer.accessToken), projectId, { locationId: harbour.id, version: harbour.version, bytes: photo }));
    expect(reader.kind).toBe('forbidden');
    const stale = await refusal(setLocationImage(db.pool, owner.claims, server.as(owner.accessToken), projectId, { locationId: harbour.id, version: harbour.version - 1, bytes: photo }));
    expect(stale).toBeInstanceOf(StaleWrite);
    expect((stale as StaleWrite<LocationDto>).current.imagePath).toBe(harbour.imagePath);
    expect(await filesOnDisk()).toEqual(files);
    expect(await objectCount()).toBe(objects);
  });

  it('says so when the writer’s plan has no room left for the picture', async () => {
    // a large file the writer already keeps (only its row: the plan's check counts sizes)
    const filler = `${editor.userId}/archive/${crypto.randomUUID()}.bin`;
    await db.admin.query(
      `insert into storage.objects (bucket_id, name, owner, owner_id, metadata)
       select 'character-images', $1, $2::uuid, $2::text,
              jsonb_build_object('size', 100 * 1024 * 1024 - 100 - coalesce(sum((metadata ->> 'size')::bigint), 0))
         from storage.objects where owner = $2::uuid`,
      [filler, editor.userId],
    );
    try {
      const files = await filesOnDisk();
      const photo = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#554433' } }).jpeg().toBuffer();
      const full = await refusal(setLocationImage(db.pool, editor.claims, server.as(editor.accessToken), projectId, { locationId: harbour.id, version: harbour.version, bytes: photo }));
      expect(full.kind).toBe('quota');
      expect(full.message).toMatch(/free plan allows 100 MB of pictures/);
      expect(await filesOnDisk()).toEqual(files);
    } finally {
      await db.admin.query('delete from storage.objects where name = $1', [filler]);
    }
  });

  it('cannot point a place at someone else’s picture', async () => {
    const quay = await createLocation(db.pool, owner.claims, { projectId, name: 'Quay' });
    const update = await refusal(
      updateLocation(db.pool, owner.claims, projectId, { locationId: quay.id, version: quay.version, patch: { imagePath: harbour.imagePath } }),
    );
    expect(update.message).toMatch(/only be one you uploaded yourself/);
  });
});
