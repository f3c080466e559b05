import { randomUUID, createHash } from 'node:crypto';
import { withAnon, withService, withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { DiskStore } from './disk';
import { checkImage, ImageRefused } from './images';
import { isImageType } from './sniff';
import { fromPg, noBucket, notFound, StorageFailure } from './errors';

/** Who a storage request acts as: a signed-in user (RLS decides), the service role (jobs), or anon. */
export type Principal = { kind: 'user'; claims: Claims } | { kind: 'service' } | { kind: 'anon' };

export interface Bucket {
  id: string;
  public: boolean;
  fileSizeLimit: number | null;
  allowedMimeTypes: string[] | null;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  version: string | null;
  metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date | null;
}

const COLUMNS = 'id, bucket_id, name, owner, version, metadata, created_at, updated_at, last_accessed_at';

/** Above every bucket's own limit: nothing larger is ever read into memory. */
export const HARD_LIMIT = 512 * 1024 * 1024;

export function asPrincipal<T>(pool: Pool, who: Principal, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (who.kind === 'user') return withUser(pool, who.claims, fn);
  if (who.kind === 'service') return withService(pool, fn);
  return withAnon(pool, fn);
}

export class ObjectStore {
  private buckets = new Map<string, { bucket: Bucket | null; at: number }>();

  constructor(
    private readonly pool: Pool,
    readonly disk: DiskStore,
  ) {}

  /** Bucket settings, read as the service role (they are public facts) and cached for a few seconds. */
  async bucket(id: string): Promise<Bucket> {
    const hit = this.buckets.get(id);
    if (hit && Date.now() - hit.at < 5_000) {
      if (!hit.bucket) throw noBucket();
      return hit.bucket;
    }
    // why service: bucket settings decide the limits applied to every caller, whatever they may list
    const row = await withService(this.pool, async (tx) =>
      (await tx.query('select id, public, file_size_limit, allowed_mime_types from storage.buckets where id = $1', [id])).rows[0],
    );
    const bucket: Bucket | null = row
      ? { id: row.id, public: !!row.public, fileSizeLimit: row.file_size_limit === null ? null : Number(row.file_size_limit), allowedMimeTypes: row.allowed_mime_types }
      : null;
    this.buckets.set(id, { bucket, at: Date.now() });
    if (!bucket) throw noBucket();
    return bucket;
  }

  /** The most a body may be for this bucket before it is refused. */
  limitOf(bucket: Bucket): number {
    return Math.min(bucket.fileSizeLimit ?? HARD_LIMIT, HARD_LIMIT);
  }

  /**
   * Checks the bytes against the bucket (size; for a bucket limited to types, the type read from the bytes and, for
   * pictures, a full decode), stores them as a new version and points the row at it, all or nothing.
   */
  async put(
    who: Principal,
    bucketName: string,
    name: string,
    bytes: Uint8Array,
    options: { mode: 'create' | 'upsert' | 'update'; contentType: string | null; cacheControl: string | null; userMetadata?: unknown },
  ): Promise<ObjectRow> {
    const bucket = await this.bucket(bucketName);
    if (bytes.byteLength > this.limitOf(bucket)) throw tooLarge();
    let contentType = options.contentType || 'application/octet-stream';
    if (bucket.allowedMimeTypes?.length) {
      if (bucket.allowedMimeTypes.every(isImageType)) {
        try {
          contentType = await checkImage(bytes, bucket.allowedMimeTypes);
        } catch (error) {
          if (error instanceof ImageRefused) throw new StorageFailure(415, error.code, error.message);
          throw error;
        }
      } else if (!bucket.allowedMimeTypes.includes(contentType.split(';')[0]!.trim())) {
        throw new StorageFailure(415, 'InvalidMimeType', `mime type ${contentType} is not supported`);
      }
    }
    const version = randomUUID();
    const now = new Date();
    const metadata = {
      eTag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      size: bytes.byteLength,
      mimetype: contentType,
      cacheControl: options.cacheControl ?? 'max-age=3600',
      lastModified: now.toISOString(),
      contentLength: bytes.byteLength,
      httpStatusCode: 200,
    };
    const owner = who.kind === 'user' ? who.claims.sub : null;
    await this.disk.write(bucket.id, version, bytes);
    let replaced: string | null = null;
    try {
      const row = await asPrincipal(this.pool, who, async (tx) => {
        const existing = await tx.query<{ id: string; version: string | null }>(
          'select id, version from storage.objects where bucket_id = $1 and name = $2 for update',
          [bucket.id, name],
        );
        const old = existing.rows[0];
        if (old && options.mode === 'create') throw new StorageFailure(409, 'Duplicate', 'The resource already exists');
        if (!old && options.mode === 'update') throw notFound();
        if (old) {
          const { rows } = await tx.query<ObjectRow>(
            `update storage.objects set version = $2, metadata = $3, owner = coalesce($4::uuid, owner), owner_id = coalesce($4::text, owner_id),
                    updated_at = now(), last_accessed_at = now() where id = $1 returning ${COLUMNS}`,
            [old.id, version, metadata, owner],
          );
          if (!rows[0]) throw fromPg({ code: '42501' });
          replaced = old.version;
          return rows[0];
        }
        const { rows } = await tx.query<ObjectRow>(
          `insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata) values ($1, $2, $3::uuid, $3::text, $4, $5)
           returning ${COLUMNS}`,
          [bucket.id, name, owner, version, metadata],
        );
        return rows[0]!;
      });
      await this.disk.remove(bucket.id, replaced);
      return row;
    } catch (error) {
      await this.disk.remove(bucket.id, version);
      throw fromPg(error);
    }
  }

  /** The row the principal may read; signed and public reads pass the service principal after their own check. */
  async find(who: Principal, bucketName: string, name: string): Promise<ObjectRow> {
    await this.bucket(bucketName);
    const row = await asPrincipal(this.pool, who, async (tx) =>
      (await tx.query<ObjectRow>(`select ${COLUMNS} from storage.objects where bucket_id = $1 and name = $2`, [bucketName, name])).rows[0],
    ).catch((error) => {
      throw fromPg(error);
    });
    if (!row) throw notFound();
    return row;
  }

  async open(row: ObjectRow) {
    const file = await this.disk.read(row.bucket_id, row.version ?? '');
    if (!file) throw notFound();
    return file;
  }

  /** Deletes what the principal may delete of the named objects; returns the deleted rows. Bytes go after commit. */
  async remove(who: Principal, bucketName: string, names: string[]): Promise<ObjectRow[]> {
    await this.bucket(bucketName);
    const rows = await asPrincipal(this.pool, who, async (tx) =>
      (await tx.query<ObjectRow>(`delete from storage.objects where bucket_id = $1 and name = any($2::text[]) returning ${COLUMNS}`, [bucketName, names])).rows,
    ).catch((error) => {
      throw fromPg(error);
    });
    await Promise.all(rows.map((row) => this.disk.remove(row.bucket_id, row.version)));
    return rows;
  }

  /** The visible objects whose names start with the prefix, at most `cap` of them, for listing. */
  async under(who: Principal, bucketName: string, prefix: string, cap = 10_000): Promise<ObjectRow[]> {
    await this.bucket(bucketName);
    return asPrincipal(this.pool, who, async (tx) =>
      (
        await tx.query<ObjectRow>(
          `select ${COLUMNS} from storage.objects where bucket_id = $1 and starts_with(name, $2) order by name limit $3`,
          [bucketName, prefix, cap],
        )
      ).rows,
    ).catch((error) => {
      throw fromPg(error);
    });
  }

  async listBuckets(who: Principal): Promise<Array<Record<string, unknown>>> {
    return asPrincipal(this.pool, who, async (tx) => (await tx.query('select * from storage.buckets order by id')).rows);
  }
}

export function tooLarge(): StorageFailure {
  return new StorageFailure(413, 'EntityTooLarge', 'The object exceeded the maximum allowed size');
}

/** The FileObject shape supabase-js lists and remove() return. */
export function fileObject(row: ObjectRow, name = row.name) {
  return {
    name,
    id: row.id,
    bucket_id: row.bucket_id,
    owner: row.owner,
    updated_at: row.updated_at.toISOString(),
    created_at: row.created_at.toISOString(),
    last_accessed_at: (row.last_accessed_at ?? row.updated_at).toISOString(),
    metadata: row.metadata,
  };
}
