// The peer: y-websocket 2.1.0's own server utilities (what its bin/server.cjs runs), no persistence.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { WebSocketServer } from 'ws';

const require = createRequire(import.meta.url);
const utils = require('y-websocket/bin/utils') as {
  setupWSConnection: (conn: unknown, req: unknown, options?: { docName?: string; gc?: boolean }) => void;
  docs: Map<string, unknown>;
};

const port = Number(process.env.PORT ?? 0);
const http = createServer((_req, res) => {
  res.writeHead(200);
  res.end('ok');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', (ws, req) => utils.setupWSConnection(ws, req));
http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
http.listen(port, '127.0.0.1', () => {
  const address = http.address();
  process.send?.({ ready: true, port: typeof address === 'object' && address ? address.port : port });
});
process.on('message', (message: { cmd?: string }) => {
  if (message.cmd === 'stats') process.send?.({ documents: utils.docs.size, connections: wss.clients.size });
});
process.on('SIGTERM', () => process.exit(0));
