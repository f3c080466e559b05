import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FORWARDED_IP_HEADER, INTERNAL_KEY_HEADER, clientIp, resolveClientAddress, stampClientAddress, trustedProxyList } from '../src/lib/auth/client-ip';
import { internalKey } from '../src/lib/auth/tokens';
import { parseConfig } from '../src/lib/config';
import { JWT_SECRET } from './helpers';

const none = trustedProxyList([]);

describe('resolveClientAddress', () => {
  it('trusts no forwarded address by default: the socket peer is the client', () => {
    expect(resolveClientAddress('203.0.113.9', '198.51.100.1, 10.0.0.1', none)).toBe('203.0.113.9');
    expect(resolveClientAddress('::ffff:203.0.113.9', null, none)).toBe('203.0.113.9');
    expect(resolveClientAddress(undefined, '198.51.100.1', none)).toBe('unknown');
  });

  it('walks back through trusted proxies only, and stops at the first address that is not one', () => {
    const proxies = trustedProxyList(['10.0.0.0/8', '2001:db8::/32']);
    // the proxy appended the real client; the leftmost entry is the client's own claim
    expect(resolveClientAddress('10.1.2.3', '6.6.6.6, 198.51.100.7', proxies)).toBe('198.51.100.7');
    // two trusted hops
    expect(resolveClientAddress('10.1.2.3', '198.51.100.7, 10.9.9.9', proxies)).toBe('198.51.100.7');
    expect(resolveClientAddress('2001:db8::1', '198.51.100.8', proxies)).toBe('198.51.100.8');
    // a direct client may send the header, but it is not a proxy, so it is not believed
    expect(resolveClientAddress('198.51.100.7', '10.0.0.5', proxies)).toBe('198.51.100.7');
    // garbage from a trusted proxy leaves the proxy as the answer
    expect(resolveClientAddress('10.1.2.3', 'not-an-ip', proxies)).toBe('10.1.2.3');
  });
});

describe('TRUSTED_PROXIES', () => {
  const base = { DATABASE_URL: 'postgres://x', SUPABASE_JWT_SECRET: JWT_SECRET };
  it('defaults to none and accepts addresses and CIDR blocks of both families', () => {
    expect(parseConfig(base).trustedProxies).toEqual([]);
    expect(parseConfig({ ...base, TRUSTED_PROXIES: ' 10.0.0.0/8, 127.0.0.1 ,::1, fd00::/8' }).trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
  });
  it('refuses to start with an entry that is not an address or block, naming the variable', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1/8/2', '::1/129']) {
      expect(() => parseConfig({ ...base, TRUSTED_PROXIES: bad })).toThrow(/TRUSTED_PROXIES/);
    }
  });
});

describe('stampClientAddress on a real server', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A server that stamps as server.ts does and answers what the app would take as the client's address. */
  async function start(trusted: string[]): Promise<string> {
    const proxies = trustedProxyList(trusted);
    server = createServer((request, response) => {
      stampClientAddress(request, JWT_SECRET, proxies);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(name, value);
      response.end(clientIp(headers, JWT_SECRET));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server!.address() as AddressInfo).port}/`;
  }

  it('ignores a client’s x-forwarded-for and forged stamps when no proxy is trusted', async () => {
    const url = await start([]);
    expect(await (await fetch(url, { headers: { 'x-forwarded-for': '198.51.100.99' } })).text()).toBe('127.0.0.1');
    const forged = await fetch(url, { headers: { [FORWARDED_IP_HEADER]: '198.51.100.99', [INTERNAL_KEY_HEADER]: 'guess' } });
    expect(await forged.text()).toBe('127.0.0.1');
  });

  it('believes the entry a trusted proxy appended', async () => {
    const url = await start(['127.0.0.1']);
    expect(await (await fetch(url, { headers: { 'x-forwarded-for': '6.6.6.6, 198.51.100.42' } })).text()).toBe('198.51.100.42');
  });

  it('keeps the stamp of the app’s own server-side call to /auth/v1, which carries the browser’s address', async () => {
    const url = await start([]);
    const own = await fetch(url, { headers: { [FORWARDED_IP_HEADER]: '198.51.100.5', [INTERNAL_KEY_HEADER]: internalKey(JWT_SECRET) } });
    expect(await own.text()).toBe('198.51.100.5');
  });
});
