import type { ReactNode } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getProject, PROJECT_KIND_LABELS } from '@/server/projects';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { formatRelative, formatWords } from '@/components/ui/format';
import { ProjectTabs } from '@/components/projects/ProjectTabs';
import { AutoRefresh } from '@/components/AutoRefresh';

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}`);
  const project = await getProject(getPool(), viewer.claims, projectId);
  if (!project) notFound();
  const canEdit = project.role === 'owner' || project.role === 'editor';
  return (
    <div className="space-y-6">
      <AutoRefresh />
      <div>
        <Link href="/projects" className="text-sm text-stone-500 hover:text-ink">
          ← All projects
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="min-w-0 break-words font-serif text-3xl text-ink" data-testid="project-title">
            {project.title}
          </h1>
          <span data-testid="project-role">
            <RoleBadge role={project.role} />
          </span>
        </div>
        <p className="mt-1 text-sm text-stone-600">
          {PROJECT_KIND_LABELS[project.kind]} · {formatWords(project.wordCount)} · active {formatRelative(project.lastActivityAt)}
          {project.ownerName && project.role !== 'owner' ? ` · owned by ${project.ownerName}` : ''}
        </p>
      </div>
      <div className="border-b border-stone-200">
        <ProjectTabs projectId={project.id} showSettings={canEdit} />
      </div>
      {children}
    </div>
  );
}
