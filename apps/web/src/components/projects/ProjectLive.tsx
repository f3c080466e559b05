'use client';

import type { ProjectRole } from '@quire/domain/roles';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * What the project's header shows that an open editor knows sooner than the server-rendered page: the caller's role
 * (the collab server announces a downgrade at once, the page's data refreshes every 10 s) and the word count (the
 * editor counts every keystroke, the stored count follows when the collab server stores the document).
 */
interface ProjectLive {
  role: ProjectRole | null;
  words: number;
  reportRole: (role: ProjectRole) => void;
  /** This document's live count against the count the page was rendered with; null when the editor closes. */
  reportDocumentWords: (documentId: string, counts: { live: number; stored: number } | null) => void;
}

const Context = createContext<ProjectLive | null>(null);

export function ProjectLiveProvider({ role, words, children }: { role: ProjectRole | null; words: number; children: ReactNode }) {
  const [liveRole, setLiveRole] = useState<ProjectRole | null>(null);
  const [deltas, setDeltas] = useState<Record<string, number>>({});
  // a fresh render of the server's data is newer than anything an editor reported before it
  useEffect(() => setLiveRole(null), [role]);
  const reportRole = useCallback((next: ProjectRole) => setLiveRole(next), []);
  const reportDocumentWords = useCallback((documentId: string, counts: { live: number; stored: number } | null) => {
    setDeltas((current) => {
      const delta = counts ? counts.live - counts.stored : 0;
      if ((current[documentId] ?? 0) === delta) return current;
      return { ...current, [documentId]: delta };
    });
  }, []);
  const value = useMemo<ProjectLive>(
    () => ({
      // a person with documents shared with them has no project role for an editor's role to replace
      role: role === null ? null : (liveRole ?? role),
      words: Math.max(0, words + Object.values(deltas).reduce((sum, d) => sum + d, 0)),
      reportRole,
      reportDocumentWords,
    }),
    [role, liveRole, words, deltas, reportRole, reportDocumentWords],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The project's live state, or null outside a project's pages. */
export function useProjectLive(): ProjectLive | null {
  return useContext(Context);
}
