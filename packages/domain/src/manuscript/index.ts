export * from './schema';
export * from './convert';
