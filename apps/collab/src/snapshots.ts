import type { Pool } from '@quire/db/pool';
import { withService, withUser, type Claims } from '@quire/db/session';
import { deriveManuscript, plainTextToJSON, replaceManuscript, yDocToJSON, type ProseMirrorJSON } from '@quire/domain/manuscript';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { CollabConfig } from './config';
import type { DocEntry, RestoreOrigin, VersionRow } from './document-entry';
import type { Metrics } from './metrics';
import { Refusal } from './protocol';

/**
 * Version snapshots of loaded documents: the ones a person asks for (save, restore) and the ones the version policy
 * takes when editing pauses or runs long. Snapshots read the document as it is in memory, so they need no store first.
 */
export class Snapshots {
  constructor(
    private readonly pool: Pool,
    private readonly config: CollabConfig,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly entries: ReadonlyMap<string, DocEntry>,
    /** A version was written; clients hear about it. */
    private readonly versionSaved: (entry: DocEntry, version: VersionRow) => void,
  ) {}


  /**
   * Writes a snapshot of the document as it is in memory. With `claims` the insert runs as that user (RLS checks
   * the editor role and attribution); without, it is a policy snapshot by the server, attributed to the last editor,
   * and skipped when the latest version already has this content.
   */
  async snapshot(
    entry: DocEntry,
    options: { reason: VersionRow['reason']; label?: string | null; claims?: Claims; userId?: string | null },
  ): Promise<VersionRow | null> {
    const doc = entry.doc;
    const state = Buffer.from(Y.encodeStateAsUpdate(doc));
    const derived = deriveManuscript(doc);
    const params = [entry.id, entry.projectId, options.label ?? null, options.reason, state, JSON.stringify(derived.content), derived.plainText, derived.wordCount];
    let row: VersionRow | undefined;
    if (options.claims) {
      row = await withUser(this.pool, options.claims, async (tx) => {
        const { rows } = await tx.query<VersionRow>(
          `insert into public.document_versions (document_id, project_id, user_id, label, reason, yjs_state, content, plain_text, word_count)
           values ($1, $2, auth.uid(), $3, $4, $5, $6::jsonb, $7, $8)
           returning id, created_at, reason, label, user_id`,
          params,
        );
        return rows[0];
      });
    } else {
      row = await withService(this.pool, async (tx) => {
        const { rows } = await tx.query<VersionRow>(
          `insert into public.document_versions (document_id, project_id, user_id, label, reason, yjs_state, content, plain_text, word_count)
           select $1, $2, (select id from auth.users where id = $9), $3, $4, $5, $6::jsonb, $7, $8
            where not exists (
              select 1 from (select content from public.document_versions where document_id = $1 order by created_at desc limit 1) latest
               where latest.content = $6::jsonb)
           returning id, created_at, reason, label, user_id`,
          [...params, options.userId ?? null],
        );
        return rows[0];
      });
    }
    if (row) this.metrics.version(options.reason);
    return row ?? null;
  }

  /** Idle and interval snapshots; called about once a second. */
  async tick(now = Date.now()) {
    for (const entry of this.entries.values()) {
      if (entry.gone || entry.editingSince === null) continue;
      const idle = this.config.versionIdleMs > 0 && now - entry.lastEditAt >= this.config.versionIdleMs;
      const long = this.config.versionIntervalMs > 0 && now - entry.editingSince >= this.config.versionIntervalMs;
      if (!idle && !long) continue;
      await this.policySnapshot(entry, idle ? 'idle' : 'interval');
    }
  }

  /** The snapshot a document gets when editing stops (idle gap, everyone left, shutdown). */
  async policySnapshot(entry: DocEntry, reason: 'idle' | 'interval') {
    if (entry.editingSince === null || entry.gone) return;
    if ((reason === 'idle' ? this.config.versionIdleMs : this.config.versionIntervalMs) <= 0) return;
    const since = entry.editingSince;
    entry.editingSince = null;
    try {
      const version = await this.snapshot(entry, { reason, userId: entry.lastEditorId });
      if (version) this.versionSaved(entry, version);
    } catch (error) {
      // Try again on the next tick rather than lose the snapshot.
      entry.editingSince ??= since;
      this.metrics.error('version');
      this.log.warn({ err: error, document: entry.id }, 'version snapshot failed');
    }
  }

  /**
   * Restores a version as an ordinary edit: a "before restore" snapshot first, then the smallest change that makes
   * the document equal the version. Everyone connected receives it like any other update.
   */
  async restore(entry: DocEntry, versionId: string, claims: Claims, userId: string) {
    const version = await withUser(this.pool, claims, async (tx) => {
      const { rows } = await tx.query<{ id: string; content: ProseMirrorJSON | null; yjs_state: Buffer | null; plain_text: string }>(
        `select id, content, yjs_state, plain_text from public.document_versions where id = $1 and document_id = $2`,
        [versionId, entry.id],
      );
      return rows[0];
    });
    if (!version) throw new Refusal('not-found', 'That version does not exist or is not yours to see.');
    let target: ProseMirrorJSON;
    if (version.content) target = version.content;
    else if (version.yjs_state) {
      const scratch = new Y.Doc();
      Y.applyUpdate(scratch, version.yjs_state);
      target = yDocToJSON(scratch);
      scratch.destroy();
    } else target = plainTextToJSON(version.plain_text);
    const backup = await this.snapshot(entry, { reason: 'restore', label: 'Before restoring a version', claims });
    if (!backup) throw new Error('the snapshot before restore was not written');
    this.versionSaved(entry, backup);
    const origin: RestoreOrigin = { source: 'local', context: { quire: 'restore', userId } };
    replaceManuscript(entry.doc, target, origin);
    return { backupVersionId: backup.id };
  }
}
