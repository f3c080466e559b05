import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { RefusalReason } from './protocol';

/** Hocuspocus message types, as numbered on the wire. */
export const MSG = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  SyncReply: 4,
  Stateless: 5,
  BroadcastStateless: 6,
  Close: 7,
  SyncStatus: 8,
  Ping: 9,
  Pong: 10,
} as const;

export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/**
 * No editor's clock gets anywhere near this: a clock counts the characters (and other items) one Y.Doc instance ever
 * inserted, and a document is capped far below it (maxDocumentBytes). A range past it only comes from a forged update.
 */
export const MAX_CLOCK = 2 ** 31;

export type Frame =
  | { kind: 'pong' }
  | { kind: 'auth'; documentName: string }
  | { kind: 'sync'; documentName: string; step: number; payload: Uint8Array; ends?: Map<number, number> }
  | { kind: 'awareness'; documentName: string; entries: number }
  | { kind: 'stateless'; documentName: string; bytes: number }
  | { kind: 'query-awareness' | 'close'; documentName: string };

export type FrameCheck = { ok: true; frame: Frame } | { ok: false; reason: RefusalReason };

const MAX_ADDRESS_CHARS = 200;
const MAX_TOKEN_CHARS = 16_384;
const MAX_STATELESS_BYTES = 64 * 1024;
const MAX_AWARENESS_ENTRIES = 64;
const MAX_AWARENESS_STATE_CHARS = 32 * 1024;

const malformed: FrameCheck = { ok: false, reason: 'malformed-message' };

/**
 * Decodes a whole client frame before Hocuspocus sees it. Hocuspocus decodes lazily and, on a bad frame, logs and
 * closes in ways a client cannot interpret; here every frame is either well-formed for its type or refused with a
 * reason. Yjs payloads are decoded completely (without applying anything) so a corrupt update can never reach a
 * document.
 */
export function inspectFrame(data: Uint8Array): FrameCheck {
  // The provider answers a connection-level ping with a single type byte and no document address.
  if (data.length === 1 && data[0] === MSG.Pong) return { ok: true, frame: { kind: 'pong' } };
  try {
    const decoder = decoding.createDecoder(data);
    const address = decoding.readVarString(decoder);
    if (address.length === 0 || address.length > MAX_ADDRESS_CHARS) return malformed;
    const separator = address.indexOf('\0');
    const documentName = separator === -1 ? address : address.slice(0, separator);
    const type = decoding.readVarUint(decoder);
    let frame: Frame;
    switch (type) {
      case MSG.Sync:
      case MSG.SyncReply: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SYNC_STEP1) {
          Y.decodeStateVector(payload);
          frame = { kind: 'sync', documentName, step, payload };
        } else if (step === SYNC_STEP2 || step === SYNC_UPDATE) {
          frame = { kind: 'sync', documentName, step, payload, ends: endsOf(Y.decodeUpdate(payload)) };
        } else return malformed;
        break;
      }
      case MSG.Awareness: {
        const payload = decoding.readVarUint8Array(decoder);
        const inner = decoding.createDecoder(payload);
        const entries = decoding.readVarUint(inner);
        if (entries > MAX_AWARENESS_ENTRIES) return malformed;
        for (let i = 0; i < entries; i++) {
          decoding.readVarUint(inner);
          decoding.readVarUint(inner);
          const state = decoding.readVarString(inner);
          if (state.length > MAX_AWARENESS_STATE_CHARS) return malformed;
          const parsed: unknown = JSON.parse(state);
          if (parsed !== null && (typeof parsed !== 'object' || Array.isArray(parsed))) return malformed;
        }
        if (decoding.hasContent(inner)) return malformed;
        frame = { kind: 'awareness', documentName, entries };
        break;
      }
      case MSG.Auth: {
        // 0 = token; the provider never sends the other auth subtypes.
        if (decoding.readVarUint(decoder) !== 0) return malformed;
        const token = decoding.readVarString(decoder);
        if (token.length > MAX_TOKEN_CHARS) return malformed;
        if (decoding.hasContent(decoder)) decoding.readVarString(decoder);
        frame = { kind: 'auth', documentName };
        break;
      }
      case MSG.QueryAwareness:
        frame = { kind: 'query-awareness', documentName };
        break;
      case MSG.Stateless: {
        const payload = decoding.readVarString(decoder);
        if (payload.length > MAX_STATELESS_BYTES) return { ok: false, reason: 'message-too-big' };
        frame = { kind: 'stateless', documentName, bytes: payload.length };
        break;
      }
      case MSG.Close:
        frame = { kind: 'close', documentName };
        break;
      case MSG.BroadcastStateless:
        // Server-to-server only: a client must never make the server fan a payload out unchecked.
        return { ok: false, reason: 'forbidden-message' };
      default:
        return { ok: false, reason: 'unsupported-message' };
    }
    if (decoding.hasContent(decoder)) return malformed;
    return { ok: true, frame };
  } catch {
    return malformed;
  }
}

