import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { FrameLimits } from './extensions/frame-limits';
import type { Metrics } from './metrics';
import { CLOSE_CODES, type RefusalReason } from './protocol';
import type { CollabContext } from './sessions';

export interface TransportConfiguration {
  hocuspocus: Hocuspocus<CollabContext>;
  frameLimits: FrameLimits;
  metrics: Metrics;
  logger: Logger;
  maxMessageBytes: number;
  stopping: () => boolean;
  health: () => Promise<{ ok: boolean; body: unknown }>;
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
 * One port for everything: our own websocket server in front of Hocuspocus (so FrameLimits sees every frame first),
 * GET /health and GET /metrics (Prometheus).
 */
export class Transport {
  readonly httpServer: HttpServer;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();

  constructor(private readonly configuration: TransportConfiguration) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: configuration.maxMessageBytes, perMessageDeflate: false });
    this.wss.on('connection', (ws: WebSocket, req: IncomingMessage) => this.onSocket(ws, req));
    this.httpServer = createServer((req, res) => this.onRequest(req, res));
    this.httpServer.on('upgrade', (req, socket, head) => {
      if (configuration.stopping()) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
    });
  }

  async listen(port: number, host: string): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(port, host, () => resolve());
    });
    return (this.httpServer.address() as AddressInfo).port;
  }

  /** Stops accepting and asks every client to reconnect elsewhere. */
  closeSockets() {
    this.httpServer.close();
    for (const ws of this.sockets) ws.close(CLOSE_CODES['server-shutdown'], 'server-shutdown');
  }

  terminate() {
    for (const ws of this.sockets) ws.terminate();
    this.httpServer.closeAllConnections?.();
  }

  private onSocket(ws: WebSocket, req: IncomingMessage) {
    const { hocuspocus, frameLimits, metrics, logger } = this.configuration;
    this.sockets.add(ws);
    const request = new Request(`http://collab${req.url ?? '/'}`, { headers: toHeaders(req) });
    const client = hocuspocus.handleConnection(ws as unknown as WebSocketLike, request, {});
    const check = frameLimits.forSocket(ws);
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
      const verdict = check(bytes, isBinary);
      if (verdict.action === 'refuse') return refuse(verdict.reason);
      if (verdict.action === 'drop') return;
      try {
        client.handleMessage(bytes);
      } catch (error) {
        metrics.error('handle-message');
        logger.warn({ err: error }, 'message handling failed');
        refuse('malformed-message');
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      this.sockets.delete(ws);
      client.handleClose({ code, reason: reason.toString() });
    });
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.refusal('message-too-big');
      else metrics.error('websocket');
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse) {
    const { metrics, health } = this.configuration;
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
  }
}
