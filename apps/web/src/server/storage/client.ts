import { createClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { getConfig } from '../../lib/config';
import { anonKey, serviceRoleKey } from '../../lib/auth/tokens';
import { embeddedStorage, storagePath } from './instance';

/**
 * supabase-js storage for server code, against Supabase Storage or the embedded subset. In embedded mode the calls
 * go straight to the in-process handler (same paths, same checks, no loopback hop).
 */
export type StorageApi = ReturnType<typeof createClient>['storage'];

const inProcess: typeof fetch = async (input, init) => {
  const request = new Request(input as RequestInfo, init);
  return embeddedStorage().handle(request, storagePath(request.url));
};

async function client(key: string, bearer: string): Promise<StorageApi> {
  const config = getConfig();
  const embedded = config.auth.mode === 'embedded';
  const url = config.auth.mode === 'supabase' ? config.auth.url : config.appUrl;
  return createClient(url, key, {
    global: { headers: { Authorization: `Bearer ${bearer}` }, ...(embedded ? { fetch: inProcess } : {}) },
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
  }).storage;
}

async function publicKey(): Promise<string> {
  const config = getConfig();
  return config.auth.mode === 'supabase' ? config.auth.anonKey : anonKey(config.jwtSecret);
}

/** Storage as the signed-in person: the policies on storage.objects decide what they may do. */
export async function userStorage(accessToken: string): Promise<StorageApi> {
  return client(await publicKey(), accessToken);
}

/** Storage as the service role, for jobs and cleanups only; every call site says why. */
export async function serviceStorage(): Promise<StorageApi> {
  const config = getConfig();
  let key: string;
  if (config.auth.mode === 'supabase') {
    if (!config.auth.serviceRoleKey) throw new Error('SUPABASE_SERVICE_ROLE_KEY is required for storage jobs.');
    key = config.auth.serviceRoleKey;
  } else {
    key = await serviceRoleKey(config.jwtSecret);
  }
  return client(key, key);
}
