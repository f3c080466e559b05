import { loadConfig } from './config';
import { startWorker } from './worker';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  // A configuration mistake is the operator's to fix: say what is wrong, without a stack trace.
  console.error((error as Error).message);
  process.exit(1);
}
const worker = await startWorker(config);

let exiting = false;
const shutdown = (signal: string) => {
  if (exiting) return;
  exiting = true;
  worker.logger.info({ signal }, 'shutting down: letting running jobs finish first');
  worker.stop().then(
    () => process.exit(0),
    (error) => {
      worker.logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// One failing job must not take every other queue down with it.
process.on('unhandledRejection', (error) => worker.logger.error({ err: error }, 'unhandled rejection'));
