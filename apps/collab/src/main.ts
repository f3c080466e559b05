import { runServiceProcess } from '@quire/db/service-process';
import { loadConfig } from './config';
import { startCollabServer } from './server';

await runServiceProcess({ loadConfig, start: startCollabServer, stopping: 'flushing every document first' });
