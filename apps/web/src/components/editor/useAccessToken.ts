'use client';

import { useCallback, useEffect, useRef } from 'react';

/** The newest access token: GET /api/session answers after the proxy has refreshed the session cookie. */
async function fetchAccessToken(): Promise<string | null> {
  try {
    const response = await fetch('/api/session', { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok) return null;
    return ((await response.json()) as { accessToken?: string }).accessToken ?? null;
  } catch {
    return null;
  }
}

/** Seconds until a JWT expires, or 0 when it cannot be read. */
export function secondsLeft(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return payload.exp ? payload.exp - Date.now() / 1000 : 0;
  } catch {
    return 0;
  }
}

/**
 * The access token the collab connection authenticates with: asked on each (re)connect (`getToken`), refreshed on
 * demand (`refreshToken`, e.g. when the server says it expired) and, once `provider` is open, a minute before it
 * runs out, when the fresh one is re-sent to the open connection.
 */
export function useAccessToken(initial: string) {
  const tokenRef = useRef(initial);
  useEffect(() => {
    if (initial && secondsLeft(initial) > secondsLeft(tokenRef.current)) tokenRef.current = initial;
  }, [initial]);
  const refreshToken = useCallback(async () => {
    const fresh = await fetchAccessToken();
    if (fresh) tokenRef.current = fresh;
    return tokenRef.current;
  }, []);
  const getToken = useCallback(async () => (secondsLeft(tokenRef.current) < 60 ? refreshToken() : tokenRef.current), [refreshToken]);
  return { tokenRef, refreshToken, getToken };
}

/** Refreshes the token a minute before it expires and hands it to the open connection, for as long as it is open. */
export function useProactiveRefresh(
  provider: { isAuthenticated: boolean; sendToken: () => Promise<void> } | undefined,
  tokenRef: { current: string },
  refreshToken: () => Promise<string>,
) {
  useEffect(() => {
    if (!provider) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const wait = Math.max(5, secondsLeft(tokenRef.current) - 60) * 1000;
      timer = setTimeout(async () => {
        await refreshToken();
        if (provider.isAuthenticated) void provider.sendToken();
        schedule();
      }, Math.min(wait, 2 ** 31 - 1));
    };
    schedule();
    return () => clearTimeout(timer);
  }, [provider, tokenRef, refreshToken]);
}
