import { createHash } from 'node:crypto';
import type { Connection, Document } from '@hocuspocus/server';
import type { Pool } from '@quire/db/pool';
import { ServiceConnection, withService, withUser, type Claims } from '@quire/db/session';
import { scheduleMentions } from '@quire/db/bible-mentions';
import {
  deriveManuscript,
  jsonToYUpdate,
  plainTextToJSON,
  replaceManuscript,
  yDocToJSON,
  type ProseMirrorJSON,
} from '@quire/domain/manuscript';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { CollabConfig } from './config';
import type { Metrics } from './metrics';
import { encodeStateless, Refusal } from './protocol';

/**
 * Transaction origin of state read back from Postgres (load, and the merge a store does). Such changes are already
 * durable, so they are neither logged nor counted as edits. `skipStoreHooks` tells Hocuspocus the same.
 */
export const DB_ORIGIN = { source: 'local' as const, skipStoreHooks: true, context: { quire: 'database' } };

export interface RestoreOrigin {
  source: 'local';
  context: { quire: 'restore'; userId: string };
}

interface ConnectionProgress {
  /** Updates from this connection applied to the document. */
  applied: number;
  /** Of those, how many are in Postgres. */
  durable: number;
}

export interface DocEntry {
  id: string;
  projectId: string;
  doc: Document;
  /** Applied updates not yet in document_updates. */
  pending: Uint8Array[];
  pendingBytes: number;
  conns: Map<Connection, ConnectionProgress>;
  /** Log rows whose content is already in the in-memory document (written or read by this instance). */
  knownLogIds: Set<number>;
  /** md5 of the yjs_state this instance last read or wrote; another value in the row means another writer. */
  storedHash: string | null;
  /** Counts every non-database change; the store records the count its state covers. */
  gen: number;
  storedGen: number;
  dirtySince: number;
  storeDue: number;
  storeTimer: NodeJS.Timeout | null;
  retryTimer: NodeJS.Timeout | null;
  storeFailures: number;
  storeChain: Promise<void>;
  storing: number;
  /** Approximate encoded size, for the document size limit. */
  size: number;
  lastEditAt: number;
  editingSince: number | null;
  lastEditorId: string | null;
  gone: boolean;
  detach: () => void;
}

