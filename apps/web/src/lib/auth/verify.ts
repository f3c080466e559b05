import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Claims } from '@quire/db/session';
import { getConfig } from '../config';
import { verifyAccessToken } from './tokens';

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/**
 * The claims of a Supabase access token once its signature and expiry check out. HS256 tokens are checked with
 * SUPABASE_JWT_SECRET; a Supabase project on asymmetric signing keys is checked against its JWKS.
 */
export async function verifySupabaseToken(token: string | undefined | null): Promise<Claims | null> {
  if (!token) return null;
  const config = getConfig();
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    return null;
  }
  if (alg === 'HS256') return verifyAccessToken(config.jwtSecret, token);
  if (config.auth.mode !== 'supabase') return null;
  jwks ??= createRemoteJWKSet(new URL(`${config.auth.url}/auth/v1/.well-known/jwks.json`));
  try {
    const { payload } = await jwtVerify(token, jwks, { audience: 'authenticated' });
    if (typeof payload.sub !== 'string' || payload.role !== 'authenticated') return null;
    return payload as Claims;
  } catch {
    return null;
  }
}
