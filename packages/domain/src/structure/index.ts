export * from './schemas';
export * from './order';
export * from './tree';
export * from './positions';
export * from './checks';
export * from './markdown';
