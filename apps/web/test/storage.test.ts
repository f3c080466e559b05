import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { createProject, listTemplates } from '../src/server/projects';
import { drainStorageGarbage } from '../src/server/storage/garbage';
import { embeddedAuth, joinProject, signUp, testDatabase, type Auth, type TestDb, type TestUser } from './helpers';
import { startStorageServer, type StorageServer } from './storage-server';

let db: TestDb;
let auth: Auth;
let server: StorageServer;
let ana: TestUser, ben: TestUser, cleo: TestUser;
let projectId: string, otherProjectId: string;

const png = (w = 64, h = 48) => sharp({ create: { width: w, height: h, channels: 3, background: '#c0ffee' } }).png().toBuffer();
const jpeg = () => sharp({ create: { width: 80, height: 80, channels: 3, background: '#123456' } }).jpeg().toBuffer();

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(path.join(entry.parentPath, entry.name));
  }
  return out;
}

beforeAll(async () => {
  db = await testDatabase();
  auth = embeddedAuth(db.pool);
  server = await startStorageServer(db.pool);
  [ana, ben, cleo] = await Promise.all([signUp(auth, 'ana'), signUp(auth, 'ben'), signUp(auth, 'cleo')]);
  const template = (await listTemplates(db.pool, ana.claims)).find((t) => t.kind === 'novel')!.id;
  projectId = (await createProject(db.pool, ana.claims, { title: 'Harbour', templateId: template })).id;
  otherProjectId = (await createProject(db.pool, cleo.claims, { title: 'Elsewhere', templateId: template })).id;
  await joinProject(db.pool, ana, projectId, ben, 'viewer');
  await db.admin.query(`insert into storage.buckets (id, name, public) values ('open-test', 'open-test', true) on conflict do nothing`);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('the embedded storage through supabase-js over HTTP', () => {
  it('uploads, upserts, downloads, lists, signs, and removes in the own folder', async () => {
    const storage = server.as(ana.accessToken).from('character-images');
    const name = `${ana.userId}/portraits/first.png`;
    const bytes = await png();
    const up = await storage.upload(name, bytes, { contentType: 'image/png' });
    expect(up.error).toBeNull();
    expect(up.data).toMatchObject({ path: name, fullPath: `character-images/${name}` });

    const again = await storage.upload(name, bytes, { contentType: 'image/png' });
    expect(again.error).toMatchObject({ statusCode: '409' });
    const replacement = await jpeg();
    const upsert = await storage.upload(name, new Blob([new Uint8Array(replacement)]), { upsert: true });
    expect(upsert.error).toBeNull();

    const down = await storage.download(name);
    expect(down.error).toBeNull();
    expect(Buffer.from(await down.data!.arrayBuffer()).equals(replacement)).toBe(true);
    // the type comes from the bytes, whatever the client said
    expect(down.data!.type).toBe('image/jpeg');

    const listed = await storage.list(ana.userId);
    expect(listed.error).toBeNull();
    expect(listed.data).toEqual([expect.objectContaining({ name: 'portraits', id: null })]);
    const inner = await storage.list(`${ana.userId}/portraits`);
    expect(inner.data?.map((f) => f.name)).toEqual(['first.png']);
    expect(inner.data?.[0]?.metadata).toMatchObject({ mimetype: 'image/jpeg', size: replacement.byteLength });

    const signed = await storage.createSignedUrl(name, 60);
    expect(signed.error).toBeNull();
    const fetched = await fetch(signed.data!.signedUrl);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await fetched.arrayBuffer()).equals(replacement)).toBe(true);
    const tampered = signed.data!.signedUrl.replace('first.png', 'other.png');
    expect((await fetch(tampered)).status).toBe(400);

    const removed = await storage.remove([name]);
    expect(removed.data?.map((f) => f.name)).toEqual([name]);
    expect((await storage.download(name)).error).not.toBeNull();
    expect((await fetch(signed.data!.signedUrl)).status).toBe(404);
    // bytes of both versions are gone from disk
    expect(await filesUnder(server.root)).toEqual([]);
  });

  it('serves public URLs only for a public bucket', async () => {
    const service = server.asService();
    const bytes = await png(10, 10);
    expect((await service.from('open-test').upload('covers/a.png', bytes, { contentType: 'image/png' })).error).toBeNull();
    const url = service.from('open-test').getPublicUrl('covers/a.png').data.publicUrl;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    const own = `${ana.userId}/p.png`;
    expect((await server.as(ana.accessToken).from('character-images').upload(own, bytes)).error).toBeNull();
    const privateUrl = server.as(ana.accessToken).from('character-images').getPublicUrl(own).data.publicUrl;
    expect((await fetch(privateUrl)).status).toBe(404);
    await server.as(ana.accessToken).from('character-images').remove([own]);
  });

  it('refuses wrong types by their bytes, damaged pictures and oversized files, leaving nothing behind', async () => {
    const storage = server.as(ana.accessToken).from('character-images');
    const before = await filesUnder(server.root);
    const lying = await storage.upload(`${ana.userId}/evil.png`, Buffer.from('<svg onload="alert(1)"></svg>'), { contentType: 'image/png' });
    expect(lying.error).toMatchObject({ statusCode: '415' });
    expect(lying.error?.message).toMatch(/not a JPEG, PNG, WebP or GIF/);
    const full = await png(400, 300);
    const truncated = await storage.upload(`${ana.userId}/cut.png`, full.subarray(0, Math.floor(full.length / 2)), { contentType: 'image/png' });
    expect(truncated.error).toMatchObject({ statusCode: '415' });
    expect(truncated.error?.message).toMatch(/damaged or incomplete/);
    const huge = Buffer.alloc(5 * 1024 * 1024 + 1);
    full.copy(huge);
    const big = await storage.upload(`${ana.userId}/big.png`, huge, { contentType: 'image/png' });
    expect(big.error).toMatchObject({ statusCode: '413' });
    const { rows } = await db.admin.query(`select name from storage.objects where bucket_id = 'character-images' and name like $1`, [`${ana.userId}/%`]);
    expect(rows).toEqual([]);
    expect(await filesUnder(server.root)).toEqual(before);
  });

  it('keeps every writer in their own folder and every reader out of other people’s pictures', async () => {
    const anaStore = server.as(ana.accessToken).from('character-images');
    const cleoStore = server.as(cleo.accessToken).from('character-images');
    const bytes = await png();
    const anaName = `${ana.userId}/c1/display.webp`;
    expect((await anaStore.upload(anaName, bytes)).error).toBeNull();

    for (const name of [`${cleo.userId}/x.png`, `${ana.userId}/../${cleo.userId}/x.png`, 'loose.png']) {
      const { error } = await server.as(ben.accessToken).from('character-images').upload(name, bytes);
      expect(error, name).not.toBeNull();
    }
    expect((await cleoStore.upload(anaName, bytes, { upsert: true })).error).not.toBeNull();
    expect((await cleoStore.download(anaName)).error).toMatchObject({ statusCode: '404' });
    expect((await cleoStore.createSignedUrl(anaName, 60)).error).toMatchObject({ statusCode: '404' });
    expect((await cleoStore.remove([anaName])).data).toEqual([]);
    expect((await server.asAnon().from('character-images').download(anaName)).error).not.toBeNull();

    // a co-member reads a picture once a character of the shared project uses it; another project never does
    expect((await server.as(ben.accessToken).from('character-images').download(anaName)).error).not.toBeNull();
    await db.admin.query(`insert into public.characters (project_id, user_id, name, image_path) values ($1, $2, 'Mara', $3)`, [projectId, ana.userId, anaName]);
    expect((await server.as(ben.accessToken).from('character-images').download(anaName)).error).toBeNull();
    expect((await cleoStore.download(anaName)).error).not.toBeNull();
    // and nobody can borrow access by pointing their own character at it
    const borrow = await db.pool.connect();
    try {
      await borrow.query('begin');
      await borrow.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(cleo.claims)]);
      await expect(borrow.query(`insert into public.characters (project_id, name, image_path) values ($1, 'Thief', $2)`, [otherProjectId, anaName])).rejects.toMatchObject({ code: '42501' });
    } finally {
      await borrow.query('rollback');
      borrow.release();
    }
    // deleting the character queues its picture folder for removal
    await db.admin.query(`delete from public.characters where project_id = $1`, [projectId]);
    const { rows } = await db.admin.query(`select bucket_id, folder from private.storage_garbage`);
    expect(rows).toContainEqual({ bucket_id: 'character-images', folder: `${ana.userId}/c1` });
    expect(await drainStorageGarbage(db.pool, server.asService())).toBe(1);
    expect((await db.admin.query(`select 1 from storage.objects where name = $1`, [anaName])).rows).toEqual([]);
    expect((await db.admin.query(`select 1 from private.storage_garbage`)).rows).toEqual([]);
  });

  it('lets only the service role write exports, and the project’s members read them by signed link', async () => {
    const name = `${projectId}/exports/draft.pdf`;
    const pdf = Buffer.from('%PDF-1.7\n% a tiny export\n');
    const service = server.asService().from('exports');
    expect((await service.upload(name, pdf, { contentType: 'application/pdf', upsert: true })).error).toBeNull();
    expect((await server.as(ana.accessToken).from('exports').upload(`${projectId}/mine.pdf`, pdf)).error).toMatchObject({ statusCode: '403' });
    const signed = await server.as(ben.accessToken).from('exports').createSignedUrl(name, 30, { download: 'Draft.pdf' });
    expect(signed.error).toBeNull();
    const res = await fetch(signed.data!.signedUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename\*=UTF-8''Draft\.pdf/);
    expect((await server.as(cleo.accessToken).from('exports').createSignedUrl(name, 30)).error).toMatchObject({ statusCode: '404' });
    expect((await server.as(cleo.accessToken).from('exports').list(projectId)).data).toEqual([]);
    expect((await server.as(ben.accessToken).from('exports').remove([name])).data).toEqual([]);
    const expired = await server.as(ben.accessToken).from('exports').createSignedUrl(name, 1);
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetch(expired.data!.signedUrl)).status).toBe(400);
    expect((await service.remove([name])).data).toHaveLength(1);
  });

  it('holds over raw HTTP too: no encoded way out of the own folder, no reading or changing another project’s pictures', async () => {
    const base = `${server.site}/storage/v1/object`;
    const as = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, apikey: server.anonKey, ...extra });
    const bytes = await png(20, 20);
    const anaName = `${ana.userId}/loc1/${crypto.randomUUID()}/display.webp`;
    expect((await fetch(`${base}/character-images/${anaName}`, { method: 'POST', headers: as(ana.accessToken, { 'content-type': 'image/png' }), body: bytes })).status).toBe(200);
    await db.admin.query(`insert into public.locations (project_id, user_id, name, image_path) values ($1, $2, 'Harbour', $3)`, [projectId, ana.userId, anaName]);

    // every spelling of a way out of ana's folder into cleo's is refused or stays inside ana's folder
    const escapes = [
      `${ana.userId}/%2E%2E/${cleo.userId}/x.png`,
      `${ana.userId}%2F..%2F${cleo.userId}/x.png`,
      `${ana.userId}/..%5C${cleo.userId}/x.png`,
      `${ana.userId}/./../${cleo.userId}/x.png`,
      `%2F${cleo.userId}/x.png`,
      `${cleo.userId}/x.png`,
    ];
    for (const name of escapes) {
      const res = await fetch(`${base}/character-images/${name}`, { method: 'POST', headers: as(ana.accessToken, { 'content-type': 'image/png' }), body: bytes });
      expect(res.status, name).toBeGreaterThanOrEqual(400);
    }
    // a double-encoded dot is decoded once: it stays a strange name inside ana's own folder
    const twice = await fetch(`${base}/character-images/${ana.userId}/%252E%252E/${cleo.userId}/x.png`, { method: 'POST', headers: as(ana.accessToken, { 'content-type': 'image/png' }), body: bytes });
    expect(twice.status).toBe(200);
    expect(((await twice.json()) as { Key: string }).Key).toBe(`character-images/${ana.userId}/%2E%2E/${cleo.userId}/x.png`);
    expect((await db.admin.query(`select name from storage.objects where starts_with(name, $1)`, [`${cleo.userId}/`])).rows).toEqual([]);

    // cleo, in another project: no read by any route, no listing, no signing, no overwrite, no delete
    const cleoHeaders = as(cleo.accessToken);
    for (const path of [`authenticated/character-images/${anaName}`, `character-images/${anaName}`, `info/authenticated/character-images/${anaName}`, `public/character-images/${anaName}`]) {
      const res = await fetch(`${base}/${path}`, { headers: cleoHeaders });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('content-type'), path).toMatch(/json/);
    }
    const signed = await fetch(`${base}/sign/character-images`, { method: 'POST', headers: { ...cleoHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ paths: [anaName], expiresIn: 60 }) });
    expect(await signed.json()).toEqual([expect.objectContaining({ path: anaName, signedURL: null })]);
    const listed = await fetch(`${base}/list/character-images`, { method: 'POST', headers: { ...cleoHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ prefix: `${ana.userId}/loc1` }) });
    expect(await listed.json()).toEqual([]);
    for (const [method, extra] of [['PUT', {}], ['POST', { 'x-upsert': 'true' }]] as const) {
      const res = await fetch(`${base}/character-images/${anaName}`, { method, headers: as(cleo.accessToken, { 'content-type': 'image/png', ...extra }), body: await png(30, 30) });
      expect(res.status, method).toBeGreaterThanOrEqual(400);
    }
    expect((await fetch(`${base}/character-images/${anaName}`, { method: 'DELETE', headers: cleoHeaders })).status).toBe(404);
    const moved = await fetch(`${base}/move`, { method: 'POST', headers: { ...cleoHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ bucketId: 'character-images', sourceKey: anaName, destinationKey: `${cleo.userId}/stolen.webp` }) });
    expect(moved.status).toBeGreaterThanOrEqual(400);

    // ben reads the picture his project uses, but cannot change or delete what ana uploaded
    const read = await fetch(`${base}/authenticated/character-images/${anaName}`, { headers: as(ben.accessToken) });
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(`${base}/character-images/${anaName}`, { method: 'PUT', headers: as(ben.accessToken, { 'content-type': 'image/png' }), body: await png(30, 30) })).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${base}/character-images/${anaName}`, { method: 'DELETE', headers: as(ben.accessToken) })).status).toBe(404);
    // the anon key alone reads nothing
    expect((await fetch(`${base}/authenticated/character-images/${anaName}`, { headers: { authorization: `Bearer ${server.anonKey}`, apikey: server.anonKey } })).status).toBeGreaterThanOrEqual(400);

    const after = await server.as(ana.accessToken).from('character-images').download(anaName);
    expect(Buffer.from(await after.data!.arrayBuffer()).equals(bytes)).toBe(true);
    await db.admin.query(`delete from public.locations where image_path = $1`, [anaName]);
    await server.as(ana.accessToken).from('character-images').remove([anaName, `${ana.userId}/%2E%2E/${cleo.userId}/x.png`]);
  });

  it('refuses a forged or missing token', async () => {
    const forged = server.as('not-a-token').from('character-images');
    expect((await forged.list(ana.userId)).error).toMatchObject({ statusCode: '403' });
    const res = await fetch(`${server.site}/storage/v1/object/list/character-images`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(400);
  });
});
