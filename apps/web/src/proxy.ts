import { createServerClient } from '@supabase/ssr';
import WebSocket from 'ws';
import { NextResponse, type NextRequest } from 'next/server';
import { getConfig } from './lib/config';
import { clientIp } from './lib/auth/client-ip';
import { AUTH_COOKIE, authEndpoints, forwardingHeaders } from './lib/auth/endpoints';

/**
 * Keeps the session fresh before any page renders: server components cannot write cookies, so an access token about
 * to expire is exchanged here and the new cookies go both to the page being rendered and back to the browser.
 */
export async function proxy(request: NextRequest) {
  let response = NextResponse.next({ request });
  const endpoints = await authEndpoints();
  const supabase = createServerClient(endpoints.serverUrl, endpoints.anonKey, {
    cookieOptions: { name: AUTH_COOKIE },
    cookies: {
      getAll: () => request.cookies.getAll(),
      setAll: (toSet, headers) => {
        for (const { name, value } of toSet) request.cookies.set(name, value);
        response = NextResponse.next({ request });
        for (const { name, value, options } of toSet) response.cookies.set(name, value, options);
        for (const [key, value] of Object.entries(headers ?? {})) response.headers.set(key, value);
      },
    },
    // Node 20 has no global WebSocket and supabase-js wants one for realtime, which the server never opens
    realtime: { transport: WebSocket as never },
    global: { headers: forwardingHeaders(clientIp(request.headers, getConfig().jwtSecret)) },
  });
  // getSession refreshes only when the token is near expiry; otherwise it reads the cookie without a round trip.
  await supabase.auth.getSession();
  return response;
}

export const config = {
  // Not the auth and storage APIs (the refresh would call back into auth; storage reads its own bearer token), not static files, not the health probe.
  matcher: ['/((?!auth/v1|storage/v1|_next/static|_next/image|api/health|favicon.ico|.*\\.(?:png|svg|ico|webmanifest)$).*)'],
};
