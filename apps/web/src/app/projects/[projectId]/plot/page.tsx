import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getPlotBoard } from '@/server/structure/plot';
import { PlotStudio } from '@/components/structure/PlotStudio';

export default async function PlotPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/plot`);
  const board = await getPlotBoard(getPool(), viewer.claims, projectId);
  if (!board) notFound();
  return <PlotStudio projectId={projectId} initial={board} />;
}
