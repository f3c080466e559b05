import type { Connection, Document } from '@hocuspocus/server';
import type { Pool } from '@quire/db/pool';
import { ServiceConnection, withService } from '@quire/db/session';
import { scheduleMentions } from '@quire/db/bible-mentions';
import { deriveManuscript } from '@quire/domain/manuscript';
import type { Logger } from 'pino';
import * as Y from 'yjs';
import type { CollabConfig } from './config';
import type { Metrics } from './metrics';
import { DB_ORIGIN, DocumentGone, mergeInGroups, type DocEntry, type RestoreOrigin, type VersionRow } from './document-entry';
import { encodeStateless } from './protocol';
import { Snapshots } from './snapshots';
import { md5, readStoredDocument } from './stored-document';

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
 * JSON), the group-committed update log and the debounced store with log compaction. Version snapshots are in
 * `snapshots.ts`.
 *
 * Database access here uses withService: the rows belong to the document, not to whichever connection happened to
 * trigger the write, every update was authorized when its connection was (and is re-checked live on membership
 * changes), and a store may run after every user has left.
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
  readonly snapshots: Snapshots;

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
    this.snapshots = new Snapshots(pool, config, metrics, log, this.entries, (entry, version) => events.versionSaved(entry, version));
  }

  // ---- load ---------------------------------------------------------------------------------------------------

  async load(document: Document): Promise<DocEntry> {
    const id = document.name;
    const loaded = await readStoredDocument(this.pool, id, this.log);

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
      // Counted before the log is flushed: every change up to here is then in a log row this store reads and
      // deletes. A change arriving later may be committed after that read; it keeps the document dirty, so a
      // later store folds its row in instead of leaving it behind a document that looks clean.
      const gen = entry.gen;
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
    for (const entry of this.entries.values()) await this.snapshots.policySnapshot(entry, 'idle').catch(() => {});
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
