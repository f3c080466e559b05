import { withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { LiveHub } from './hub';

/** Seconds between keep-alive comments; proxies close idle streams, and each one re-checks membership. */
const HEARTBEAT_MS = 20_000;

/** Whether the caller is a member of the project (any role): only members may hear about its boards. */
export async function isMember(pool: Pool, claims: Claims, projectId: string): Promise<boolean> {
  return withUser(pool, claims, async (tx) => {
    const { rowCount } = await tx.query(
      'select 1 from public.project_members where project_id = $1 and user_id = (select auth.uid())',
      [projectId],
    );
    return Boolean(rowCount);
  });
}

/**
 * A Server-Sent Events stream of one project's changes. Events carry ids and versions only; the screen refetches
 * through its own RLS-guarded reads. `ready` is sent on every (re)connect so a screen refetches what it may have
 * missed while it was away. A member removed meanwhile is cut off at the next heartbeat.
 */
export function liveStream(options: { hub: LiveHub; pool: Pool; claims: Claims; projectId: string; signal: AbortSignal }): Response {
  const { hub, pool, claims, projectId, signal } = options;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      let unsubscribe = () => {};
      const heartbeat = setInterval(() => {
        write(': keep-alive\n\n');
        isMember(pool, claims, projectId)
          .then((member) => {
            if (!member) {
              send('revoked', { projectId });
              close();
            }
          })
          .catch(() => {});
      }, HEARTBEAT_MS);
      const close = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      cleanup = close;
      signal.addEventListener('abort', close, { once: true });
      write('retry: 2000\n\n');
      unsubscribe = await hub.subscribe(projectId, (event) => {
        if (event.kind === 'resync') send('ready', { projectId, resync: true });
        else send('change', event.change);
      });
      if (!open) unsubscribe();
      send('ready', { projectId });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
