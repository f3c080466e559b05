'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';
import { cx } from '@/components/ui';

export function ProjectTabs({ projectId, showSettings }: { projectId: string; showSettings: boolean }) {
  const pathname = usePathname();
  const activeTab = useRef<HTMLAnchorElement>(null);
  // on a phone the strip scrolls sideways; the page's own tab must be in view, not cut off at the edge
  useEffect(() => {
    // a statement, not the arrow's value: newer browsers return a promise from scrollIntoView, and React would call
    // whatever an effect returns as its cleanup
    activeTab.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [pathname]);
  const base = `/projects/${projectId}`;
  const tabs = [
    { href: base, label: 'Manuscript', active: pathname === base || pathname.startsWith(`${base}/documents`) },
    ...(['outline', 'beats', 'plot'] as const).map((tab) => ({
      href: `${base}/${tab}`,
      label: tab === 'outline' ? 'Outline' : tab === 'beats' ? 'Beats' : 'Plot',
      active: pathname.startsWith(`${base}/${tab}`),
    })),
    ...(['characters', 'world', 'timeline'] as const).map((tab) => ({
      href: `${base}/${tab}`,
      label: tab === 'characters' ? 'Characters' : tab === 'world' ? 'World' : 'Timeline',
      active: pathname.startsWith(`${base}/${tab}`),
    })),
    { href: `${base}/exports`, label: 'Exports', active: pathname.startsWith(`${base}/exports`) },
    { href: `${base}/members`, label: 'Members', active: pathname.startsWith(`${base}/members`) },
    ...(showSettings ? [{ href: `${base}/settings`, label: 'Settings', active: pathname.startsWith(`${base}/settings`) }] : []),
  ];
  return (
    <nav aria-label="Project sections" className="-mb-px flex gap-1 overflow-x-auto">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          ref={tab.active ? activeTab : undefined}
          href={tab.href}
          aria-current={tab.active ? 'page' : undefined}
          className={cx(
            'whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium',
            tab.active ? 'border-accent text-accent' : 'border-transparent text-stone-600 hover:border-stone-300 hover:text-ink',
          )}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
