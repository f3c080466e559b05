'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Re-renders the page's server data now and then and whenever the tab regains focus, so a role changed by the owner
 * (or a chapter added by a co-writer) shows up without a manual reload.
 */
export function AutoRefresh({ intervalMs = 10_000 }: { intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const refresh = () => {
      // Offline, a refresh fails and Next falls back to a full page load, which would take an open editor away.
      if (document.visibilityState === 'visible' && navigator.onLine) router.refresh();
    };
    const timer = window.setInterval(refresh, intervalMs);
    window.addEventListener('focus', refresh);
    document.addEventListener('visibilitychange', refresh);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('focus', refresh);
      document.removeEventListener('visibilitychange', refresh);
    };
  }, [router, intervalMs]);
  return null;
}
