import { getConfig } from '../../lib/config';
import { getPool } from '../../lib/db';
import { verifySupabaseToken } from '../../lib/auth/verify';
import { createStorage, type EmbeddedStorage } from './api';

export { storagePath } from './api';

// One instance per process, like the embedded auth.
const holder = globalThis as typeof globalThis & { __quireStorage?: EmbeddedStorage };

export function embeddedStorage(): EmbeddedStorage {
  if (!holder.__quireStorage) {
    const config = getConfig();
    holder.__quireStorage = createStorage({
      pool: getPool(),
      jwtSecret: config.jwtSecret,
      root: config.storageDir,
      verifyUser: (token) => verifySupabaseToken(token),
    });
  }
  return holder.__quireStorage;
}
