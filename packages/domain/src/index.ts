export * from './roles';
export * from './tiers';
