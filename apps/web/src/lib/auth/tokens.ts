import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

/** The claims Supabase Auth puts in an access token; the collab server and Postgres policies read the same ones. */
export interface AccessClaims extends JWTPayload {
  sub: string;
  role: 'authenticated';
  aud: 'authenticated';
  email: string;
  session_id: string;
  exp: number;
  iat: number;
  is_anonymous?: boolean;
  app_metadata?: Record<string, unknown>;
  user_metadata?: Record<string, unknown>;
}

const encoder = new TextEncoder();
const key = (secret: string) => encoder.encode(secret);

export async function signAccessToken(
  secret: string,
  claims: Omit<AccessClaims, 'exp' | 'iat' | 'role' | 'aud'> & { iss: string },
  ttlSeconds: number,
  now = Math.floor(Date.now() / 1000),
): Promise<{ token: string; exp: number; iat: number }> {
  const exp = now + ttlSeconds;
  const token = await new SignJWT({ ...claims, role: 'authenticated', aud: 'authenticated', aal: 'aal1' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(exp)
    .sign(key(secret));
  return { token, exp, iat: now };
}

/** Verifies an HS256 access token as Supabase issues them; null when it is missing, forged or expired. */
export async function verifyAccessToken(secret: string, token: string | undefined | null): Promise<AccessClaims | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], audience: 'authenticated' });
    if (typeof payload.sub !== 'string' || payload.role !== 'authenticated') return null;
    return payload as AccessClaims;
  } catch {
    return null;
  }
}

// Fixed times so the key is the same string on every start: clients cache it, and Supabase's keys never change either.
const API_KEY_IAT = 1_767_225_600; // 2026-01-01
const API_KEY_EXP = 2_082_758_400; // 2036-01-01

/** The embedded mode's anon key: an HS256 JWT with role anon, exactly the shape of a Supabase project's anon key. */
export function anonKey(secret: string): Promise<string> {
  return new SignJWT({ iss: 'supabase', role: 'anon' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(API_KEY_IAT)
    .setExpirationTime(API_KEY_EXP)
    .sign(key(secret));
}

/**
 * The embedded mode's service-role key: role service_role, the shape of a Supabase project's service key. Jobs use it
 * for storage; it bypasses Row Level Security, so it never leaves the server.
 */
export function serviceRoleKey(secret: string): Promise<string> {
  return new SignJWT({ iss: 'supabase', role: 'service_role' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(API_KEY_IAT)
    .setExpirationTime(API_KEY_EXP)
    .sign(key(secret));
}

/** True when the key is an anon or service_role API key signed with our secret (what Kong checks for Supabase). */
export async function isApiKey(secret: string, value: string | null): Promise<boolean> {
  if (!value) return false;
  try {
    const { payload } = await jwtVerify(value, key(secret), { algorithms: ['HS256'] });
    return payload.role === 'anon' || payload.role === 'service_role';
  } catch {
    return false;
  }
}

/**
 * Proves a request to /auth/v1 came from this web server on behalf of a browser, so the embedded auth may trust the
 * client address it forwards (otherwise every server-side sign-in would look like it came from 127.0.0.1).
 */
export function internalKey(secret: string): string {
  return createHmac('sha256', secret).update('quire:internal-auth-forwarding').digest('base64url');
}

export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The token that replaces `parent` when it is exchanged. Derived rather than random so that a second exchange of the
 * same token during the grace window (two tabs at once) can be answered with the same successor, as GoTrue answers
 * with the active child, without the server ever storing a token it could leak.
 */
export function childRefreshToken(secret: string, parent: string): string {
  return createHmac('sha256', secret).update(`quire:refresh-child:${parent}`).digest('base64url');
}

/** Refresh tokens are stored hashed, so a copy of the database cannot be replayed as sessions. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
