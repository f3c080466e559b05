import pg from 'pg';

/** The channel every board table's trigger notifies on (supabase/migrations/20261202100000_structure_studio.sql). */
export const LIVE_CHANNEL = 'quire_live';

export interface LiveChange {
  projectId: string;
  table: string;
  id: string;
  version: number | null;
  op: 'insert' | 'update' | 'delete';
}

/** A change, or `resync` after the listening connection was lost: notifications may have been missed, refetch all. */
export type LiveEvent = { kind: 'change'; change: LiveChange } | { kind: 'resync' };
type Listener = (event: LiveEvent) => void;

/**
 * One LISTEN connection per server process, shared by every open screen: Postgres sends each committed change once,
 * and the hub hands it to the subscribers of that project. The connection opens with the first subscriber, reconnects
 * with backoff while anyone listens, and closes when the last one leaves.
 */
export class LiveHub {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failures = 0;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(private readonly connectionString: string) {}

  async subscribe(projectId: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(projectId);
    if (!set) this.listeners.set(projectId, (set = new Set()));
    set.add(listener);
    await this.connect();
    return () => {
      const current = this.listeners.get(projectId);
      current?.delete(listener);
      if (current && current.size === 0) this.listeners.delete(projectId);
      if (this.listeners.size === 0) void this.close();
    };
  }

  /** How many screens are subscribed, for health and tests. */
  get subscribers(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'quire-web-live' });
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL || !message.payload) return;
      let change: LiveChange;
      try {
        change = JSON.parse(message.payload) as LiveChange;
      } catch {
        return;
      }
      if (!change.projectId) return;
      this.emit(change.projectId, { kind: 'change', change });
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      client.removeAllListeners('notification');
      client.end().catch(() => {});
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`listen ${LIVE_CHANNEL}`);
    } catch (error) {
      client.end().catch(() => {});
      this.scheduleReconnect();
      throw error;
    }
    this.client = client;
    if (this.failures > 0) {
      // what happened while the connection was down never arrives; every screen refetches instead
      for (const projectId of this.listeners.keys()) this.emit(projectId, { kind: 'resync' });
    }
    this.failures = 0;
  }

  private scheduleReconnect() {
    if (this.retry || this.listeners.size === 0) return;
    const delay = Math.min(10_000, 250 * 2 ** this.failures++);
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.listeners.size > 0) this.connect().catch(() => {});
    }, delay);
    this.retry.unref();
  }

  private emit(projectId: string, event: LiveEvent) {
    for (const listener of this.listeners.get(projectId) ?? []) {
      try {
        listener(event);
      } catch {
        // one broken stream must not stop the others
      }
    }
  }

  async close(): Promise<void> {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    if (client && this.listeners.size === 0) await client.end().catch(() => {});
    else if (client) this.client = client;
  }
}
