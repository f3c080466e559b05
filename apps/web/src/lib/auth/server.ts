import { createServerClient } from '@supabase/ssr';
import WebSocket from 'ws';
import { cookies, headers } from 'next/headers';
import { cache } from 'react';
import type { Claims } from '@quire/db/session';
import { getConfig } from '../config';
import { clientIp } from './client-ip';
import { AUTH_COOKIE, authEndpoints, forwardingHeaders } from './endpoints';
import { verifySupabaseToken } from './verify';

/** A Supabase client bound to this request's cookies (server components, server actions, route handlers). */
export async function supabaseServer() {
  // request data first: it marks the render as dynamic before any setting is read (builds have no settings)
  const cookieStore = await cookies();
  const requestHeaders = await headers();
  const endpoints = await authEndpoints();
  return createServerClient(endpoints.serverUrl, endpoints.anonKey, {
    cookieOptions: { name: AUTH_COOKIE },
    cookies: {
      getAll: () => cookieStore.getAll(),
      setAll: (toSet) => {
        try {
          for (const { name, value, options } of toSet) cookieStore.set(name, value, options);
        } catch {
          // Server components cannot set cookies; the proxy has already refreshed the session for this request.
        }
      },
    },
    // Node 20 has no global WebSocket and supabase-js wants one for realtime, which the server never opens
    realtime: { transport: WebSocket as never },
    global: { headers: forwardingHeaders(clientIp(requestHeaders, getConfig().jwtSecret)) },
  });
}

export interface Viewer {
  userId: string;
  email: string;
  claims: Claims;
  accessToken: string;
}

/** The signed-in person for this request, verified from the access token; null when signed out. Once per request. */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const supabase = await supabaseServer();
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token;
  const claims = await verifySupabaseToken(token);
  if (!claims || !token) return null;
  return { userId: claims.sub, email: typeof claims.email === 'string' ? claims.email : '', claims, accessToken: token };
});
