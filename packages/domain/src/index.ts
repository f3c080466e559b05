export * from './roles';
export * from './tiers';
export * from './identity';
export * from './billing';
