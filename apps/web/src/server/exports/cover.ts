import { randomUUID } from 'node:crypto';
import { withUser, type Claims, type Tx } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import { COVER_BOX, COVER_MAX_BYTES, DOWNLOAD_LINK_SECONDS, coverObjectPath } from '@quire/domain/exports';
import { UserError, parseId, toUserError } from '../../lib/errors';
import { ImageRefused, coverPicture, pictureType } from '../storage/images';
import { IMAGE_TYPES } from '../storage/sniff';
import type { StorageApi } from '../storage/client';
import { coverObjects } from './storage';

/** The project's EPUB cover as the screens show it. */
export interface CoverView {
  width: number;
  height: number;
  sizeBytes: number;
  updatedAt: string;
}

const REFUSAL = 'Only editors and the owner can change the cover of this project.';
const TOO_LARGE = `That picture is larger than ${COVER_MAX_BYTES / 1024 / 1024} MB. Choose a smaller one.`;

export async function readCover(tx: Tx, projectId: string): Promise<CoverView | null> {
  const { rows } = await tx.query(`select width, height, size_bytes, updated_at from public.project_covers where project_id = $1`, [projectId]);
  const r = rows[0];
  return r ? { width: r.width, height: r.height, sizeBytes: r.size_bytes, updatedAt: (r.updated_at as Date).toISOString() } : null;
}

async function mayChange(pool: Pool, claims: Claims, projectId: string): Promise<void> {
  const allowed = await withUser(pool, claims, async (tx) => (await tx.query<{ ok: boolean }>(`select private.has_role($1, null, 'editor') as ok`, [projectId])).rows[0]?.ok);
  if (!allowed) throw new UserError(REFUSAL, 'forbidden');
}

/**
 * Sets the project's cover: the picture is proven whole and of an allowed type by its bytes, re-encoded as a JPEG that
 * fits COVER_BOX, stored in a fresh folder of the private `covers` bucket, and then recorded through RLS (editors and the
 * owner). The previous picture is removed once the new one is recorded; a refused or failed change removes the new one.
 */
export async function setCover(pool: Pool, claims: Claims, storage: StorageApi, projectId: unknown, bytes: Uint8Array): Promise<CoverView> {
  const project = parseId(projectId, 'project');
  if (bytes.byteLength > COVER_MAX_BYTES) throw new UserError(TOO_LARGE, 'invalid');
  if (bytes.byteLength === 0) throw new UserError('That file is empty.', 'invalid');
  await mayChange(pool, claims, project);
  let picture;
  try {
    pictureType(bytes, IMAGE_TYPES);
    picture = await coverPicture(bytes, COVER_BOX);
  } catch (error) {
    if (error instanceof ImageRefused) throw new UserError(error.message, 'invalid');
    throw error;
  }
  const objects = coverObjects(storage);
  const path = coverObjectPath(project, randomUUID());
  await objects.put(path, picture.jpeg);
  let result: { view: CoverView; previous: string | null };
  try {
    result = await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ path: string }>(`select path from public.project_covers where project_id = $1 for update`, [project]);
      await tx.query(
        `insert into public.project_covers (project_id, path, width, height, size_bytes, updated_by) values ($1, $2, $3, $4, $5, $6)
         on conflict (project_id) do update set path = excluded.path, width = excluded.width, height = excluded.height,
                                                size_bytes = excluded.size_bytes, updated_by = excluded.updated_by`,
        [project, path, picture.width, picture.height, picture.jpeg.byteLength, claims.sub],
      );
      return { view: (await readCover(tx, project))!, previous: rows[0]?.path ?? null };
    });
  } catch (error) {
    await objects.remove([path]);
    throw toUserError(error, { forbidden: REFUSAL });
  }
  if (result.previous && result.previous !== path) await objects.remove([result.previous]);
  return result.view;
}

/** Removes the project's cover (editors and the owner); exports made after it have none. */
export async function removeCover(pool: Pool, claims: Claims, storage: StorageApi, projectId: unknown): Promise<void> {
  const project = parseId(projectId, 'project');
  await mayChange(pool, claims, project);
  let removed: string | undefined;
  try {
    removed = await withUser(pool, claims, async (tx) =>
      (await tx.query<{ path: string }>(`delete from public.project_covers where project_id = $1 returning path`, [project])).rows[0]?.path,
    );
  } catch (error) {
    throw toUserError(error, { forbidden: REFUSAL });
  }
  if (removed) await coverObjects(storage).remove([removed]);
}

/** A short-lived link to the cover picture for members of the project (RLS on project_covers decides). */
export async function coverLink(pool: Pool, claims: Claims, storage: StorageApi, projectId: unknown): Promise<string> {
  const project = parseId(projectId, 'project');
  const path = await withUser(pool, claims, async (tx) =>
    (await tx.query<{ path: string }>(`select path from public.project_covers where project_id = $1`, [project])).rows[0]?.path,
  );
  if (!path) throw new UserError('This project has no cover.', 'not_found');
  return coverObjects(storage).sign(path, DOWNLOAD_LINK_SECONDS);
}
