import { getConfig } from '@/lib/config';
import { LiveHub } from './hub';

export { LiveHub, LIVE_CHANNEL, type LiveChange, type LiveEvent } from './hub';

// One hub per server process; on globalThis so dev reloads reuse the connection.
const holder = globalThis as typeof globalThis & { __quireLiveHub?: LiveHub };

export function getLiveHub(): LiveHub {
  holder.__quireLiveHub ??= new LiveHub(getConfig().databaseUrl);
  return holder.__quireLiveHub;
}
