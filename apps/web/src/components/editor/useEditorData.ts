'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { editorApi, type CommentDto, type VersionSummary } from './api';

/**
 * A list fetched from the editor's API that can be asked to refetch at any time (a stateless "changed" message, a
 * reconnect). Overlapping refetches collapse into one, and a slow old answer never overwrites a newer one.
 */
function useRefetchable<T>(load: () => Promise<T[]>, enabled: boolean) {
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(enabled);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const refetch = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const next = await loadRef.current();
      if (mine === generation.current) {
        setItems(next);
        setError(null);
      }
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);
  useEffect(() => {
    if (enabled) void refetch();
  }, [enabled, refetch]);
  return { items, setItems, loading, error, refetch };
}

export function useComments(documentId: string) {
  const list = useRefetchable<CommentDto>(() => editorApi.listComments(documentId), true);
  return { comments: list.items, setComments: list.setItems, loading: list.loading, error: list.error, refetch: list.refetch };
}

/** History loads the first time the panel opens, not with the page. */
export function useVersions(documentId: string, enabled: boolean) {
  const list = useRefetchable<VersionSummary>(() => editorApi.listVersions(documentId), enabled);
  return { versions: list.items, loading: list.loading, error: list.error, refetch: list.refetch };
}
