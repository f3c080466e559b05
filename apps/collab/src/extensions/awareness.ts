import type { beforeHandleAwarenessPayload, Connection, connectedPayload, Document, Extension } from '@hocuspocus/server';
import type { Metrics } from '../metrics';
import { sessionOf, type CollabContext } from '../sessions';

export interface AwarenessGuardConfiguration {
  metrics: Metrics;
  /** Awareness entries (one per open editor) a single connection may publish. */
  maxClientsPerConnection?: number;
}

const defaults = { maxClientsPerConnection: 4 };

/**
 * Presence is only as trustworthy as the server makes it: every entry a connection publishes is stamped with the
 * verified user's id, name and colour, and a connection may only speak for the awareness entries it created.
 */
export class AwarenessGuard implements Extension<CollabContext> {
  readonly extensionName = 'quire-awareness-guard';
  private readonly configuration: AwarenessGuardConfiguration & typeof defaults;
  private readonly owners = new WeakMap<Document, Map<number, Connection>>();

  constructor(configuration: AwarenessGuardConfiguration) {
    this.configuration = { ...defaults, ...configuration };
  }

  async connected({ connection }: connectedPayload<CollabContext>) {
    connection.onClose(() => {
      const owners = this.owners.get(connection.document);
      if (owners) for (const [clientId, owner] of owners) if (owner === connection) owners.delete(clientId);
    });
  }

  async beforeHandleAwareness({ connection, states, document }: beforeHandleAwarenessPayload<CollabContext>) {
    if (!connection) return; // relayed by another instance, which stamped it
    const session = sessionOf(connection);
    if (!session) {
      states.clear();
      return;
    }
    const { metrics, maxClientsPerConnection } = this.configuration;
    let owners = this.owners.get(document);
    if (!owners) this.owners.set(document, (owners = new Map()));
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
        if (owned >= maxClientsPerConnection) {
          states.delete(clientId);
          metrics.refusal('awareness-limit');
          continue;
        }
        owners.set(clientId, connection);
        owned++;
      }
      state.user = { id: session.userId, name: session.name, color: session.color };
    }
  }
}
