// The baseline: @hocuspocus/server exactly as its README starts it, no extensions, no hooks.
import { Server } from '@hocuspocus/server';

const port = Number(process.env.PORT ?? 0);
const server = new Server({ port, address: '127.0.0.1', quiet: true, stopOnSignals: true });
await server.listen();
// The bench asks over IPC how many documents are loaded; nothing in the server is changed for it.
process.on('message', (message: { cmd?: string }) => {
  if (message.cmd === 'stats') process.send?.({ documents: server.hocuspocus.getDocumentsCount(), connections: server.hocuspocus.getConnectionsCount() });
});
process.send?.({ ready: true, port: server.address.port });
