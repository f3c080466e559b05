export { startWorker, type RunningWorker, type WorkerOptions } from './worker';
export { loadConfig, resolveConfig, type WorkerConfig } from './config';
export { defineJob, type JobDefinition, type AnyJobDefinition, type JobContext } from './job';
export { JOBS } from './jobs';
