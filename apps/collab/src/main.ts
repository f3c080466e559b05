import { loadConfig } from './config';
import { startCollabServer } from './server';

const config = loadConfig();
const server = await startCollabServer(config);

let exiting = false;
const shutdown = (signal: string) => {
  if (exiting) return;
  exiting = true;
  server.logger.info({ signal }, 'shutting down: flushing every document first');
  server.stop().then(
    () => process.exit(0),
    (error) => {
      server.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// One bad hook must not take every other document down with it.
process.on('unhandledRejection', (error) => server.logger.error({ err: error }, 'unhandled rejection'));
