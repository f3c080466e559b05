import type { Logger } from 'pino';

export interface RunningService {
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * The life of a server process (collab, worker): read the configuration, start, and on SIGTERM or SIGINT stop once,
 * letting the service finish its work before the process exits.
 */
export async function runServiceProcess<Config>(options: {
  loadConfig: () => Config;
  start: (config: Config) => Promise<RunningService>;
  /** What the log says the service does while it stops, e.g. "flushing every document first". */
  stopping: string;
}): Promise<void> {
  let config: Config;
  try {
    config = options.loadConfig();
  } catch (error) {
    // A configuration mistake is the operator's to fix: say what is wrong, without a stack trace.
    console.error((error as Error).message);
    process.exit(1);
  }
  const service = await options.start(config);

  let exiting = false;
  const shutdown = (signal: string) => {
    if (exiting) return;
    exiting = true;
    service.logger.info({ signal }, `shutting down: ${options.stopping}`);
    service.stop().then(
      () => process.exit(0),
      (error) => {
        service.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // One failing document or job must not take every other one down with it.
  process.on('unhandledRejection', (error) => service.logger.error({ err: error }, 'unhandled rejection'));
}
