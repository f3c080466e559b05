import type { beforeHandleAwarenessPayload, beforeHandleMessagePayload, Connection, Document, Extension } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { applyAwarenessUpdate } from 'y-protocols/awareness';
import { awarenessClocks } from '../frames';
import type { Metrics } from '../metrics';
import { sessionOf, type CollabContext } from '../sessions';

export interface AwarenessGuardConfiguration {
  metrics: Metrics;
  /** Awareness entries (one per open editor) a single connection may publish. */
  maxClientsPerConnection?: number;
  /** Past this many remembered clientIDs on one document, those of closed connections are forgotten. */
  maxRememberedClients?: number;
}

const defaults = { maxClientsPerConnection: 4, maxRememberedClients: 4_096 };

interface Owner {
  userId: string;
  /** The connection that speaks for the clientID now; null when the claim came from another instance. */
  connection: Connection | null;
}

/**
 * Presence is only as trustworthy as the server makes it. Every entry a connection publishes is stamped with the
 * verified user's id, name and colour, and each Yjs clientID belongs to the first user who published it on this
 * document, for as long as the document is loaded:
 * - a frame that names another user's clientID, or more than one clientID this server has not seen, is refused as a
 *   whole (nothing of it is applied, so it cannot move any clock), and the owner's entry stays as it is;
 * - the same user may take their clientID over from another connection (a reconnect with the same Y.Doc): the old
 *   connection's close no longer removes it, and an entry whose clock is not ahead of what the server holds (a new
 *   provider starts again at 0, and the old connection's close bumped the clock) is applied with the next clock, so
 *   the cursor and name come back at once instead of after the provider's clock catches up.
 *
 * Hocuspocus hands beforeHandleAwareness the states of a scratch Awareness it decoded the frame into, without the
 * clocks and with one entry of the scratch awareness's own; so the frame's own clientIDs and clocks are read from the
 * raw message in beforeHandleMessage, which runs just before for the same message.
 */
export class AwarenessGuard implements Extension<CollabContext> {
  readonly extensionName = 'quire-awareness-guard';
  private readonly configuration: AwarenessGuardConfiguration & typeof defaults;
  private readonly owners = new WeakMap<Document, Map<number, Owner>>();
  // The clientIDs and clocks of the awareness frame a connection is about to have handled.
  private readonly frames = new WeakMap<Connection, Map<number, number>>();

  constructor(configuration: AwarenessGuardConfiguration) {
    this.configuration = { ...defaults, ...configuration };
  }

  /** The user whose editor speaks for this clientID on this document, if any did. */
  ownerOf(document: object, clientId: number): string | undefined {
    return this.owners.get(document as Document)?.get(clientId)?.userId;
  }

  async beforeHandleMessage({ connection, update }: beforeHandleMessagePayload<CollabContext>) {
    const clocks = awarenessClocks(update);
    if (clocks) this.frames.set(connection, clocks);
  }

  async beforeHandleAwareness({ connection, states, document, awareness, transactionOrigin }: beforeHandleAwarenessPayload<CollabContext>) {
    const owners = this.ownersOf(document);
    const clocks = connection ? this.frames.get(connection) : undefined;
    if (connection) this.frames.delete(connection);
    // Removals (null states) are not in `states`; they never need a guard here.
    const entries = [...states].filter(([clientId]) => (clocks ? clocks.has(clientId) : true));
    if (!connection) {
      // Relayed by another instance, which checked and stamped it: remember whose it is, so a writer here cannot
      // reach into that editor's clocks either.
      for (const [clientId, state] of entries) {
        const userId = (state.user as { id?: unknown } | undefined)?.id;
        if (typeof userId === 'string' && !owners.has(clientId)) owners.set(clientId, { userId, connection: null });
      }
      return;
    }
    const session = sessionOf(connection);
    if (!session) {
      states.clear();
      return;
    }
    const { maxClientsPerConnection } = this.configuration;
    let fresh = 0;
    for (const [clientId] of entries) {
      const owner = owners.get(clientId);
      if (!owner) fresh++;
      else if (owner.userId !== session.userId) return this.refuse(states, 'awareness-spoof');
    }
    if (fresh > 1) return this.refuse(states, 'awareness-spoof');
    if (fresh === 1) {
      let owned = 0;
      for (const owner of owners.values()) if (owner.connection === connection) owned++;
      if (owned >= maxClientsPerConnection) return this.refuse(states, 'awareness-limit');
    }
    const behind: Array<[number, Record<string, unknown>]> = [];
    for (const [clientId, state] of entries) {
      const owner = owners.get(clientId);
      if (owner && owner.connection !== connection) {
        // The same user on a new connection: the old connection must not take the entry with it when it closes.
        if (owner.connection) document.getClients(owner.connection).delete(clientId);
        document.getClients(connection).add(clientId);
        owner.connection = connection;
      } else if (!owner) {
        owners.set(clientId, { userId: session.userId, connection });
      }
      state.user = { id: session.userId, name: session.name, color: session.color };
      const clock = clocks?.get(clientId);
      const held = awareness.meta.get(clientId)?.clock;
      if (clock !== undefined && held !== undefined && clock <= held) behind.push([clientId, state]);
    }
    if (behind.length > 0) {
      // The owner's entry, but with a clock the server (and every peer) already passed: apply it with the next one.
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, behind.length);
      for (const [clientId, state] of behind) {
        encoding.writeVarUint(encoder, clientId);
        encoding.writeVarUint(encoder, awareness.meta.get(clientId)!.clock + 1);
        encoding.writeVarString(encoder, JSON.stringify(state));
        states.delete(clientId);
      }
      applyAwarenessUpdate(awareness, encoding.toUint8Array(encoder), transactionOrigin);
    }
    this.forgetClosed(owners);
  }

  private refuse(states: Map<number, unknown>, reason: 'awareness-spoof' | 'awareness-limit') {
    states.clear();
    this.configuration.metrics.refusal(reason);
  }

  private ownersOf(document: Document): Map<number, Owner> {
    let owners = this.owners.get(document);
    if (!owners) this.owners.set(document, (owners = new Map()));
    return owners;
  }

  private forgetClosed(owners: Map<number, Owner>) {
    if (owners.size <= this.configuration.maxRememberedClients) return;
    for (const [clientId, owner] of owners) if (!owner.connection || !owner.connection.document.hasConnection(owner.connection)) owners.delete(clientId);
  }
}
