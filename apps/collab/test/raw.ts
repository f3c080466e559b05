import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { MSG } from '../src/frames';

/** A websocket that speaks Hocuspocus frames by hand, for sending what no provider would. */
export class RawSocket {
  readonly ws: WebSocket;
  readonly received: Uint8Array[] = [];
  closed: { code: number; reason: string } | null = null;
  sent = 0;
  private opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'nodebuffer';
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data: Buffer) => this.received.push(new Uint8Array(data)));
    this.ws.on('close', (code, reason) => (this.closed = { code, reason: reason.toString() }));
  }

  open() {
    return this.opened;
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends if the socket is still open; returns whether it did. */
  send(frame: Uint8Array | string, binary = true): boolean {
    if (!this.isOpen) return false;
    this.ws.send(frame, { binary });
    this.sent++;
    return true;
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }

  /** Messages of one type for one document. */
  ofType(type: number): Array<{ decoder: decoding.Decoder }> {
    const out: Array<{ decoder: decoding.Decoder }> = [];
    for (const bytes of this.received) {
      if (bytes.length === 1) continue;
      const decoder = decoding.createDecoder(bytes);
      decoding.readVarString(decoder);
      if (decoding.readVarUint(decoder) === type) out.push({ decoder });
    }
    return out;
  }

  /** The Auth replies: 'authenticated:<scope>' or 'denied:<reason>'. */
  authReplies(): string[] {
    return this.ofType(MSG.Auth).map(({ decoder }) => {
      const kind = decoding.readVarUint(decoder);
      const text = decoding.readVarString(decoder);
      return kind === 2 ? `authenticated:${text}` : kind === 1 ? `denied:${text}` : `other:${kind}`;
    });
  }

  syncStatuses(): boolean[] {
    return this.ofType(MSG.SyncStatus).map(({ decoder }) => decoding.readVarInt(decoder) === 1);
  }
}

export function frame(documentName: string, type: number, write: (e: encoding.Encoder) => void = () => {}): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, documentName);
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const authFrame = (documentName: string, token: string) =>
  frame(documentName, MSG.Auth, (e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, token);
  });

export const syncFrame = (documentName: string, step: number, payload: Uint8Array) =>
  frame(documentName, MSG.Sync, (e) => {
    encoding.writeVarUint(e, step);
    encoding.writeVarUint8Array(e, payload);
  });

export const awarenessFrame = (documentName: string, entries: Array<{ clientId: number; clock: number; state: unknown }>) =>
  frame(documentName, MSG.Awareness, (e) => {
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const entry of entries) {
      encoding.writeVarUint(inner, entry.clientId);
      encoding.writeVarUint(inner, entry.clock);
      encoding.writeVarString(inner, JSON.stringify(entry.state));
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });

export const statelessFrame = (documentName: string, payload: string, type: number = MSG.Stateless) =>
  frame(documentName, type, (e) => encoding.writeVarString(e, payload));
