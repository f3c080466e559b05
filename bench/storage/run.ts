/**
 * Storage benchmark (not a test: it prints figures and ratios).
 *
 *   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm bench:storage [--images 200] [--concurrency 8] [--rounds 3]
 *   (without TEST_DATABASE_URL an embedded Postgres is started)
 *
 * The same mixed set of pictures (small, medium and large JPEGs and PNGs, generated once, excluded from the timings)
 * is stored four ways in the same run, each with the same number of uploads in flight:
 *   - disk:      writeFile of the bytes into a folder — the floor, what the subset does at its core;
 *   - raw:       supabase-js upload over HTTP into a bucket with no type limit, as a signed-in writer (token check,
 *                policies under RLS, md5, the file, the row);
 *   - pictures:  the same into character-images, which also reads the type from the bytes and decodes each picture
 *                fully with sharp before storing it (what every picture upload pays);
 *   - app path:  a place's picture as the app stores it (server/storage/pictures.ts): the type, a re-encode into a display
 *                size and a thumbnail, two uploads over HTTP.
 * Then sharp alone, without storage: the full decode check and the re-encode, per picture.
 */
import http from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { createPool } from '@quire/db';
import { createTestDatabase, startTestServer } from '@quire/db/testing';
import { createStorage, storagePath } from '../../apps/web/src/server/storage/api';
import { checkImage, pictureVariants } from '../../apps/web/src/server/storage/images';
import { IMAGE_TYPES } from '../../apps/web/src/server/storage/sniff';
import { storePicture } from '../../apps/web/src/server/storage/pictures';
import { anonKey, signAccessToken, verifyAccessToken } from '../../apps/web/src/lib/auth/tokens';

const { values: args } = parseArgs({
  options: { images: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '8' }, rounds: { type: 'string', default: '3' } },
});
const IMAGES = Number(args.images);
const CONCURRENCY = Number(args.concurrency);
const ROUNDS = Number(args.rounds);
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-signing';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => bytes / (1024 * 1024);

/** Runs `task` over every item with at most `limit` in flight; the wall time in ms. */
async function pooled<T>(items: T[], limit: number, task: (item: T, index: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i]!, i);
      }
    }),
  );
  return performance.now() - start;
}

