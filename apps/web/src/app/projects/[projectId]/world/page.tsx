import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getWorld } from '@/server/bible/locations';
import { userStorage } from '@/server/storage/client';
import { WorldStudio } from '@/components/bible/world/WorldStudio';

export default async function WorldPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/world`);
  const world = await getWorld(getPool(), viewer.claims, projectId, await userStorage(viewer.accessToken));
  if (!world) notFound();
  return <WorldStudio projectId={projectId} initial={world} />;
}
