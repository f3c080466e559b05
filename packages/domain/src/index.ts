export * from './roles';
export * from './tiers';
export * from './identity';
