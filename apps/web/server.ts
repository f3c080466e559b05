/**
 * The web app's HTTP server: Next's request handler behind one step Next cannot do itself, which is telling the
 * client's address from the socket. Next only copies the socket's peer into x-forwarded-for when the request carries
 * none, so behind `next start` any client could name its own address for the sign-in limits. Here the address is
 * resolved from the socket and TRUSTED_PROXIES and stamped before Next runs (see src/lib/auth/client-ip.ts).
 */
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { parseConfig } from './src/lib/config';
import { stampClientAddress, trustedProxyList } from './src/lib/auth/client-ip';

const config = parseConfig(process.env);
const proxies = trustedProxyList(config.trustedProxies);
const app = next({ dev: false, dir: path.dirname(fileURLToPath(import.meta.url)), hostname: config.hostname, port: config.port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  stampClientAddress(request, config.jwtSecret, proxies);
  handle(request, response).catch((error: unknown) => {
    console.error('request failed', error);
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});
server.listen(config.port, config.hostname, () => {
  console.log(`web listening on http://${config.hostname}:${config.port} (trusted proxies: ${config.trustedProxies.join(', ') || 'none'})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    // open keep-alive connections would hold close() forever
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
