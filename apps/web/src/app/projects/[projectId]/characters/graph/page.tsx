import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getRelationshipGraph } from '@/server/bible/relationships';
import { RelationshipStudio } from '@/components/bible/graph/RelationshipStudio';

export default async function RelationshipGraphPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/characters/graph`);
  const graph = await getRelationshipGraph(getPool(), viewer.claims, projectId);
  if (!graph) notFound();
  return <RelationshipStudio projectId={projectId} initial={graph} />;
}
