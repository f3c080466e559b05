import { SignJWT, jwtVerify } from 'jose';
import type { Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { readBodyUpTo } from '../../lib/body';
import { DiskStore } from './disk';
import { failureResponse, invalid, notFound, StorageFailure } from './errors';
import { bucketId, objectName } from './names';
import { fileObject, HARD_LIMIT, ObjectStore, tooLarge, type ObjectRow, type Principal } from './objects';

/**
 * The part of Supabase Storage Quire uses, served by the web app when no Supabase project is configured:
 *   POST|PUT /object/{bucket}/{name}         upload (x-upsert) / replace — raw body or multipart form
 *   GET /object[/authenticated]/{bucket}/{name}, GET /object/info[/authenticated]/{bucket}/{name}
 *   POST /object/sign/{bucket}/{name}, POST /object/sign/{bucket} (many), GET /object/sign/{bucket}/{name}?token=
 *   GET /object/public/{bucket}/{name}       only for a public bucket
 *   DELETE /object/{bucket} { prefixes }, DELETE /object/{bucket}/{name}
 *   POST /object/list/{bucket}                one folder level, as Supabase lists
 *   GET /bucket, GET /bucket/{id}
 * Paths, bodies and error shapes follow Supabase Storage so @supabase/supabase-js works unchanged. Every object read
 * and write runs through withUser, so the policies on storage.objects decide, exactly as on Supabase; the service-role
 * key acts as the service role (jobs), the anon key as anon.
 */
export interface StorageOptions {
  pool: Pool;
  jwtSecret: string;
  /** Folder for the bytes (the launcher passes `<data folder>/storage`). */
  root: string;
  /** Verifies a signed-in user's access token; null when it is missing, forged or expired. */
  verifyUser: (token: string) => Promise<Claims | null>;
}

const encoder = new TextEncoder();

export function createStorage(options: StorageOptions) {
  const store = new ObjectStore(options.pool, new DiskStore(options.root));
  const secret = encoder.encode(options.jwtSecret);

  async function principal(request: Request): Promise<Principal> {
    const header = request.headers.get('authorization');
    const token = header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : request.headers.get('apikey');
    if (!token) throw new StorageFailure(400, 'InvalidJWT', "headers must have required property 'authorization'");
    const claims = await options.verifyUser(token);
    if (claims) return { kind: 'user', claims };
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
      if (payload.role === 'service_role') return { kind: 'service' };
      if (payload.role === 'anon') return { kind: 'anon' };
    } catch {
      // falls through to the refusal
    }
    throw new StorageFailure(403, 'InvalidJWT', 'The access token is not valid or has expired. Sign in again.');
  }

  async function sign(bucket: string, name: string, expiresIn: unknown): Promise<string> {
    const seconds = Number(expiresIn);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60 * 60 * 24 * 365) throw invalid('expiresIn must be a whole number of seconds.');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ url: `${bucket}/${name}` })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuedAt(now)
      .setExpirationTime(now + seconds)
      .sign(secret);
    return `/object/sign/${bucket}/${name}?token=${token}`;
  }

  async function checkSigned(bucket: string, name: string, token: string | null): Promise<void> {
    if (!token) throw new StorageFailure(400, 'InvalidJWT', 'querystring must have required property \'token\'');
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ['HS256'] });
      if (payload.url === `${bucket}/${name}`) return;
    } catch (error) {
      const expired = (error as { code?: string }).code === 'ERR_JWT_EXPIRED';
      throw new StorageFailure(400, 'InvalidJWT', expired ? 'jwt expired' : 'invalid signature');
    }
    throw new StorageFailure(400, 'InvalidSignature', 'The signature does not match this object');
  }

  async function serve(request: Request, row: ObjectRow, url: URL): Promise<Response> {
    const file = await store.open(row);
    const meta = row.metadata ?? {};
    const headers: Record<string, string> = {
      'content-type': String(meta.mimetype ?? 'application/octet-stream'),
      'content-length': String(file.size),
      'cache-control': String(meta.cacheControl ?? 'no-cache'),
      'last-modified': row.updated_at.toUTCString(),
      'x-content-type-options': 'nosniff',
      // a stored file is never a page of this site
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    };
    if (meta.eTag) headers.etag = String(meta.eTag);
    const download = url.searchParams.get('download');
    if (download !== null) {
      const filename = download || row.name.split('/').pop()!;
      headers['content-disposition'] = `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`;
    }
    if (meta.eTag && request.headers.get('if-none-match') === meta.eTag) {
      await file.body.cancel();
      return new Response(null, { status: 304, headers: { etag: String(meta.eTag) } });
    }
    return new Response(request.method === 'HEAD' ? null : file.body, { status: 200, headers });
  }

  async function upload(request: Request, who: Principal, bucket: string, name: string, method: string): Promise<Response> {
    const info = await store.bucket(bucket);
    const limit = store.limitOf(info);
    const contentType = request.headers.get('content-type') ?? '';
    const multipart = contentType.toLowerCase().startsWith('multipart/form-data');
    const body = await readCapped(request, multipart ? limit + 64 * 1024 : limit);
    let bytes: Uint8Array = body;
    let type: string | null = contentType || null;
    let cacheControl = request.headers.get('cache-control');
    if (multipart) {
      const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData().catch(() => {
        throw invalid('The upload form could not be read.');
      });
      const file = [...form.values()].find((value): value is File => typeof value !== 'string');
      if (!file) throw invalid('The upload form has no file.');
      bytes = new Uint8Array(await file.arrayBuffer());
      type = file.type || null;
      const cc = form.get('cacheControl');
      if (typeof cc === 'string') cacheControl = `max-age=${cc}`;
    }
    const mode = method === 'PUT' ? 'update' : request.headers.get('x-upsert') === 'true' ? 'upsert' : 'create';
    const row = await store.put(who, bucket, name, bytes, { mode, contentType: type, cacheControl });
    return Response.json({ Id: row.id, Key: `${bucket}/${name}` });
  }

  async function list(who: Principal, bucket: string, body: Record<string, unknown>): Promise<Response> {
    const raw = typeof body.prefix === 'string' ? body.prefix.replace(/^\/+|\/+$/g, '') : '';
    const prefix = raw ? `${raw}/` : '';
    const limit = Math.min(Math.max(Number(body.limit ?? 100) || 100, 1), 1000);
    const offset = Math.max(Number(body.offset ?? 0) || 0, 0);
    const search = typeof body.search === 'string' ? body.search.toLowerCase() : '';
    const sortBy = (body.sortBy ?? {}) as { column?: string; order?: string };
    const rows = await store.under(who, bucket, prefix);
    const folders = new Map<string, null>();
    const files: Array<ReturnType<typeof fileObject>> = [];
    for (const row of rows) {
      const rest = row.name.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash >= 0) folders.set(rest.slice(0, slash), null);
      else files.push(fileObject(row, rest));
    }
    type Item = { name: string; id: string | null; [k: string]: unknown };
    const items: Item[] = [
      ...[...folders.keys()].map((folder) => ({ name: folder, id: null, updated_at: null, created_at: null, last_accessed_at: null, metadata: null })),
      ...files,
    ].filter((item) => !search || item.name.toLowerCase().includes(search));
    const column = ['name', 'updated_at', 'created_at', 'last_accessed_at'].includes(sortBy.column ?? '') ? sortBy.column! : 'name';
    const direction = sortBy.order === 'desc' ? -1 : 1;
    items.sort((a, b) => direction * String(a[column] ?? '').localeCompare(String(b[column] ?? '')));
    return Response.json(items.slice(offset, offset + limit));
  }

  async function route(request: Request, path: string): Promise<Response> {
    const url = new URL(request.url);
    const segments = path.replace(/^\/+/, '').split('/');
    const method = request.method;
    const [head, second] = segments;
    if (head === 'bucket') {
      const who = await principal(request);
      const buckets = await store.listBuckets(who);
      if (!second) return Response.json(buckets);
      const bucket = buckets.find((b) => b.id === second);
      if (!bucket) throw new StorageFailure(404, 'NoSuchBucket', 'Bucket not found');
      return Response.json(bucket);
    }
    if (head !== 'object') throw new StorageFailure(404, 'NotFound', 'Route not found');
    const rest = segments.slice(1);
    const nameOf = (from: number) => objectName(rest.slice(from).join('/'));

    if ((method === 'GET' || method === 'HEAD') && rest[0] === 'public') {
      const bucket = bucketId(rest[1]);
      const info = await store.bucket(bucket);
      if (!info.public) throw notFound();
      // why service: the bucket is public, so anyone may read its objects by URL, as on Supabase
      return serve(request, await store.find({ kind: 'service' }, bucket, nameOf(2)), url);
    }
    if (rest[0] === 'sign') {
      const bucket = bucketId(rest[1]);
      if (method === 'GET' || method === 'HEAD') {
        const name = nameOf(2);
        await checkSigned(bucket, name, url.searchParams.get('token'));
        // why service: the signed token is the permission; it was issued to someone who could read the object
        return serve(request, await store.find({ kind: 'service' }, bucket, name), url);
      }
      if (method !== 'POST') throw new StorageFailure(405, 'MethodNotAllowed', 'Method not allowed');
      const who = await principal(request);
      const body = await readJsonBody(request);
      if (rest.length === 2) {
        const paths = Array.isArray(body.paths) ? body.paths.filter((p): p is string => typeof p === 'string').slice(0, 1000) : [];
        const signed = await Promise.all(
          paths.map(async (raw) => {
            try {
              const name = objectName(raw);
              await store.find(who, bucket, name);
              return { error: null, path: raw, signedURL: await sign(bucket, name, body.expiresIn) };
            } catch (error) {
              return { error: error instanceof StorageFailure ? error.message : 'Object not found', path: raw, signedURL: null };
            }
          }),
        );
        return Response.json(signed);
      }
      const name = nameOf(2);
      await store.find(who, bucket, name);
      return Response.json({ signedURL: await sign(bucket, name, body.expiresIn) });
    }

    const who = await principal(request);
    if (rest[0] === 'list' && method === 'POST') return list(who, bucketId(rest[1]), await readJsonBody(request));
    if (rest[0] === 'info') {
      const from = rest[1] === 'authenticated' || rest[1] === 'public' ? 2 : 1;
      const bucket = bucketId(rest[from]);
      const row = await store.find(who, bucket, nameOf(from + 1));
      const meta = row.metadata ?? {};
      return Response.json({
        id: row.id, name: row.name, version: row.version, bucket_id: row.bucket_id, size: meta.size ?? null,
        content_type: meta.mimetype ?? null, cache_control: meta.cacheControl ?? null, etag: meta.eTag ?? null,
        metadata: {}, last_modified: meta.lastModified ?? null, created_at: row.created_at.toISOString(),
      });
    }
    if (rest[0] === 'authenticated' && (method === 'GET' || method === 'HEAD')) {
      const bucket = bucketId(rest[1]);
      return serve(request, await store.find(who, bucket, nameOf(2)), url);
    }
    const bucket = bucketId(rest[0]);
    if (method === 'DELETE') {
      const names = rest.length > 1 ? [nameOf(1)] : await prefixes(request);
      const rows = await store.remove(who, bucket, names);
      if (rest.length > 1) return Response.json({ message: rows.length ? 'Successfully deleted' : 'Object not found' }, { status: rows.length ? 200 : 404 });
      return Response.json(rows.map((row) => fileObject(row)));
    }
    if (method === 'GET' || method === 'HEAD') return serve(request, await store.find(who, bucket, nameOf(1)), url);
    if (method === 'POST' || method === 'PUT') return upload(request, who, bucket, nameOf(1), method);
    throw new StorageFailure(405, 'MethodNotAllowed', 'Method not allowed');
  }

  return {
    store,
    async handle(request: Request, path: string): Promise<Response> {
      try {
        return await route(request, path);
      } catch (error) {
        if (error instanceof StorageFailure) return failureResponse(error);
        console.error(error);
        return failureResponse(new StorageFailure(500, 'InternalError', 'Storage could not complete the request. Try again in a moment.'));
      }
    },
  };
}

export type EmbeddedStorage = ReturnType<typeof createStorage>;

/** The object path of a /storage/v1/... URL, each segment decoded once. */
export function storagePath(url: string): string {
  const { pathname } = new URL(url);
  const rest = pathname.replace(/^.*?\/storage\/v1/, '');
  return rest.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  }).join('/');
}


async function prefixes(request: Request): Promise<string[]> {
  const body = await readJsonBody(request);
  if (!Array.isArray(body.prefixes) || body.prefixes.length === 0 || body.prefixes.length > 1000) {
    throw invalid('prefixes must list between 1 and 1000 object names.');
  }
  return body.prefixes.map((p) => objectName(String(p)));
}

async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const text = new TextDecoder().decode(await readCapped(request, 1024 * 1024));
  if (!text) return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    throw invalid('The request body is not valid JSON.');
  }
}

/** The body, refused as soon as it passes the limit (by its declared length, or while it streams in). */
async function readCapped(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const body = await readBodyUpTo(request, Math.min(limit, HARD_LIMIT));
  if (!body) throw tooLarge();
  return body;
}