export class DocumentGone extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} no longer exists`);
  }
}

export interface VersionRow {
  id: string;
  created_at: Date;
  reason: 'idle' | 'interval' | 'manual' | 'restore';
  label: string | null;
  user_id: string | null;
}

/**
 * Y.mergeUpdates re-sorts its input decoders on every step, so one call over hundreds of small updates costs far more
 * than merging small groups and then the groups' results. The result is byte-identical.
 */
export function mergeInGroups(updates: Uint8Array[], group = 16): Uint8Array {
  let level = updates;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += group) next.push(level.length - i === 1 ? level[i]! : Y.mergeUpdates(level.slice(i, i + group)));
    level = next;
  }
  return level[0]!;
}

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function connectionOf(origin: unknown): Connection | undefined {
  if (origin && typeof origin === 'object' && (origin as { source?: string }).source === 'connection') {
    return (origin as { connection: Connection }).connection;
  }
  return undefined;
}

function originLabel(origin: unknown): string {
  const source = origin && typeof origin === 'object' ? (origin as { source?: string }).source : undefined;
  if (source === 'local') return ((origin as RestoreOrigin).context?.quire as string) ?? 'local';
  return source ?? 'other';
}

/**
 * Everything between a loaded document and Postgres: load (state + log tail, or a one-time build from template
 * JSON), the group-committed update log, the debounced store with log compaction, and version snapshots.
 *
 * Database access here uses withService: the rows belong to the document, not to whichever connection happened to
 * trigger the write, every update was authorized when its connection was (and is re-checked live on membership
 * changes), and a store may run after every user has left. Requests made by a person (save version, restore) run
 * withUser so Row Level Security checks them.
 */
export class Persistence {
  readonly entries = new Map<string, DocEntry>();
  private logTimer: NodeJS.Timeout | null = null;
  private logChain: Promise<void> = Promise.resolve();
  private logFailures = 0;
  private closed = false;
  // The group commit runs ~25 times a second while people type; one statement on its own connection keeps each
  // commit to a single round trip.
  private readonly logWriter: ServiceConnection;

  constructor(
    private readonly pool: Pool,
    private readonly config: CollabConfig,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    readonly events: {
      /** The row is gone (deleted while open): connections must be closed. */
      gone(entry: DocEntry): void;
      /** Nothing left to store and nobody connected: the document may leave memory. */
      idle(entry: DocEntry): void;
      /** A version was written; clients hear about it. */
      versionSaved(entry: DocEntry, version: VersionRow, requestId?: string): void;
    },
  ) {
    this.logWriter = new ServiceConnection(pool);
  }

  // ---- load ---------------------------------------------------------------------------------------------------

  async load(document: Document): Promise<DocEntry> {
    const id = document.name;
    const loaded = await withService(this.pool, async (tx) => {
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
          this.log.info({ document: id }, 'built the Yjs state from stored JSON');
        } else {
          row = { ...row, yjs_state: current.yjs_state, hash: current.yjs_state ? md5(current.yjs_state) : null };
        }
      }
      return { projectId: row.project_id, state: row.yjs_state, hash: row.hash, log };
    });

    // Applied in one transaction so a corrupt row fails the whole load before any client sees a partial document.
    document.transact(() => {
      if (loaded.state) Y.applyUpdate(document, loaded.state);
      for (const row of loaded.log) Y.applyUpdate(document, row.update);
    }, DB_ORIGIN);

    const entry: DocEntry = {
      id,
      projectId: loaded.projectId,
      doc: document,
      pending: [],
      pendingBytes: 0,
      conns: new Map(),
      knownLogIds: new Set(loaded.log.map((r) => r.id)),
      storedHash: loaded.hash,
      gen: 0,
      storedGen: 0,
      dirtySince: 0,
      storeDue: 0,
      storeTimer: null,
      retryTimer: null,
      storeFailures: 0,
      storeChain: Promise.resolve(),
      storing: 0,
      size: (loaded.state?.length ?? 0) + loaded.log.reduce((n, r) => n + r.update.length, 0),
      lastEditAt: 0,
      editingSince: null,
      lastEditorId: null,
      gone: false,
      detach: () => {},
    };
    const onUpdate = (update: Uint8Array, origin: unknown) => this.onUpdate(entry, update, origin);
    document.on('update', onUpdate);
    entry.detach = () => document.off('update', onUpdate);
    // A fold of a long tail into yjs_state is worth doing soon, even if nobody types.
    if (loaded.log.length > 0) this.markDirty(entry);
    this.entries.set(id, entry);
    return entry;
  }

  // ---- updates ------------------------------------------------------------------------------------------------

  private onUpdate(entry: DocEntry, update: Uint8Array, origin: unknown) {
    if (origin === DB_ORIGIN || entry.gone) return;
    entry.pending.push(update);
    entry.pendingBytes += update.length;
    entry.size += update.length;
    this.metrics.update(originLabel(origin));
    const connection = connectionOf(origin);
    if (connection) {
      const progress = entry.conns.get(connection) ?? { applied: 0, durable: 0 };
      progress.applied += 1;
      entry.conns.set(connection, progress);
      const userId = (connection.context as { session?: { userId: string } })?.session?.userId ?? null;
      this.noteEdit(entry, userId);
    } else if ((origin as RestoreOrigin | null)?.context?.quire === 'restore') {
      this.noteEdit(entry, (origin as RestoreOrigin).context.userId);
    }
    this.markDirty(entry);
    this.scheduleLogFlush();
  }

  private noteEdit(entry: DocEntry, userId: string | null) {
    const now = Date.now();
    entry.lastEditAt = now;
    entry.editingSince ??= now;
    if (userId) entry.lastEditorId = userId;
  }

  forgetConnection(entry: DocEntry, connection: Connection) {
    entry.conns.delete(connection);
  }

  /** Sends {type:'saved', pending:0} to a connection whose changes are all durable (used after a no-op message). */
  acknowledgeIfClean(entry: DocEntry, connection: Connection) {
    const progress = entry.conns.get(connection);
    if (!progress || progress.applied === progress.durable) {
      connection.sendStateless(
        encodeStateless({ type: 'saved', pending: 0, stateVector: base64(Y.encodeStateVector(entry.doc)) }),
      );
    }
  }

  // ---- the update log (group commit) ----------------------------------------------------------------------------

  private scheduleLogFlush() {
    if (this.logTimer || this.closed) return;
    this.logTimer = setTimeout(() => {
      this.logTimer = null;
      this.flushLog().catch(() => {});
    }, this.config.durabilityWindowMs);
  }

  /** Commits every pending update of every document in one transaction; resolves when they are durable. */
  flushLog(): Promise<void> {
    if (this.logTimer) {
      clearTimeout(this.logTimer);
      this.logTimer = null;
    }
    const run = this.logChain.then(() => this.commitLog());
    this.logChain = run.catch(() => {});
    return run;
  }

  private async commitLog(): Promise<void> {
    const batch: Array<{ entry: DocEntry; update: Uint8Array; bytes: number; cut: Array<[Connection, number]>; sv: Uint8Array }> = [];
    for (const entry of this.entries.values()) {
      if (entry.pending.length === 0 || entry.gone) continue;
      const update = mergeInGroups(entry.pending);
      const cut: Array<[Connection, number]> = [];
      for (const [connection, progress] of entry.conns) if (progress.applied > progress.durable) cut.push([connection, progress.applied]);
      // Everything applied so far is in this batch or already durable, so this state vector is what Postgres
      // will hold once the batch commits.
      batch.push({ entry, update, bytes: entry.pendingBytes, cut, sv: Y.encodeStateVector(entry.doc) });
      entry.pending = [];
      entry.pendingBytes = 0;
    }
    if (batch.length === 0) return;
    const stop = this.metrics.logCommitSeconds.startTimer();
    try {
      const rows = await this.logWriter.query<{ id: number; document_id: string }>(
        `insert into public.document_updates (document_id, update)
         select * from unnest($1::uuid[], $2::bytea[]) returning id, document_id`,
        [batch.map((b) => b.entry.id), batch.map((b) => Buffer.from(b.update))],
      );
      const ids = new Map(rows.map((r) => [r.document_id, r.id]));
      stop();
      this.metrics.logCommitsTotal.inc();
      this.logFailures = 0;
      for (const item of batch) {
        const id = ids.get(item.entry.id);
        if (id !== undefined) item.entry.knownLogIds.add(id);
        const stateVector = base64(item.sv);
        for (const [connection, applied] of item.cut) {
          const progress = item.entry.conns.get(connection);
          if (!progress) continue;
          progress.durable = Math.max(progress.durable, applied);
          connection.sendStateless(encodeStateless({ type: 'saved', pending: progress.applied - progress.durable, stateVector }));
        }
      }
    } catch (error) {
      stop();
      // Put the batch back in front of anything newer so nothing is lost and order is kept.
      for (const item of batch.reverse()) {
        item.entry.pending.unshift(item.update);
        item.entry.pendingBytes += item.bytes;
      }
      if ((error as { code?: string }).code === '23503') {
        // A document was deleted under us; find which, drop it, and commit the others right away.
        await this.dropDeleted(batch.map((b) => b.entry)).catch(() => {});
        if (!this.closed) this.scheduleLogFlush();
        throw error;
      }
      this.logFailures += 1;
      this.metrics.error('log-commit');
      this.log.warn({ err: error, documents: batch.length, attempt: this.logFailures }, 'update log commit failed; will retry');
      if (!this.closed) {
        const delay = Math.min(100 * 2 ** this.logFailures, 5_000);
        if (!this.logTimer) {
          this.logTimer = setTimeout(() => {
            this.logTimer = null;
            this.flushLog().catch(() => {});
          }, delay);
        }
      }
      throw error;
    }
  }

  private async dropDeleted(entries: DocEntry[]) {
    // Service role: existence of the server's own loaded documents, regardless of who is connected.
    const rows = await withService(this.pool, async (tx) =>
      (await tx.query<{ id: string }>(`select id from public.documents where id = any($1::uuid[])`, [entries.map((e) => e.id)])).rows,
    );
    const alive = new Set(rows.map((r) => r.id));
    for (const entry of entries) if (!alive.has(entry.id)) this.markGone(entry);
  }

  markGone(entry: DocEntry) {
    if (entry.gone) return;
    entry.gone = true;
    entry.pending = [];
    entry.pendingBytes = 0;
    if (entry.storeTimer) clearTimeout(entry.storeTimer);
    if (entry.retryTimer) clearTimeout(entry.retryTimer);
    entry.storeTimer = entry.retryTimer = null;
    this.events.gone(entry);
  }

  // ---- store ----------------------------------------------------------------------------------------------------

  isClean(entry: DocEntry): boolean {
    return entry.gone || (entry.pending.length === 0 && entry.gen === entry.storedGen && entry.storing === 0);
  }

  private markDirty(entry: DocEntry, newChange = true) {
    if (newChange) entry.gen += 1;
    const now = Date.now();
    if (!entry.dirtySince) entry.dirtySince = now;
    entry.storeDue = Math.min(now + this.config.storeDebounceMs, entry.dirtySince + this.config.storeMaxDebounceMs);
    // One timer per document, re-armed when it fires early, instead of a clear/set on every keystroke.
    if (!entry.storeTimer && !entry.retryTimer && !this.closed) {
      entry.storeTimer = setTimeout(() => this.onStoreTimer(entry), Math.max(0, entry.storeDue - now));
    }
  }

  private onStoreTimer(entry: DocEntry) {
    entry.storeTimer = null;
    const wait = entry.storeDue - Date.now();
    if (wait > 5) {
      entry.storeTimer = setTimeout(() => this.onStoreTimer(entry), wait);
      return;
    }
    this.store(entry).catch(() => {});
  }

  /** Stores now (serialized per document); resolves once everything applied before the call is in yjs_state. */
  store(entry: DocEntry): Promise<void> {
    const run = entry.storeChain.then(() => (this.isClean(entry) ? undefined : this.storeOnce(entry)));
    entry.storeChain = run.catch(() => {});
    return run;
  }

  private async storeOnce(entry: DocEntry): Promise<void> {
    if (entry.gone) return;
    if (entry.storeTimer) clearTimeout(entry.storeTimer);
    entry.storeTimer = null;
    entry.storing += 1;
    const stop = this.metrics.storeSeconds.startTimer();
    try {
      await this.flushLog();
      const doc = entry.doc;
      const result = await withService(this.pool, async (tx) => {
        const { rows } = await tx.query<{ hash: string | null }>(`select md5(yjs_state) as hash from public.documents where id = $1 for update`, [entry.id]);
        if (!rows[0]) throw new DocumentGone(entry.id);
        const log = (await tx.query<{ id: number; update: Buffer }>(`select id, update from public.document_updates where document_id = $1 order by id`, [entry.id])).rows;
        // Another instance stored or logged changes this one has not seen (they normally arrive through Redis
        // first); fold them in so the state written below is a superset of everything in the row and the log.
        if (rows[0].hash !== null && rows[0].hash !== entry.storedHash) {
          const stored = await tx.query<{ yjs_state: Buffer }>(`select yjs_state from public.documents where id = $1`, [entry.id]);
          if (stored.rows[0]?.yjs_state) Y.applyUpdate(doc, stored.rows[0].yjs_state, DB_ORIGIN);
        }
        const foreign = log.filter((row) => !entry.knownLogIds.has(row.id));
        if (foreign.length > 0) doc.transact(() => foreign.forEach((row) => Y.applyUpdate(doc, row.update)), DB_ORIGIN);
        const gen = entry.gen;
        const state = Y.encodeStateAsUpdate(doc);
        const derived = deriveManuscript(doc);
        await tx.query(
          `update public.documents set yjs_state = $2, content = $3::jsonb, plain_text = $4, word_count = $5 where id = $1`,
          [entry.id, Buffer.from(state), JSON.stringify(derived.content), derived.plainText, derived.wordCount],
        );
        // Delete exactly the rows read above: a row committed by someone else after that read is not in `state`.
        const ids = log.map((row) => row.id);
        if (ids.length > 0) await tx.query(`delete from public.document_updates where id = any($1::bigint[])`, [ids]);
        return { gen, hash: md5(state), ids, size: state.length };
      });
      entry.storedGen = Math.max(entry.storedGen, result.gen);
      entry.storedHash = result.hash;
      for (const id of result.ids) entry.knownLogIds.delete(id);
      entry.size = result.size + entry.pendingBytes;
      entry.storeFailures = 0;
      entry.dirtySince = 0;
      stop();
      this.metrics.storesTotal.inc();
      // the story bible's mentions follow the stored text; the queue debounces them to one scan per document per 10 s
      scheduleMentions(this.pool, { documentId: entry.id }).catch((err) => this.log.warn({ err, document: entry.id }, 'mentions scan not scheduled'));
      // Changes that arrived while storing get their own debounce from now.
      if (entry.gen !== entry.storedGen) this.markDirty(entry, false);
    } catch (error) {
      stop();
      if (error instanceof DocumentGone || (error as { code?: string }).code === '23503') {
        this.markGone(entry);
        return;
      }
      entry.storeFailures += 1;
      this.metrics.error('store');
      this.log.warn({ err: error, document: entry.id, attempt: entry.storeFailures }, 'store failed; the document stays loaded and will be retried');
      if (!this.closed && !entry.retryTimer) {
        const delay = Math.min(250 * 2 ** entry.storeFailures, 30_000);
        entry.retryTimer = setTimeout(() => {
          entry.retryTimer = null;
          this.store(entry).catch(() => {});
        }, delay);
      }
      throw error;
    } finally {
      entry.storing -= 1;
    }
    if (this.isClean(entry)) this.events.idle(entry);
  }

  // ---- versions -------------------------------------------------------------------------------------------------

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
  async versionTick(now = Date.now()) {
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
      if (version) this.events.versionSaved(entry, version);
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
    this.events.versionSaved(entry, backup);
    const origin: RestoreOrigin = { source: 'local', context: { quire: 'restore', userId } };
    replaceManuscript(entry.doc, target, origin);
    return { backupVersionId: backup.id };
  }

  // ---- lifecycle ------------------------------------------------------------------------------------------------

  detach(entry: DocEntry) {
    entry.detach();
    if (entry.storeTimer) clearTimeout(entry.storeTimer);
    if (entry.retryTimer) clearTimeout(entry.retryTimer);
    entry.storeTimer = entry.retryTimer = null;
    if (this.entries.get(entry.id) === entry) this.entries.delete(entry.id);
  }

  /** Final flush: the log, then every store, retried until `deadline`. */
  async shutdown(deadline: number) {
    for (const entry of this.entries.values()) await this.policySnapshot(entry, 'idle').catch(() => {});
    while (Date.now() < deadline) {
      try {
        await this.flushLog();
        for (const entry of this.entries.values()) await this.store(entry);
        if ([...this.entries.values()].every((e) => this.isClean(e))) break;
      } catch (error) {
        this.log.warn({ err: error }, 'final store failed; retrying until the shutdown deadline');
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    this.closed = true;
    this.logWriter.close();
    if (this.logTimer) clearTimeout(this.logTimer);
    for (const entry of this.entries.values()) {
      if (entry.storeTimer) clearTimeout(entry.storeTimer);
      if (entry.retryTimer) clearTimeout(entry.retryTimer);
    }
  }
}
