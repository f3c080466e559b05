import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** GET /health (200 when the worker is running and its database answers) and GET /metrics (Prometheus). */
export async function startHttp(options: { host: string; port: number; registry: Registry; healthy(): Promise<boolean> }) {
  const server = http.createServer((request, response) => {
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    const url = request.url?.split('?')[0];
    if (request.method !== 'GET') return send(405, 'text/plain', 'method not allowed');
    if (url === '/health') {
      options.healthy().then(
        (ok) => send(ok ? 200 : 503, 'application/json', JSON.stringify({ status: ok ? 'ok' : 'unavailable' })),
        () => send(503, 'application/json', JSON.stringify({ status: 'unavailable' })),
      );
      return;
    }
    if (url === '/metrics') {
      options.registry.metrics().then(
        (text) => send(200, options.registry.contentType, text),
        () => send(500, 'text/plain', 'metrics failed'),
      );
      return;
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
