import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Claims } from '@quire/db/session';
import { Refusal } from './protocol';

export interface VerifiedToken {
  claims: Claims;
  userId: string;
  /** Seconds since the epoch; the session is asked for a new token when it passes. */
  exp: number;
}

// Lower case only, hyphens where Postgres prints them: the one spelling of an id that Postgres gives back.
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True for a uuid in its canonical spelling. Postgres also accepts upper case, braces, no hyphens and hyphens after
 * any four digits; every one of those names the same row, and a second spelling would mean a second in-memory copy
 * of one document (and a session that the row's NOTIFYs, which carry the canonical id, never reach).
 */
export function isCanonicalUuid(value: string): boolean {
  return CANONICAL_UUID.test(value);
}

/**
 * Verifies Supabase access tokens: HS256 with the project's JWT secret, or — when SUPABASE_URL is set — the
 * asymmetric keys Supabase publishes at /auth/v1/.well-known/jwks.json.
 */
export function createTokenVerifier(options: { jwtSecret: string; supabaseUrl?: string }) {
  const secret = new TextEncoder().encode(options.jwtSecret);
  const jwks = options.supabaseUrl
    ? createRemoteJWKSet(new URL('/auth/v1/.well-known/jwks.json', options.supabaseUrl), { cooldownDuration: 30_000 })
    : null;

  return async function verify(token: string | null | undefined): Promise<VerifiedToken> {
    if (!token) throw new Refusal('missing-token', 'Sign in to open this document.');
    if (token.length > 16_384) throw new Refusal('invalid-token', 'The access token is not valid.');
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === 'HS256') {
        ({ payload } = await jwtVerify(token, secret, { algorithms: ['HS256'], audience: 'authenticated' }));
      } else if (jwks) {
        ({ payload } = await jwtVerify(token, jwks, { algorithms: ['RS256', 'ES256', 'EdDSA'], audience: 'authenticated' }));
      } else {
        throw new Refusal('invalid-token', 'The access token is not valid.');
      }
    } catch (error) {
      if (error instanceof Refusal) throw error;
      if (error instanceof errors.JWTExpired) throw new Refusal('token-expired', 'Your session has expired. Sign in again.');
      throw new Refusal('invalid-token', 'The access token is not valid.');
    }
    if (payload.role !== 'authenticated' || typeof payload.sub !== 'string' || !isCanonicalUuid(payload.sub)) {
      throw new Refusal('invalid-token', 'The access token is not for a signed-in user.');
    }
    if (typeof payload.exp !== 'number') throw new Refusal('invalid-token', 'The access token has no expiry.');
    return { claims: payload as Claims, userId: payload.sub, exp: payload.exp };
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;
