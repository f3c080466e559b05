import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TIER_LABELS, TIER_LIMITS } from '@quire/domain/tiers';
import { requireViewer } from '@/lib/auth/require';
import { getPool } from '@/lib/db';
import { getProject } from '@/server/projects';
import { listDocuments } from '@/server/documents';
import { listInvitations, listMembers, listShares } from '@/server/members';
import { MembersPanel } from '@/components/members/MembersPanel';
import { SharesPanel } from '@/components/members/SharesPanel';
import { Alert } from '@/components/ui';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const viewer = await requireViewer(`/projects/${projectId}/members`);
  const pool = getPool();
  const project = await getProject(pool, viewer.claims, projectId);
  if (!project) notFound();
  const isOwner = project.role === 'owner';
  const [members, invitations, shares, documents] = await Promise.all([
    listMembers(pool, viewer.claims, projectId),
    isOwner ? listInvitations(pool, viewer.claims, projectId) : Promise.resolve([]),
    listShares(pool, viewer.claims, projectId),
    isOwner ? listDocuments(pool, viewer.claims, projectId) : Promise.resolve([]),
  ]);
  const collaborators = members.filter((m) => m.role !== 'owner').length;
  const pendingSeats = invitations.filter((i) => !i.expired).length;
  if (!project.role) {
    return (
      <div className="space-y-6">
        <Alert tone="info">Some documents of this project are shared with you. Its member list is visible to members only.</Alert>
        <SharesPanel projectId={project.id} isOwner={false} shares={shares} documents={[]} />
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <MembersPanel
        projectId={project.id}
        viewerId={viewer.userId}
        isOwner={isOwner}
        members={members}
        invitations={invitations}
        seats={{ used: collaborators + pendingSeats, limit: TIER_LIMITS[project.ownerTier].collaborators, tierLabel: TIER_LABELS[project.ownerTier] }}
      />
      <SharesPanel projectId={project.id} isOwner={isOwner} shares={shares} documents={documents.map((d) => ({ id: d.id, title: d.title }))} />
    </div>
  );
}
