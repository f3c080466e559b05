import { Redis as RedisExtension } from '@hocuspocus/extension-redis';
import IORedis from 'ioredis';

export interface ScaleOut {
  /** Hocuspocus's own Redis extension: documents and awareness shared with the other instances. */
  extension: RedisExtension;
  ping(): Promise<unknown>;
  disconnect(): void;
}

/** Instances meet through Redis when REDIS_URL is set; /health pings it on a connection of its own. */
export function redisScaleOut(redisUrl: string, prefix: string): ScaleOut {
  const url = new URL(redisUrl);
  // The extension builds its own pub/sub clients (with its own ioredis), so it gets connection details, not a client.
  const extension = new RedisExtension({
    host: url.hostname,
    port: Number(url.port || 6379),
    options: {
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined,
      tls: url.protocol === 'rediss:' ? {} : undefined,
      maxRetriesPerRequest: 3,
    },
    prefix,
  });
  const health = new IORedis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: false, enableOfflineQueue: false });
  health.on('error', () => {});
  return { extension, ping: () => health.ping(), disconnect: () => health.disconnect() };
}
