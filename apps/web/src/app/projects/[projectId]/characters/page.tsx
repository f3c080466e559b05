import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getCast } from '@/server/bible/characters';
import { CastStudio } from '@/components/bible/characters/CastStudio';

export default async function CharactersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/characters`);
  const cast = await getCast(getPool(), viewer.claims, projectId);
  if (!cast) notFound();
  return <CastStudio projectId={projectId} initial={cast} />;
}
