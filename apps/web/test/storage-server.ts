import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import type { Pool } from '@quire/db/pool';
import { createStorage, storagePath, type EmbeddedStorage } from '../src/server/storage/api';

import { anonKey, serviceRoleKey, verifyAccessToken } from '../src/lib/auth/tokens';
import { JWT_SECRET } from './helpers';

/**
 * The embedded storage on a real HTTP server (port 0, loopback), bytes in a temporary folder, so supabase-js talks to
 * it exactly as it talks to the web app's /storage/v1.
 */
export async function startStorageServer(pool: Pool) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-storage-'));
  const storage: EmbeddedStorage = createStorage({ pool, jwtSecret: JWT_SECRET, root, verifyUser: (token) => verifyAccessToken(JWT_SECRET, token) });
  const server = http.createServer(async (req, res) => {
    try {
      const url = `http://${req.headers.host}${req.url}`;
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit);
      const response = await storage.handle(request, storagePath(url));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      res.end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const site = `http://127.0.0.1:${port}`;
  const anon = await anonKey(JWT_SECRET);
  const service = await serviceRoleKey(JWT_SECRET);

  const client = (bearer: string) =>
    createClient(site, anon, {
      global: { headers: { Authorization: `Bearer ${bearer}` } },
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: WebSocket as never },
    }).storage;

  return {
    site,
    root,
    storage,
    anonKey: anon,
    serviceKey: service,
    /** storage as a signed-in person (their access token) */
    as: (accessToken: string) => client(accessToken),
    asService: () => client(service),
    asAnon: () => client(anon),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

export type StorageServer = Awaited<ReturnType<typeof startStorageServer>>;
