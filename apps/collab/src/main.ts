import { loadConfig } from './config';
import { startCollabServer } from './server';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  // A configuration mistake is the operator's to fix: say what is wrong, without a stack trace.
  console.error((error as Error).message);
  process.exit(1);
}
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
