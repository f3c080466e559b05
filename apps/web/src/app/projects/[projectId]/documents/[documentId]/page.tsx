import type { Metadata } from 'next';
import { Suspense } from 'react';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { requireViewer } from '@/lib/auth/require';
import { getViewer } from '@/lib/auth/server';
import { getConfig } from '@/lib/config';
import { getPool } from '@/lib/db';
import { getDisplayName } from '@/server/account';
import { getDocument } from '@/server/documents';
import { getProject } from '@/server/projects';
import { DocumentWorkspace } from '@/components/editor/DocumentWorkspace';
import { OpenAtAnchor } from '@/components/structure/OpenAtAnchor';

type Params = { params: Promise<{ projectId: string; documentId: string }> };

export const dynamic = 'force-dynamic';

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { documentId } = await params;
  const viewer = await getViewer();
  const doc = viewer ? await getDocument(getPool(), viewer.claims, documentId).catch(() => null) : null;
  return { title: doc?.title ?? 'Document' };
}

/** How the signed-in person is named on carets until the collab server confirms it (it stamps the same name). */
async function displayName(claims: Parameters<typeof getDocument>[1], fallback: string): Promise<string> {
  const name = await getDisplayName(getPool(), claims).catch(() => null);
  return name || fallback.split('@')[0] || 'You';
}

export default async function DocumentPage({ params }: Params) {
  const { projectId, documentId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/documents/${documentId}`);
  const pool = getPool();
  const [doc, project] = await Promise.all([getDocument(pool, viewer.claims, documentId), getProject(pool, viewer.claims, projectId)]);
  if (!doc || doc.projectId !== projectId || !project) notFound();
  const name = await displayName(viewer.claims, viewer.email);
  return (
    <div className="space-y-3">
      {/* on phones the project's one-line header links back instead */}
      <Link href={`/projects/${projectId}`} className="hidden text-sm text-stone-500 hover:text-ink lg:inline">
        ← Back to the outline
      </Link>
      {/* a plot card opened from the Plot tab (?issue=…) selects its passage */}
      <Suspense fallback={null}>
        <OpenAtAnchor projectId={projectId} />
      </Suspense>
      <DocumentWorkspace
        // a new document gets a fresh editor, Y.Doc and connection rather than reusing the last one's
        key={doc.id}
        document={{
          id: doc.id,
          title: doc.title,
          kind: doc.kind,
          projectId: doc.projectId,
          projectTitle: doc.projectTitle,
          projectKind: project.kind,
          wordCount: doc.wordCount,
        }}
        role={doc.role ?? 'viewer'}
        me={{ id: viewer.userId, name }}
        collabUrl={getConfig().collabUrl}
        accessToken={viewer.accessToken}
      />
    </div>
  );
}
