import type { beforeHandleMessagePayload, Extension } from '@hocuspocus/server';
import * as Y from 'yjs';
import { clockEnds, MAX_CLOCK, peekSyncUpdate } from '../frames';
import type { Metrics } from '../metrics';
import { Refusal } from '../protocol';
import { sessionOf, type CollabContext } from '../sessions';

export interface UpdateGuardConfiguration {
  metrics: Metrics;
  /** The user who published awareness for this Yjs clientID on this document, if anyone did. */
  ownerOf: (document: Y.Doc, clientId: number) => string | undefined;
  /** Clock ends already computed when the frame was inspected (saves decoding the update twice). */
  inspected?: (bytes: Uint8Array) => Map<number, number> | undefined;
}

/**
 * What a writer may do with Yjs structures: anything an editor can produce, but never reach past what this server
 * holds of a clientID that another user's editor speaks for, and never past MAX_CLOCK for any clientID.
 *
 * Why: an update is a list of struct ranges and delete ranges keyed by clientID. A range that starts beyond the
 * server's state for a client that is still typing (a GC struct or a deletion covering clocks it has not produced
 * yet) silently swallows that person's next edits: the server believes it already has them, their own editor
 * keeps showing them, and nothing says so. A real editor only reaches beyond the server's state for its own
 * clientID (or, after a server lost its tail, for content it received before — which the owner resends anyway).
 * A refused update closes that document connection with 'forbidden-update'; the rest of the socket is untouched.
 */
export class UpdateGuard implements Extension<CollabContext> {
  readonly extensionName = 'quire-update-guard';

  constructor(private readonly configuration: UpdateGuardConfiguration) {}

  async beforeHandleMessage({ connection, document, update }: beforeHandleMessagePayload<CollabContext>) {
    // Read-only connections never get an update applied, so there is nothing to judge.
    if (connection.readOnly) return;
    const { metrics, ownerOf, inspected } = this.configuration;
    let ends = inspected?.(update);
    if (!ends) {
      const payload = peekSyncUpdate(update);
      if (!payload) return;
      ends = clockEnds(payload);
    }
    if (ends.size === 0) return;
    const userId = sessionOf(connection)?.userId;
    for (const [client, end] of ends) {
      if (end > MAX_CLOCK) {
        metrics.refusal('forbidden-update');
        throw new Refusal('forbidden-update', 'That change claims clocks no editor produces.');
      }
      if (end <= Y.getState(document.store, client)) continue;
      const owner = ownerOf(document, client);
      if (owner !== undefined && owner !== userId) {
        metrics.refusal('forbidden-update');
        throw new Refusal('forbidden-update', "That change reaches into another writer's edits.");
      }
    }
  }
}
