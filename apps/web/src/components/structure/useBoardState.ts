'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiResult } from './api';

/**
 * A board's state, refetched whenever the change feed says so, where the newest word wins: a read that started before
 * a later read (or before a write's own answer was shown) is dropped when it lands, so a slow refetch never puts an
 * older order or an older row version back on the screen. Writers then never act on a stale version because the
 * network answered out of order.
 */
export function useBoardState<T>(initial: T, load: () => Promise<ApiResult<T>>) {
  const [board, setBoard] = useState(initial);
  const started = useRef(0);
  const shown = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  }, [load]);

  const refetch = useCallback(async () => {
    const mine = ++started.current;
    const result = await loadRef.current();
    if (!result.ok || mine < shown.current) return;
    shown.current = mine;
    setBoard(result.data);
  }, []);

  /** Shows a change the server already confirmed (a write's answer) at once, ahead of any read still on its way. */
  const apply = useCallback((change: (board: T) => T) => {
    shown.current = ++started.current;
    setBoard(change);
  }, []);

  return { board, refetch, apply };
}
