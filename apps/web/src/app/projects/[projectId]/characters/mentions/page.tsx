import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getMentionsOverview } from '@/server/bible/mentions';
import { MentionsStudio } from '@/components/bible/mentions/MentionsStudio';

export default async function MentionsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/characters/mentions`);
  const overview = await getMentionsOverview(getPool(), viewer.claims, projectId);
  if (!overview) notFound();
  return <MentionsStudio projectId={projectId} initial={overview} />;
}
