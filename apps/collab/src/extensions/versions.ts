import type { Extension, onStatelessPayload } from '@hocuspocus/server';
import { can } from '@quire/domain';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics';
import type { DocEntry, VersionRow } from '../document-entry';
import type { Persistence } from '../persistence';
import { encodeStateless, inboundStateless, Refusal, sendStateless } from '../protocol';
import { sessionOf, type CollabContext } from '../sessions';

export interface VersionsConfiguration {
  persistence: Persistence;
  metrics: Metrics;
  logger: Logger;
  stopping: () => boolean;
  /** How often the idle and interval policies are evaluated. */
  tickMs?: number;
}

const defaults = { tickMs: 1_000 };

/**
 * Version snapshots: "save version" and "restore" requests from editors (stateless messages, checked against the
 * live role and the token's expiry), the idle and interval policies, and the notice every client gets when a
 * version was written.
 */
export class Versions implements Extension<CollabContext> {
  readonly extensionName = 'quire-versions';
  private readonly configuration: VersionsConfiguration & typeof defaults;
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;

  constructor(configuration: VersionsConfiguration) {
    this.configuration = { ...defaults, ...configuration };
  }

  async onConfigure() {
    this.timer = setInterval(() => this.tick(Date.now()), this.configuration.tickMs);
    this.timer.unref();
  }

  async onDestroy() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(now: number) {
    if (this.ticking || this.configuration.stopping()) return;
    this.ticking = true;
    this.configuration.persistence.snapshots.tick(now).finally(() => (this.ticking = false));
  }

  /** Persistence event: a version was written; everyone on the document hears about it. */
  announce(entry: DocEntry, version: VersionRow, requestId?: string) {
    if (entry.doc.isDestroyed) return;
    entry.doc.broadcastStateless(
      encodeStateless({
        type: 'version-saved',
        versionId: version.id,
        reason: version.reason,
        label: version.label,
        createdAt: new Date(version.created_at).toISOString(),
        userId: version.user_id,
        ...(requestId ? { requestId } : {}),
      }),
    );
  }

  async onStateless({ connection, payload, document }: onStatelessPayload) {
    const session = sessionOf(connection);
    if (!session) return;
    const { persistence, metrics, logger } = this.configuration;
    let requestId: string | undefined;
    try {
      let message;
      try {
        message = inboundStateless.parse(JSON.parse(payload));
      } catch {
        metrics.refusal('bad-stateless');
        sendStateless(connection, { type: 'error', code: 'bad-request', message: 'Unknown or malformed request.' });
        return;
      }
      requestId = message.requestId;
      if (Date.now() >= session.exp * 1000) {
        sendStateless(connection, { type: 'error', code: 'token-expired', message: 'Your session has expired.', requestId });
        return;
      }
      if (!can.edit(session.role)) {
        metrics.refusal('forbidden');
        sendStateless(connection, { type: 'error', code: 'forbidden', message: 'Only editors can do that.', requestId });
        return;
      }
      if (session.busy) {
        sendStateless(connection, { type: 'error', code: 'busy', message: 'The previous request is still running.', requestId });
        return;
      }
      const entry = persistence.entries.get(document.name);
      if (!entry) return;
      session.busy = true;
      try {
        if (message.type === 'save-version') {
          const version = await persistence.snapshots.snapshot(entry, { reason: 'manual', label: message.label ?? null, claims: session.claims });
          if (version) persistence.events.versionSaved(entry, version, requestId);
        } else {
          const { backupVersionId } = await persistence.snapshots.restore(entry, message.versionId, session.claims, session.userId);
          document.broadcastStateless(
            encodeStateless({ type: 'version-restored', versionId: message.versionId, backupVersionId, userId: session.userId, ...(requestId ? { requestId } : {}) }),
          );
        }
      } finally {
        session.busy = false;
      }
    } catch (error) {
      if (error instanceof Refusal) {
        sendStateless(connection, { type: 'error', code: error.reason, message: error.detail, requestId });
        return;
      }
      metrics.error('stateless');
      logger.error({ err: error, document: document.name }, 'stateless request failed');
      sendStateless(connection, { type: 'error', code: 'failed', message: 'That did not work. Try again.', requestId });
    }
  }
}
