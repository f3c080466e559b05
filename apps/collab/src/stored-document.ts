import { createHash } from 'node:crypto';
import type { Pool } from '@quire/db/pool';
import { withService } from '@quire/db/session';
import { jsonToYUpdate } from '@quire/domain/manuscript';
import type { Logger } from 'pino';
import { DocumentGone } from './document-entry';

export interface StoredDocument {
  projectId: string;
  /** The folded Yjs state, null for a document never opened that has nothing to build one from. */
  state: Buffer | null;
  /** md5 of `state`, to notice later that another instance stored the row. */
  hash: string | null;
  /** Logged updates not yet folded into `state`, in commit order. */
  log: Array<{ id: number; update: Buffer }>;
}

/** The hash Postgres's md5(yjs_state) gives, so a stored row can be compared with what this instance wrote. */
export const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/**
 * What Postgres holds of a document: its state and the log tail. A document created from a template or an import
 * holds JSON or plain text and no Yjs state yet; its state is built here once, under the row lock.
 */
export function readStoredDocument(pool: Pool, id: string, logger: Logger): Promise<StoredDocument> {
  return withService(pool, async (tx) => {
    const { rows } = await tx.query<{ project_id: string; yjs_state: Buffer | null; hash: string | null; seedable: boolean }>(
      `select project_id, yjs_state, md5(yjs_state) as hash,
              (yjs_state is null and (content is not null or plain_text <> '')) as seedable
         from public.documents where id = $1`,
      [id],
    );
    let row = rows[0];
    if (!row) throw new DocumentGone(id);
    let log = (await tx.query<{ id: number; update: Buffer }>(`select id, update from public.document_updates where document_id = $1 order by id`, [id])).rows;
    if (row.seedable && log.length === 0) {
      // Built once, under the row lock: two instances loading at the same moment must not each build their own
      // copy of the template, or the merged document would contain it twice.
      const locked = await tx.query<{ content: unknown; plain_text: string; yjs_state: Buffer | null }>(
        `select content, plain_text, yjs_state from public.documents where id = $1 for update`,
        [id],
      );
      const current = locked.rows[0];
      if (!current) throw new DocumentGone(id);
      log = (await tx.query<{ id: number; update: Buffer }>(`select id, update from public.document_updates where document_id = $1 order by id`, [id])).rows;
      if (current.yjs_state === null && log.length === 0) {
        const seed = jsonToYUpdate(current.content, current.plain_text);
        await tx.query(`update public.documents set yjs_state = $2 where id = $1`, [id, Buffer.from(seed)]);
        row = { ...row, yjs_state: Buffer.from(seed), hash: md5(seed) };
        logger.info({ document: id }, 'built the Yjs state from stored JSON');
      } else {
        row = { ...row, yjs_state: current.yjs_state, hash: current.yjs_state ? md5(current.yjs_state) : null };
      }
    }
    return { projectId: row.project_id, state: row.yjs_state, hash: row.hash, log };
  });
}
