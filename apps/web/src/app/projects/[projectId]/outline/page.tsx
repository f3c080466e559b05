import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getProject } from '@/server/projects';
import { getOutlineBoard, listOutlines } from '@/server/structure/outlines';
import { OutlineStudio } from '@/components/structure/OutlineStudio';

export default async function OutlinePage({ params, searchParams }: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { projectId } = await params;
  const { outline: wanted } = await searchParams;
  const viewer = await requireViewer(`/projects/${projectId}/outline`);
  const pool = getPool();
  const project = await getProject(pool, viewer.claims, projectId);
  if (!project || !project.role) notFound();
  const outlines = await listOutlines(pool, viewer.claims, project.id);
  const chosen = outlines.find((o) => o.id === wanted) ?? outlines[0];
  const board = chosen ? await getOutlineBoard(pool, viewer.claims, project.id, chosen.id) : null;
  const canEdit = project.role === 'owner' || project.role === 'editor';
  return <OutlineStudio key={chosen?.id ?? 'none'} projectId={project.id} initial={board} canEdit={canEdit} />;
}
