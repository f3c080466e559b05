'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { cx } from '@/components/ui';
import { formatWords } from '@/components/ui/format';
import { ProjectTabs } from './ProjectTabs';
import { useProjectLive } from './ProjectLive';

/**
 * The project's title, the caller's role, its length and its sections. Role and length come from the live state
 * (ProjectLive), so they agree with an open editor. On a document below the lg breakpoint the header shrinks to one
 * line, so the manuscript gets most of a phone's screen.
 */
export function ProjectHeader({ project }: {
  project: { id: string; title: string; kindLabel: string; activity: string; ownerName: string | null; role: Parameters<typeof RoleBadge>[0]['role'] };
}) {
  const live = useProjectLive();
  const role = live?.role ?? project.role;
  const words = formatWords(live?.words ?? 0);
  const inDocument = usePathname().includes('/documents/');
  const canEdit = role === 'owner' || role === 'editor';
  return (
    <>
      {inDocument && (
        <div className="-mt-5 flex min-w-0 items-center gap-2 lg:hidden" data-testid="project-header-compact">
          <Link href={`/projects/${project.id}`} className="min-w-0 truncate font-serif text-lg text-ink hover:text-accent" title={project.title}>
            ← {project.title}
          </Link>
          <span className="shrink-0" data-testid="project-role-compact">
            <RoleBadge role={role} />
          </span>
          <span className="ml-auto shrink-0 text-xs text-stone-500" data-testid="project-words-compact">
            {words}
          </span>
        </div>
      )}
      <div className={cx('space-y-6', inDocument && 'hidden lg:block')} data-testid="project-header">
        <div>
          <Link href="/projects" className="text-sm text-stone-500 hover:text-ink">
            ← All projects
          </Link>
          <div className="mt-2 flex items-center gap-3">
            <h1 className="line-clamp-2 min-w-0 break-words font-serif text-3xl text-ink" data-testid="project-title" title={project.title}>
              {project.title}
            </h1>
            <span className="shrink-0" data-testid="project-role">
              <RoleBadge role={role} />
            </span>
          </div>
          <p className="mt-1 text-sm text-stone-600">
            {project.kindLabel} · <span data-testid="project-words">{words}</span> · active {project.activity}
            {project.ownerName && role !== 'owner' ? ` · owned by ${project.ownerName}` : ''}
          </p>
        </div>
        <div className="border-b border-stone-200">
          <ProjectTabs projectId={project.id} showSettings={canEdit} />
        </div>
      </div>
    </>
  );
}
