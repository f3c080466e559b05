import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getBeatBoard } from '@/server/structure/beats';
import { BeatStudio } from '@/components/structure/BeatStudio';

export default async function BeatsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/beats`);
  const board = await getBeatBoard(getPool(), viewer.claims, projectId);
  if (!board) notFound();
  return <BeatStudio projectId={projectId} initial={board} />;
}
