import { OutgoingMessage, type Connection, type Document } from '@hocuspocus/server';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { inspectFrame, RateLimiter, SYNC_STEP2, SYNC_UPDATE } from '../frames';
import type { Metrics } from '../metrics';
import { sendStateless, type RefusalReason } from '../protocol';

export interface FrameLimitsConfiguration {
  metrics: Metrics;
  logger: Logger;
  /** The loaded document of that name and its approximate encoded size, if it is loaded here. */
  document: (name: string) => { doc: Document; size: number } | undefined;
  /** Per-connection token bucket: sustained messages per second, burst size, sustained bytes per second. */
  rateMessagesPerSecond?: number;
  rateBurst?: number;
  rateBytesPerSecond?: number;
  maxDocumentBytes?: number;
}

const defaults = {
  rateMessagesPerSecond: 300,
  rateBurst: 1_500,
  rateBytesPerSecond: 4 * 1024 * 1024,
  maxDocumentBytes: 64 * 1024 * 1024,
};

/** What happens to one frame: handed on, dropped (the socket stays open) or the socket is closed with a reason. */
export type Verdict = { action: 'deliver' } | { action: 'drop' } | { action: 'refuse'; reason: RefusalReason };

const deliver: Verdict = { action: 'deliver' };
const drop: Verdict = { action: 'drop' };

/**
 * Every frame is checked before Hocuspocus decodes it: binary only, within the per-connection rate, well-formed for
 * its message type (Yjs payloads decoded completely), and no update that would push a document past its size limit.
 * Hocuspocus has no hook that runs before it decodes a frame, so this sits in the websocket handler.
 */
export class FrameLimits {
  private readonly configuration: FrameLimitsConfiguration & typeof defaults;
  // The clock reach of each update frame let through, so UpdateGuard does not decode it a second time.
  private readonly ends = new WeakMap<Uint8Array, Map<number, number>>();

  constructor(configuration: FrameLimitsConfiguration) {
    this.configuration = { ...defaults, ...configuration };
  }

  /** One checker per websocket: it holds that socket's rate budget. */
  forSocket(ws: WebSocket): (bytes: Uint8Array, isBinary: boolean) => Verdict {
    const { rateMessagesPerSecond, rateBurst, rateBytesPerSecond } = this.configuration;
    const limiter = new RateLimiter(rateMessagesPerSecond, rateBurst, rateBytesPerSecond);
    return (bytes, isBinary) => {
      if (!isBinary) return { action: 'refuse', reason: 'malformed-message' };
      if (!limiter.take(bytes.length)) return { action: 'refuse', reason: 'rate-limited' };
      const check = inspectFrame(bytes);
      if (!check.ok) return { action: 'refuse', reason: check.reason };
      const frame = check.frame;
      if (frame.kind === 'pong') return drop;
      if (frame.kind === 'sync' && (frame.step === SYNC_STEP2 || frame.step === SYNC_UPDATE)) {
        const loaded = this.configuration.document(frame.documentName);
        if (loaded && loaded.size + frame.payload.length > this.configuration.maxDocumentBytes) {
          this.dropUpdate(loaded.doc, ws, 'document-too-large', 'This document has reached its size limit; the last change was not saved.');
          return drop;
        }
        if (frame.ends) this.ends.set(bytes, frame.ends);
      }
      return deliver;
    };
  }

  /** Per clientID, how far an update frame that passed here reaches (see UpdateGuard). */
  inspectedEnds(bytes: Uint8Array): Map<number, number> | undefined {
    return this.ends.get(bytes);
  }

  /**
   * Dropped, not closed: a closed socket reconnects and resends the same update forever. The client hears that its
   * change was not saved and why.
   */
  private dropUpdate(doc: Document, ws: WebSocket, code: RefusalReason, message: string) {
    this.configuration.metrics.refusal(code);
    const connection = doc.getConnections().find((c: Connection) => c.webSocket === (ws as unknown as Connection['webSocket']));
    if (connection) {
      connection.send(new OutgoingMessage(connection.messageAddress).writeSyncStatus(false).toUint8Array());
      sendStateless(connection, { type: 'error', code, message });
    }
  }
}
