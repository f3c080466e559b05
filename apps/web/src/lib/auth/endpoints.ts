import { getConfig } from '../config';
import { anonKey, internalKey } from './tokens';
import { FORWARDED_IP_HEADER, INTERNAL_KEY_HEADER } from './client-ip';

/** Every Supabase client in the app stores its session under this cookie name, whichever auth serves it. */
export const AUTH_COOKIE = 'sb-quire-auth-token';

export interface AuthEndpoints {
  mode: 'embedded' | 'supabase';
  /** Where server code reaches auth: Supabase, or this very server over loopback. */
  serverUrl: string;
  /** Where the browser reaches auth; null means the page's own origin (embedded mode). */
  browserUrl: string | null;
  anonKey: string;
}

let cachedKey: Promise<string> | undefined;

export async function authEndpoints(): Promise<AuthEndpoints> {
  const config = getConfig();
  if (config.auth.mode === 'supabase') {
    return { mode: 'supabase', serverUrl: config.auth.url, browserUrl: config.auth.url, anonKey: config.auth.anonKey };
  }
  cachedKey ??= anonKey(config.jwtSecret);
  return { mode: 'embedded', serverUrl: `http://127.0.0.1:${config.port}`, browserUrl: null, anonKey: await cachedKey };
}

/** Headers that let the embedded auth rate-limit the browser's address rather than the server's own. */
export function forwardingHeaders(clientAddress: string): Record<string, string> {
  const config = getConfig();
  if (config.auth.mode !== 'embedded') return {};
  return { [FORWARDED_IP_HEADER]: clientAddress, [INTERNAL_KEY_HEADER]: internalKey(config.jwtSecret) };
}
