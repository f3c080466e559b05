import { getConfig } from '../../config';
import { getPool } from '../../db';
import { createGoTrue, type GoTrue } from './gotrue';

// One instance per process; its sign-in limits count in Postgres, shared with every other web process.
const holder = globalThis as typeof globalThis & { __quireGoTrue?: GoTrue };

export function embeddedAuth(): GoTrue {
  if (!holder.__quireGoTrue) {
    const config = getConfig();
    holder.__quireGoTrue = createGoTrue({
      pool: getPool(),
      jwtSecret: config.jwtSecret,
      issuer: `${config.appUrl}/auth/v1`,
      accessTokenTtl: config.accessTokenTtl,
    });
  }
  return holder.__quireGoTrue;
}
