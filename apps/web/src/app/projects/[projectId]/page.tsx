import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getProject } from '@/server/projects';
import { listDocuments } from '@/server/documents';
import { Alert } from '@/components/ui';
import { DocumentTree } from '@/components/projects/DocumentTree';

export default async function ProjectPage({ params, searchParams }: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const query = await searchParams;
  const viewer = await requireViewer(`/projects/${projectId}`);
  const pool = getPool();
  const [project, documents] = await Promise.all([getProject(pool, viewer.claims, projectId), listDocuments(pool, viewer.claims, projectId)]);
  if (!project) notFound();
  const canEdit = project.role === 'owner' || project.role === 'editor';
  return (
    <div className="space-y-4">
      {query.joined ? <Alert tone="success">Welcome! You joined “{project.title}”.</Alert> : null}
      <DocumentTree projectId={project.id} projectKind={project.kind} documents={documents} canEdit={canEdit} />
    </div>
  );
}
