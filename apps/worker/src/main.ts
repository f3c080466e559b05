import { runServiceProcess } from '@quire/db/service-process';
import { loadConfig } from './config';
import { startWorker } from './worker';

await runServiceProcess({ loadConfig, start: startWorker, stopping: 'letting running jobs finish first' });
