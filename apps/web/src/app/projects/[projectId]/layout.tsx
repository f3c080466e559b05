import type { ReactNode } from 'react';
import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getProject, PROJECT_KIND_LABELS } from '@/server/projects';
import { formatRelative } from '@/components/ui/format';
import { ProjectHeader } from '@/components/projects/ProjectHeader';
import { ProjectLiveProvider } from '@/components/projects/ProjectLive';
import { AutoRefresh } from '@/components/AutoRefresh';

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}`);
  const project = await getProject(getPool(), viewer.claims, projectId);
  if (!project) notFound();
  return (
    <ProjectLiveProvider role={project.role} words={project.wordCount}>
      <div className="space-y-3 lg:space-y-6">
        <AutoRefresh />
        <ProjectHeader
          project={{
            id: project.id,
            title: project.title,
            kindLabel: PROJECT_KIND_LABELS[project.kind],
            activity: formatRelative(project.lastActivityAt),
            ownerName: project.ownerName,
            role: project.role,
          }}
        />
        {children}
      </div>
    </ProjectLiveProvider>
  );
}
