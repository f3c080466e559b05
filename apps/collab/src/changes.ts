import type { Pool, PoolClient } from '@quire/db/pool';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';

/** One NOTIFY on quire_changes, as the triggers write it. Every field is optional: a payload is never trusted. */
export interface Change {
  table?: string;
  op?: string;
  project_id?: string;
  document_id?: string;
  user_id?: string;
  comment_id?: string;
}

export interface ChangeFeedConfiguration {
  pool: Pool;
  metrics: Metrics;
  logger: Logger;
}

const CHANNEL = 'quire_changes';

/**
 * One LISTEN connection per instance, shared by every concern that follows relational changes (membership,
 * document shares, comments, deleted documents). It reconnects on its own; after a reconnect the `reconnected`
 * listeners run, because anything may have changed while nobody was listening.
 */
export class ChangeFeed {
  private readonly listeners: Array<(change: Change) => void> = [];
  private readonly reconnectListeners: Array<() => void> = [];
  private client: PoolClient | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly configuration: ChangeFeedConfiguration) {}

  on(listener: (change: Change) => void) {
    this.listeners.push(listener);
  }

  onReconnect(listener: () => void) {
    this.reconnectListeners.push(listener);
  }

  /** Resolves after the first LISTEN attempt (a failed one keeps retrying in the background). */
  start(): Promise<void> {
    return this.listen(0);
  }

  stop() {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.client) this.client.release(true);
    this.client = null;
  }

  private dispatch(raw: string | undefined) {
    let change: Change;
    try {
      change = JSON.parse(raw ?? '{}');
    } catch {
      return;
    }
    for (const listener of this.listeners) listener(change);
  }

  private async listen(attempt: number): Promise<void> {
    if (this.stopped) return;
    const { pool, metrics, logger } = this.configuration;
    try {
      const client = await pool.connect();
      client.on('notification', (message) => {
        if (message.channel === CHANNEL) this.dispatch(message.payload);
      });
      client.on('error', (error) => {
        logger.warn({ err: error }, 'LISTEN connection lost; reconnecting');
        if (this.client === client) this.client = null;
        client.release(error);
        if (!this.stopped) this.retry = setTimeout(() => void this.listen(1), 250);
      });
      await client.query(`listen ${CHANNEL}`);
      this.client = client;
      if (attempt > 0) for (const listener of this.reconnectListeners) listener();
    } catch (error) {
      metrics.error('listen');
      logger.warn({ err: error }, 'LISTEN failed; retrying');
      if (!this.stopped) this.retry = setTimeout(() => void this.listen(attempt + 1), Math.min(250 * 2 ** attempt, 5_000));
    }
  }
}