/** Per clientID, the highest clock an update's structs or deletions reach (exclusive end). */
function endsOf(decoded: ReturnType<typeof Y.decodeUpdate>): Map<number, number> {
  const ends = new Map<number, number>();
  const reach = (client: number, end: number) => {
    if (end > (ends.get(client) ?? 0)) ends.set(client, end);
  };
  // A Skip is a gap the update does not fill; it claims nothing.
  for (const struct of decoded.structs) if (!(struct instanceof Y.Skip)) reach(struct.id.client, struct.id.clock + struct.length);
  for (const [client, deletions] of decoded.ds.clients) for (const deletion of deletions) reach(client, deletion.clock + deletion.len);
  return ends;
}

/** clockEnds of a raw Yjs update (v1). */
export function clockEnds(update: Uint8Array): Map<number, number> {
  return endsOf(Y.decodeUpdate(update));
}

/** The (clientID, clock) pairs of an awareness frame, in frame order; null for any other frame. */
export function awarenessClocks(data: Uint8Array): Map<number, number> | null {
  try {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    if (decoding.readVarUint(decoder) !== MSG.Awareness) return null;
    const inner = decoding.createDecoder(decoding.readVarUint8Array(decoder));
    const clocks = new Map<number, number>();
    for (let i = decoding.readVarUint(inner); i > 0; i--) {
      const clientId = decoding.readVarUint(inner);
      clocks.set(clientId, decoding.readVarUint(inner));
      decoding.readVarString(inner);
    }
    return clocks;
  } catch {
    return null;
  }
}

/** The Yjs update inside a SyncStep2 or Update frame, or null for any other frame. */
export function peekSyncUpdate(data: Uint8Array): Uint8Array | null {
  try {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== MSG.Sync && type !== MSG.SyncReply) return null;
    const step = decoding.readVarUint(decoder);
    if (step !== SYNC_STEP2 && step !== SYNC_UPDATE) return null;
    return decoding.readVarUint8Array(decoder);
  } catch {
    return null;
  }
}

/** The sync step of a frame already checked by inspectFrame, or null for other message types; reads only the header. */
export function syncHeader(data: Uint8Array): number | null {
  try {
    const decoder = decoding.createDecoder(data);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== MSG.Sync && type !== MSG.SyncReply) return null;
    return decoding.readVarUint(decoder);
  } catch {
    return null;
  }
}

/** Token bucket over messages and bytes, per connection. */
export class RateLimiter {
  private messages: number;
  private bytes: number;
  private last = performance.now();

  constructor(
    private readonly messagesPerSecond: number,
    private readonly burst: number,
    private readonly bytesPerSecond: number,
  ) {
    this.messages = burst;
    this.bytes = Math.max(bytesPerSecond * 2, 1);
  }

  /** False when this message would exceed the budget. */
  take(size: number): boolean {
    const now = performance.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    this.messages = Math.min(this.burst, this.messages + elapsed * this.messagesPerSecond);
    this.bytes = Math.min(this.bytesPerSecond * 2, this.bytes + elapsed * this.bytesPerSecond);
    this.messages -= 1;
    // A single large message (an initial sync) may borrow against the future; the bucket stays negative until paid.
    this.bytes -= size;
    return this.messages >= 0 && this.bytes >= -this.bytesPerSecond * 2;
  }
}
