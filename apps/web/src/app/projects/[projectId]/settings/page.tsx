import type { Metadata } from 'next';
import { forbidden, notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getProject } from '@/server/projects';
import { ProjectSettings } from '@/components/projects/ProjectSettings';

export const metadata: Metadata = { title: 'Project settings' };

export default async function SettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/settings`);
  const project = await getProject(getPool(), viewer.claims, projectId);
  if (!project) notFound();
  if (project.role !== 'owner' && project.role !== 'editor') forbidden();
  return <ProjectSettings projectId={project.id} title={project.title} isOwner={project.role === 'owner'} />;
}
