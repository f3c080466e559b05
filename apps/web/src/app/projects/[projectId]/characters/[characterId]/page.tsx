import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getCharacterProfile } from '@/server/bible/profile';
import { CharacterProfileStudio } from '@/components/bible/characters/CharacterProfileStudio';

export default async function CharacterPage({ params }: { params: Promise<{ projectId: string; characterId: string }> }) {
  const { projectId, characterId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/characters/${characterId}`);
  const profile = await getCharacterProfile(getPool(), viewer.claims, projectId, characterId);
  if (!profile) notFound();
  return <CharacterProfileStudio projectId={projectId} initial={profile} />;
}
