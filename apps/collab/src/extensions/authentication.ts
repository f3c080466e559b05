import type { connectedPayload, Extension, onAuthenticatePayload, onTokenSyncPayload } from '@hocuspocus/server';
import type { Pool } from '@quire/db/pool';
import { withService } from '@quire/db/session';
import { can } from '@quire/domain';
import { colorFor } from '@quire/domain/identity';
import type { Logger } from 'pino';
import { isCanonicalUuid, type TokenVerifier } from '../auth';
import type { Metrics } from '../metrics';
import { Refusal, sendStateless, type RefusalReason } from '../protocol';
import { readAccess, sessionOf, type CollabContext, type Session, type Sessions } from '../sessions';

export interface AuthenticationConfiguration {
  pool: Pool;
  verify: TokenVerifier;
  sessions: Sessions;
  metrics: Metrics;
  logger: Logger;
  /** True once the server is shutting down: new connections are refused, the sweep stops. */
  stopping: () => boolean;
  /** A connection whose token expired gets this long to send a fresh one before it is closed. */
  tokenRefreshGraceMs?: number;
  /** The provider is asked for a fresh token this long before the current one expires. */
  tokenRenewBeforeMs?: number;
  /** An authenticated session whose socket never finished connecting is forgotten after this long. */
  abandonedSessionMs?: number;
  sweepIntervalMs?: number;
}

const defaults = {
  tokenRefreshGraceMs: 10_000,
  tokenRenewBeforeMs: 30_000,
  abandonedSessionMs: 120_000,
  sweepIntervalMs: 1_000,
};

/**
 * Who is on the other end, and with which role: verifies the access token, reads the role through Row Level
 * Security, makes commenters and viewers read-only, tells the client its session, and keeps the token fresh
 * (asks for a new one before expiry, closes the connection when none comes).
 */
export class Authentication implements Extension<CollabContext> {
  readonly extensionName = 'quire-authentication';
  // Runs before every other quire extension: they all read the session it creates.
  readonly priority = 200;
  private readonly configuration: AuthenticationConfiguration & typeof defaults;
  private sweep: NodeJS.Timeout | null = null;

  constructor(configuration: AuthenticationConfiguration) {
    this.configuration = { ...defaults, ...configuration };
  }

  async onConfigure() {
    this.sweep = setInterval(() => this.sweepTokens(Date.now()), this.configuration.sweepIntervalMs);
    this.sweep.unref();
  }

  async onDestroy() {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = null;
  }

  async onAuthenticate({ token, documentName, connectionConfig }: onAuthenticatePayload<CollabContext>) {
    const { pool, verify, sessions, metrics, logger, stopping } = this.configuration;
    if (stopping()) throw new Refusal('server-shutdown');
    let verified;
    try {
      verified = await verify(token);
    } catch (error) {
      if (error instanceof Refusal) metrics.refusal(error.reason);
      throw error;
    }
    if (!isCanonicalUuid(documentName)) {
      // Refused rather than rewritten: Hocuspocus keys the loaded document, its connections and Redis channel by the
      // name the client sent, so only one spelling may ever reach it. The web app always sends this one.
      metrics.refusal('bad-document-name');
      throw new Refusal('bad-document-name', 'Documents are named by their id in lower case with hyphens (8-4-4-4-12).');
    }
    let access;
    try {
      access = await readAccess(pool, verified.claims, documentName);
    } catch (error) {
      metrics.error('auth-query');
      logger.error({ err: error }, 'role lookup failed');
      throw new Refusal('load-failed', 'The document could not be opened. Try again.');
    }
    if (!access || !access.role) {
      // RLS hides documents the caller may not read, so ask once more as the server — only to tell an unknown id
      // ("not-found") from someone else's document ("forbidden"); nothing of the row is returned.
      const exists = await withService(pool, async (tx) => (await tx.query('select 1 from public.documents where id = $1', [documentName])).rowCount! > 0).catch(
        () => false,
      );
      const reason: RefusalReason = exists ? 'forbidden' : 'not-found';
      metrics.refusal(reason);
      throw new Refusal(reason, exists ? 'You do not have access to this document.' : 'There is no such document.');
    }
    const session: Session = {
      userId: verified.userId,
      name: access.name,
      color: colorFor(verified.userId),
      claims: verified.claims,
      exp: verified.exp,
      role: access.role,
      documentId: documentName,
      projectId: access.projectId,
      connection: null,
      tokenRequestedAt: 0,
      createdAt: Date.now(),
      stale: false,
      closed: false,
      busy: false,
      rechecking: null,
      recheckAgain: false,
    };
    connectionConfig.readOnly = !can.edit(access.role);
    sessions.add(session);
    return { session };
  }

  async connected({ connection, context }: connectedPayload<CollabContext>) {
    const session = context.session;
    if (!session) return;
    const { sessions } = this.configuration;
    session.connection = connection;
    connection.onClose(() => {
      session.closed = true;
      sessions.delete(session);
    });
    sendStateless(connection, {
      type: 'session',
      userId: session.userId,
      name: session.name,
      color: session.color,
      role: session.role,
      readOnly: connection.readOnly,
    });
  }

  async onTokenSync({ token, connection }: onTokenSyncPayload<CollabContext>) {
    const session = sessionOf(connection);
    if (!session) return;
    const { verify, sessions } = this.configuration;
    try {
      const verified = await verify(token);
      if (verified.userId !== session.userId) {
        sessions.close(session, 'invalid-token');
        return;
      }
      session.claims = verified.claims;
      session.exp = verified.exp;
      session.tokenRequestedAt = 0;
    } catch (error) {
      sessions.close(session, error instanceof Refusal ? error.reason : 'invalid-token');
    }
  }

  /** Asks for fresh tokens before they expire and closes sessions that did not send one in time. */
  sweepTokens(now: number) {
    const { sessions, stopping, tokenRefreshGraceMs, tokenRenewBeforeMs, abandonedSessionMs } = this.configuration;
    if (stopping()) return;
    for (const session of sessions) {
      if (session.closed) continue;
      // Authenticated but never connected (the socket went away during the load): forget it.
      if (!session.connection) {
        if (now - session.createdAt > abandonedSessionMs) sessions.delete(session);
        continue;
      }
      const expiresAt = session.exp * 1000;
      if (now >= expiresAt + tokenRefreshGraceMs) sessions.close(session, 'token-expired');
      else if (now >= expiresAt - tokenRenewBeforeMs && now - session.tokenRequestedAt > 5_000) {
        // The provider answers with its current token (its `token` option may be a function that refreshes).
        session.tokenRequestedAt = now;
        session.connection.requestToken();
      }
    }
  }
}
