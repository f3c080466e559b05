import type { Claims } from '@quire/db/session';
import { getViewer } from '@/lib/auth/server';
import { verifySupabaseToken } from '@/lib/auth/verify';
import { toUserError, UserError, type RefusalKind } from '@/lib/errors';

/** Shared plumbing of the JSON route handlers under app/api: who is asking, and how refusals read. */

const STATUS: Record<RefusalKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  quota: 402,
  conflict: 409,
  expired: 410,
  unavailable: 503,
};

export function json(data: unknown, status = 200): Response {
  return Response.json(data, { status, headers: { 'cache-control': 'no-store' } });
}

export function refuse(error: unknown, wording?: { forbidden?: string; conflict?: string }): Response {
  const refusal = toUserError(error, wording);
  if (refusal.kind === 'unavailable') console.error(refusal.cause ?? error);
  return json({ error: refusal.message, kind: refusal.kind, fields: refusal.fields }, STATUS[refusal.kind]);
}

/**
 * The caller's verified claims: the session cookie for the browser, or a bearer access token for scripts.
 * Writes from a browser must come from our own origin, so a form on another site cannot post with the cookie.
 */
export async function caller(request: Request): Promise<Claims> {
  return (await callerSession(request)).claims;
}

/** The caller's claims and the access token they came with (for storage calls made as the caller). */
export async function callerSession(request: Request): Promise<{ claims: Claims; accessToken: string }> {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) {
    const accessToken = header.slice(7).trim();
    const claims = await verifySupabaseToken(accessToken);
    if (!claims) throw new UserError('Your session has expired. Sign in again.', 'expired');
    return { claims, accessToken };
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const origin = request.headers.get('origin');
    const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
    if (origin && host && new URL(origin).host !== host) throw new UserError('That request came from another site.', 'forbidden');
  }
  const viewer = await getViewer();
  if (!viewer) throw new UserError('Sign in to continue.', 'expired');
  return { claims: viewer.claims, accessToken: viewer.accessToken };
}

/** The caller's access token (bearer or session cookie), for calls made as them elsewhere, such as storage. */
export async function callerToken(request: Request): Promise<string> {
  const header = request.headers.get('authorization');
  if (header?.toLowerCase().startsWith('bearer ')) return header.slice(7).trim();
  const viewer = await getViewer();
  if (!viewer) throw new UserError('Sign in to continue.', 'expired');
  return viewer.accessToken;
}

export async function readJson(request: Request): Promise<unknown> {
  if (!request.headers.get('content-type')?.includes('application/json')) {
    throw new UserError('Send the request as JSON.', 'invalid');
  }
  try {
    return await request.json();
  } catch {
    throw new UserError('The request body is not valid JSON.', 'invalid');
  }
}
