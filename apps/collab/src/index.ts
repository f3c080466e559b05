export { startCollabServer, type CollabServer, type StartOptions } from './server';
export { loadConfig, resolveConfig, DEFAULTS, type CollabConfig, type CollabConfigInput } from './config';
export type { OutboundStateless, InboundStateless, RefusalReason } from './protocol';
export { CLOSE_CODES } from './protocol';
