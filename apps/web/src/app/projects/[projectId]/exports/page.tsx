import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getExportsScreen } from '@/server/exports';
import { ExportsStudio } from '@/components/exports/ExportsStudio';

/** The Exports tab; `?documents=<id>,<id>` opens the Export dialog for those documents (the editor links here). */
export default async function ExportsPage({ params, searchParams }: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<{ documents?: string }>;
}) {
  const { projectId } = await params;
  const { documents } = await searchParams;
  const viewer = await requireViewer(`/projects/${projectId}/exports`);
  const screen = await getExportsScreen(getPool(), viewer.claims, projectId);
  if (!screen) notFound();
  const known = new Set(screen.documents.map((d) => d.id));
  const openFor = (documents ?? '').split(',').filter((id) => known.has(id));
  return <ExportsStudio initial={screen} openFor={openFor} />;
}
