import { getPool } from '@/lib/db';
import { getConfig } from '@/lib/config';
import { attempt, type ActionResult } from '@/lib/errors';
import { getViewer, type Viewer } from '@/lib/auth/server';

/** Every mutation: a signed-in person, the shared pool, and refusals turned into messages. */
export async function act<T>(fn: (ctx: { viewer: Viewer; pool: ReturnType<typeof getPool>; appUrl: string }) => Promise<T>): Promise<ActionResult<T>> {
  const viewer = await getViewer();
  if (!viewer) return { ok: false, error: 'Your session has ended. Sign in again to continue.', kind: 'forbidden' };
  return attempt(() => fn({ viewer, pool: getPool(), appUrl: getConfig().appUrl }));
}