/** Noise-textured pictures, so the encoders cannot shrink them to nothing: 40% small, 40% medium, 20% large. */
async function makeImages(count: number): Promise<Buffer[]> {
  const sizes = [
    [480, 320],
    [1600, 1067],
    [3000, 2000],
  ] as const;
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const [w, h] = sizes[i % 5 < 2 ? 0 : i % 5 < 4 ? 1 : 2];
    const noise = sharp({ create: { width: w, height: h, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
    const tinted = sharp(await noise.png().toBuffer()).tint({ r: (i * 37) % 255, g: 120, b: 200 }).blur(1.2);
    out.push(i % 3 === 0 ? await tinted.png({ compressionLevel: 6 }).toBuffer() : await tinted.jpeg({ quality: 85 }).toBuffer());
  }
  return out;
}

async function main() {
  const server = await startTestServer();
  const db = await createTestDatabase(server.adminUrl);
  const pool = createPool(db.url, { max: 12 });
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-storage-'));
  const diskRoot = await mkdtemp(path.join(os.tmpdir(), 'quire-bench-disk-'));
  const storage = createStorage({ pool, jwtSecret: SECRET, root, verifyUser: (token) => verifyAccessToken(SECRET, token) });
  const site = await serve(storage);

  // one writer, and a bucket with no type limit held to the same own-folder rule as character-images
  const { rows } = await pool.query<{ id: string }>(`insert into auth.users (email) values ('bench@example.com') returning id`);
  const userId = rows[0]!.id;
  // the pictures of every round would pass the free plan's 100 MB; each round's uploads are removed after it anyway
  await pool.query(`update public.user_profiles set subscription_tier = 'team' where id = $1`, [userId]);
  const { token } = await signAccessToken(SECRET, { sub: userId, email: 'bench@example.com', session_id: crypto.randomUUID(), iss: 'bench' }, 3600);
  await pool.query(`insert into storage.buckets (id, name, public, file_size_limit) values ('bench-raw', 'bench-raw', false, 5242880)`);
  for (const [op, clause] of [['insert', 'with check'], ['select', 'using']] as const) {
    await pool.query(`create policy "bench raw ${op}" on storage.objects for ${op} to authenticated ${clause} (bucket_id = 'bench-raw' and private.is_own_object_name(name, (select auth.uid())))`);
  }
  const client = createClient(site.url, await anonKey(SECRET), {
    global: { headers: { Authorization: `Bearer ${token}` } },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
  }).storage;

  process.stdout.write(`generating ${IMAGES} pictures… `);
  const images = await makeImages(IMAGES);
  const total = images.reduce((n, b) => n + b.byteLength, 0);
  console.log(`${mb(total).toFixed(1)} MB, ${(total / IMAGES / 1024).toFixed(0)} KB average (${Math.min(...images.map((b) => b.byteLength)) >> 10}–${Math.max(...images.map((b) => b.byteLength)) >> 10} KB)`);
  console.log(`${ROUNDS} rounds after a warm-up, concurrency ${CONCURRENCY}, medians; storage server on ${site.url}\n`);

  const ways: Record<string, (round: number) => Promise<number>> = {
    disk: (round) => pooled(images, CONCURRENCY, (bytes, i) => writeFile(path.join(diskRoot, `${round}-${i}`), bytes, { flag: 'wx' })),
    raw: (round) =>
      pooled(images, CONCURRENCY, async (bytes, i) => {
        const { error } = await client.from('bench-raw').upload(`${userId}/r${round}/${i}`, bytes, { contentType: 'application/octet-stream' });
        if (error) throw error;
      }),
    pictures: (round) =>
      pooled(images, CONCURRENCY, async (bytes, i) => {
        const { error } = await client.from('character-images').upload(`${userId}/p${round}/${i}`, bytes, { contentType: 'image/jpeg' });
        if (error) throw error;
      }),
    'app path': (round) => pooled(images, CONCURRENCY, async (bytes, i) => void (await storePicture(client, userId, `r${round}-${i}`, bytes))),
  };
  const times: Record<string, number[]> = {};
  for (let round = 0; round <= ROUNDS; round++) {
    for (const [name, run] of Object.entries(ways)) {
      const t = await run(round);
      if (round > 0) (times[name] ??= []).push(t);
      await clearAll(pool, storage, diskRoot);
    }
  }

  const sharpTimes = { check: [] as number[], variants: [] as number[] };
  for (let round = 0; round <= ROUNDS; round++) {
    const check = await pooled(images, CONCURRENCY, async (bytes) => void (await checkImage(bytes, IMAGE_TYPES)));
    const variants = await pooled(images, CONCURRENCY, async (bytes) => void (await pictureVariants(bytes)));
    if (round > 0) {
      sharpTimes.check.push(check);
      sharpTimes.variants.push(variants);
    }
  }

  const floor = median(times.disk!);
  const line = (label: string, ms: number, ratio: string) =>
    console.log(`  ${label.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms  ${(mb(total) / (ms / 1000)).toFixed(1).padStart(7)} MB/s  ${(IMAGES / (ms / 1000)).toFixed(0).padStart(6)} pictures/s  ${ratio}`);
  console.log('storing the same bytes:');
  line('disk: writeFile (the floor)', floor, '1.00x');
  line('subset over HTTP, bucket without type limit', median(times.raw!), `${(floor / median(times.raw!)).toFixed(3)}x of disk`);
  line('subset over HTTP, character-images (decode)', median(times.pictures!), `${(floor / median(times.pictures!)).toFixed(3)}x of disk`);
  line('app path: type, re-encode, 2 uploads', median(times['app path']!), `${(floor / median(times['app path']!)).toFixed(3)}x of disk`);
  console.log('\nsharp alone (no storage):');
  line('full decode check (checkImage)', median(sharpTimes.check), `${(median(sharpTimes.check) / median(times.pictures!) * 100).toFixed(0)}% of a picture upload's time`);
  line('display + thumbnail re-encode (pictureVariants)', median(sharpTimes.variants), `${(median(sharpTimes.variants) / median(times['app path']!) * 100).toFixed(0)}% of the app path's time`);
  console.log(`\nratio subset (pictures) / disk, throughput: ${(floor / median(times.pictures!)).toFixed(3)}x; without the decode: ${(floor / median(times.raw!)).toFixed(3)}x`);

  await site.close();
  await pool.end();
  await db.drop();
  await server.stop();
  await rm(root, { recursive: true, force: true });
  await rm(diskRoot, { recursive: true, force: true });
}

/**
 * Removes what a way stored, untimed, so every way and round starts from the same empty bucket (the plan's storage
 * check sums the writer's objects on every upload, so a fuller folder would slow the later ways down).
 */
async function clearAll(pool: ReturnType<typeof createPool>, storage: ReturnType<typeof createStorage>, diskRoot: string) {
  const { rows } = await pool.query<{ bucket_id: string; version: string | null }>('delete from storage.objects returning bucket_id, version');
  await Promise.all(rows.map((r) => storage.store.disk.remove(r.bucket_id, r.version)));
  await rm(diskRoot, { recursive: true, force: true });
  await mkdir(diskRoot, { recursive: true });
}

/** The embedded storage on a loopback HTTP server, as the web app's /storage/v1 route hands requests to it. */
async function serve(storage: ReturnType<typeof createStorage>) {
  const server = http.createServer(async (req, res) => {
    const url = `http://${req.headers.host}${req.url}`;
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      ...(hasBody ? { duplex: 'half' } : {}),
    } as RequestInit);
    const response = await storage.handle(request, storagePath(url));
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    res.writeHead(response.status, headers);
    if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

await main();
