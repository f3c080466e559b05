import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { internalKey } from './tokens';

export const FORWARDED_IP_HEADER = 'x-quire-client-ip';
export const INTERNAL_KEY_HEADER = 'x-quire-internal';

/** `::ffff:203.0.113.7` (an IPv4 peer on a dual-stack socket) is 203.0.113.7. */
function normalize(address: string): string {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

/** One TRUSTED_PROXIES entry: an address or a CIDR block, IPv4 or IPv6. Null when it is neither. */
export function parseProxyEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  return { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
}

export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseProxyEntry(entry);
    if (!parsed) throw new Error(`not an address or CIDR block: ${entry}`);
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return list;
}

function trusted(list: BlockList, address: string): boolean {
  const version = isIP(address);
  return version !== 0 && list.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The client's address from the socket's peer and the x-forwarded-for chain. Starting at the socket, each hop that is
 * a trusted proxy vouches for the entry it appended (the rightmost one left); the first address that is not a trusted
 * proxy is the client. With no trusted proxies that is the socket's peer, whatever the header claims.
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | null | undefined, trustedProxies: BlockList): string {
  let address = normalize(socketAddress ?? '') || 'unknown';
  const hops = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean).reverse();
  for (const hop of hops) {
    if (!trusted(trustedProxies, address)) break;
    const next = normalize(hop);
    if (!isIP(next)) break;
    address = next;
  }
  return address;
}

/**
 * Run by the web server (apps/web/server.ts) on every request before Next sees it: records the client's address,
 * resolved from the socket, in a header only this server can vouch for (an HMAC of the secret). A stamp that already
 * carries a valid key came from this app's own server-side calls to /auth/v1 and is kept; any other is dropped.
 */
export function stampClientAddress(request: IncomingMessage, jwtSecret: string, trustedProxies: BlockList): void {
  const key = internalKey(jwtSecret);
  if (request.headers[INTERNAL_KEY_HEADER] === key && typeof request.headers[FORWARDED_IP_HEADER] === 'string') return;
  request.headers[FORWARDED_IP_HEADER] = resolveClientAddress(request.socket.remoteAddress, headerText(request.headers['x-forwarded-for']), trustedProxies);
  request.headers[INTERNAL_KEY_HEADER] = key;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The browser's address as far as this server can tell: the stamp of the web server (or of this app's own call to
 * its /auth/v1, which forwards the browser's). Without a stamp the app was started without server.ts (`next dev`, a
 * bare `next start`): Next then wrote the socket's peer into x-forwarded-for only when the request carried none, so
 * the rightmost entry is the best guess left, and a client can choose it; production runs server.ts.
 */
export function clientIp(headers: Headers, jwtSecret: string): string {
  const stamped = headers.get(FORWARDED_IP_HEADER);
  if (stamped && headers.get(INTERNAL_KEY_HEADER) === internalKey(jwtSecret)) return stamped;
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return chain[chain.length - 1] ?? headers.get('x-real-ip') ?? 'unknown';
}
