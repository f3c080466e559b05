import { internalKey } from './tokens';

export const FORWARDED_IP_HEADER = 'x-quire-client-ip';
export const INTERNAL_KEY_HEADER = 'x-quire-internal';

/**
 * The browser's address as far as this server can tell. The rightmost x-forwarded-for entry is the one the nearest
 * hop (Next itself, or the reverse proxy in front of it) wrote; entries further left are the client's own claims.
 * Requests this server makes to its own /auth/v1 carry the browser's address in a header only it can vouch for.
 */
export function clientIp(headers: Headers, jwtSecret: string): string {
  const forwarded = headers.get(FORWARDED_IP_HEADER);
  if (forwarded && headers.get(INTERNAL_KEY_HEADER) === internalKey(jwtSecret)) return forwarded;
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - 1] ?? headers.get('x-real-ip') ?? 'unknown';
}
