import { getViewer } from '@/lib/auth/server';

export const dynamic = 'force-dynamic';

/**
 * The current access token for browser code that talks to other services with it (the collab websocket). The proxy
 * has refreshed it before this runs, so it is always the newest one.
 */
export async function GET() {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: 'Sign in to continue.' }, { status: 401 });
  return Response.json(
    { accessToken: viewer.accessToken, expiresAt: viewer.claims.exp ?? null, userId: viewer.userId, email: viewer.email },
    { headers: { 'cache-control': 'no-store' } },
  );
}
