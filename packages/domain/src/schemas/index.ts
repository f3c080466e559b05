export * from './common';
export * from './auth';
export * from './projects';
export * from './documents';
export * from './members';
export * from './editor';
