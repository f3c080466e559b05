'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * Subscribes the screen to its project's change feed (GET /api/projects/:id/live, Server-Sent Events) and calls
 * `onChange` when a row of one of `tables` changed, or when the stream (re)connects and something may have been
 * missed. Bursts are coalesced into one call. Returns whether the stream is connected.
 */
export function useProjectLive(projectId: string, tables: readonly string[], onChange: () => void): boolean {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [connected, setConnected] = useState(false);
  const key = tables.join(',');
  useEffect(() => {
    const watched = new Set(key.split(','));
    const source = new EventSource(`/api/projects/${projectId}/live`);
    let timer: number | undefined;
    const schedule = () => {
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        latest.current();
      }, 25);
    };
    source.addEventListener('ready', () => {
      setConnected(true);
      schedule();
    });
    source.addEventListener('change', (event) => {
      try {
        const change = JSON.parse((event as MessageEvent<string>).data) as { table: string };
        if (watched.has(change.table)) schedule();
      } catch {
        // a malformed event is ignored; the next one or a reconnect brings the screen up to date
      }
    });
    source.addEventListener('revoked', () => source.close());
    source.onerror = () => setConnected(false);
    return () => {
      source.close();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [projectId, key]);
  return connected;
}
