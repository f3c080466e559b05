import type {
  afterHandleMessagePayload,
  afterUnloadDocumentPayload,
  beforeUnloadDocumentPayload,
  connectedPayload,
  Extension,
  Hocuspocus,
  onConfigurePayload,
  onDisconnectPayload,
  onLoadDocumentPayload,
} from '@hocuspocus/server';
import type { Logger } from 'pino';
import type { ChangeFeed } from '../changes';
import { SYNC_STEP1, syncHeader } from '../frames';
import type { Metrics } from '../metrics';
import { DocumentGone, type DocEntry } from '../document-entry';
import type { Persistence } from '../persistence';
import { CLOSE_CODES, Refusal } from '../protocol';
import { sessionOf, type CollabContext, type Sessions } from '../sessions';

export interface PersistenceHooksConfiguration {
  persistence: Persistence;
  sessions: Sessions;
  feed: ChangeFeed;
  metrics: Metrics;
  logger: Logger;
  stopping: () => boolean;
}

/**
 * Connects loaded documents to Postgres through Persistence (update log with group commit, debounced store,
 * compaction): loads on first open, acknowledges durable changes, stores and snapshots when everyone has left,
 * never lets a document leave memory with changes Postgres lacks, and closes every connection of a document that
 * was deleted while open.
 */
export class PersistenceHooks implements Extension<CollabContext> {
  readonly extensionName = 'quire-persistence';
  private instance: Hocuspocus<CollabContext> | null = null;

  constructor(private readonly configuration: PersistenceHooksConfiguration) {
    const { persistence, feed } = configuration;
    feed.on((change) => {
      if (change.table === 'documents' && change.op === 'delete' && change.document_id) {
        const entry = persistence.entries.get(change.document_id);
        if (entry) persistence.markGone(entry);
      }
    });
  }

  async onConfigure({ instance }: onConfigurePayload) {
    this.instance = instance as Hocuspocus<CollabContext>;
  }

  /** Persistence event: the row is gone (deleted while open). */
  gone(entry: DocEntry) {
    const { sessions } = this.configuration;
    for (const connection of entry.doc.getConnections()) {
      const session = sessionOf(connection);
      if (session) sessions.close(session, 'document-deleted');
      else connection.close({ code: CLOSE_CODES['document-deleted'], reason: 'document-deleted' });
    }
    void this.instance?.unloadDocument(entry.doc);
  }

  /** Persistence event: nothing left to store. */
  idle(entry: DocEntry) {
    if (entry.doc.getConnectionsCount() === 0 && !this.configuration.stopping()) void this.instance?.unloadDocument(entry.doc);
  }

  async onLoadDocument({ document, context }: onLoadDocumentPayload<CollabContext>) {
    const { persistence, sessions, metrics, logger } = this.configuration;
    try {
      await persistence.load(document);
    } catch (error) {
      if (context.session) sessions.delete(context.session);
      if (error instanceof DocumentGone) {
        metrics.refusal('not-found');
        throw new Refusal('not-found', 'There is no such document.');
      }
      metrics.error('load');
      metrics.refusal('load-failed');
      logger.error({ err: error, document: document.name }, 'load failed; the stored document is left untouched');
      throw new Refusal('load-failed', 'The document could not be loaded. Try again.');
    }
  }

  async connected({ connection }: connectedPayload<CollabContext>) {
    const { persistence } = this.configuration;
    connection.onClose(() => {
      const entry = persistence.entries.get(connection.document.name);
      if (entry) persistence.forgetConnection(entry, connection);
    });
  }

  async afterHandleMessage({ connection, update }: afterHandleMessagePayload<CollabContext>) {
    // A sync message that changed nothing (the usual reply to our SyncStep1) is acknowledged at once, so the
    // editor's "saved" state does not wait for a commit that will never come.
    if (update.length < 3) return;
    const header = syncHeader(update);
    if (header === null || header === SYNC_STEP1) return;
    const { persistence } = this.configuration;
    const entry = persistence.entries.get(connection.document.name);
    if (entry) persistence.acknowledgeIfClean(entry, connection);
  }

  async onDisconnect({ document }: onDisconnectPayload<CollabContext>) {
    if (document.getConnectionsCount() > 0) return;
    const { persistence, stopping } = this.configuration;
    const entry = persistence.entries.get(document.name);
    if (!entry || entry.gone) return;
    // Everyone left: this is the idle gap, and the document is about to leave memory.
    await persistence.snapshots.policySnapshot(entry, 'idle');
    await persistence.store(entry).catch(() => {});
    if (persistence.isClean(entry) && document.getConnectionsCount() === 0 && !stopping()) void this.instance?.unloadDocument(document);
  }

  async beforeUnloadDocument({ document }: beforeUnloadDocumentPayload) {
    const { persistence } = this.configuration;
    const entry = persistence.entries.get(document.name);
    // Never drop a document from memory while it holds changes Postgres does not have yet.
    if (entry && !persistence.isClean(entry)) throw new Error();
  }

  async afterUnloadDocument({ documentName }: afterUnloadDocumentPayload) {
    const { persistence } = this.configuration;
    const entry = persistence.entries.get(documentName);
    if (entry && entry.doc.isDestroyed) persistence.detach(entry);
  }
}
