import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getTimeline } from '@/server/bible/timeline';
import { TimelineStudio } from '@/components/bible/timeline/TimelineStudio';

export default async function TimelinePage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/timeline`);
  const timeline = await getTimeline(getPool(), viewer.claims, projectId);
  if (!timeline) notFound();
  return <TimelineStudio projectId={projectId} initial={timeline} />;
}
