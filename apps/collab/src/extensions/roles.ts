import { OutgoingMessage, type connectedPayload, type Extension } from '@hocuspocus/server';
import type { Pool } from '@quire/db/pool';
import { can } from '@quire/domain';
import type { Logger } from 'pino';
import type { Change, ChangeFeed } from '../changes';
import type { Metrics } from '../metrics';
import { sendStateless } from '../protocol';
import { readAccess, type CollabContext, type Session, type Sessions } from '../sessions';

export interface LiveRolesConfiguration {
  pool: Pool;
  sessions: Sessions;
  feed: ChangeFeed;
  metrics: Metrics;
  logger: Logger;
}

/**
 * Membership changes reach open connections at once: a removed member (or an unshared document) is disconnected,
 * a downgraded one becomes read-only, an upgraded one may write again. Every change to project_members or
 * document_collaborators re-reads the role of the sessions it concerns, as the user, through Row Level Security.
 */
export class LiveRoles implements Extension<CollabContext> {
  readonly extensionName = 'quire-live-roles';

  constructor(private readonly configuration: LiveRolesConfiguration) {
    configuration.feed.on((change) => this.handleChange(change));
    // Anything may have changed while the feed was down: check every open session once.
    configuration.feed.onReconnect(() => {
      for (const session of configuration.sessions) void this.recheck(session);
    });
  }

  async connected({ context }: connectedPayload<CollabContext>) {
    const session = context.session;
    if (session?.stale) {
      session.stale = false;
      void this.recheck(session);
    }
  }

  handleChange(change: Change) {
    const { sessions } = this.configuration;
    if (change.table === 'project_members') {
      for (const session of sessions) if (session.projectId === change.project_id && session.userId === change.user_id) void this.recheck(session);
    } else if (change.table === 'document_collaborators') {
      for (const session of sessions) if (session.documentId === change.document_id && session.userId === change.user_id) void this.recheck(session);
    }
  }

  /** Re-reads the session's role; concurrent calls collapse into one more run after the current one. */
  recheck(session: Session): Promise<void> {
    if (session.rechecking) {
      session.recheckAgain = true;
      return session.rechecking;
    }
    session.rechecking = (async () => {
      do {
        session.recheckAgain = false;
        await this.apply(session);
      } while (session.recheckAgain && !session.closed);
    })().finally(() => {
      session.rechecking = null;
    });
    return session.rechecking;
  }

  private async apply(session: Session) {
    if (session.closed) return;
    const { pool, sessions, metrics, logger } = this.configuration;
    const access = await readAccess(pool, session.claims, session.documentId).catch((error) => {
      metrics.error('recheck');
      logger.warn({ err: error, user: session.userId }, 'role re-check failed; keeping the current role');
      return undefined;
    });
    if (access === undefined || session.closed) return;
    const connection = session.connection;
    if (!connection) {
      session.stale = true;
      return;
    }
    if (!access || !access.role) {
      sessions.close(session, 'membership-revoked');
      return;
    }
    if (access.role === session.role) return;
    const wasReadOnly = connection.readOnly;
    session.role = access.role;
    connection.readOnly = !can.edit(access.role);
    sendStateless(connection, { type: 'role', role: access.role, readOnly: connection.readOnly });
    if (wasReadOnly && !connection.readOnly) {
      // Ask the client for what it has that we do not: edits it made while read-only come back now.
      connection.send(new OutgoingMessage(connection.messageAddress).createSyncMessage().writeFirstSyncStepFor(connection.document).toUint8Array());
    }
    logger.info({ user: session.userId, document: session.documentId, role: access.role }, 'role changed on an open connection');
  }
}
