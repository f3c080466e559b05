import { createHash, randomBytes } from 'node:crypto';
import { withAnon, withUser, type Claims } from '@quire/db/session';
import type { Pool } from '@quire/db/pool';
import type { ProjectRole, ShareRole } from '@quire/domain/roles';
import {
  acceptInvitationInput,
  changeRoleInput,
  id as idSchema,
  invitationToken,
  inviteMemberInput,
  leaveProjectInput,
  removeMemberInput,
  revokeInvitationInput,
  shareDocumentInput,
  unshareDocumentInput,
} from '@quire/domain/schemas';
import { UserError, parse, toUserError } from '../lib/errors';

export interface Member {
  userId: string;
  email: string | null;
  name: string;
  role: ProjectRole;
  joinedAt: string;
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: ShareRole;
  expiresAt: string;
  expired: boolean;
  createdAt: string;
}

export interface DocumentShare {
  documentId: string;
  documentTitle: string;
  userId: string;
  email: string | null;
  name: string;
  role: ShareRole;
}

const OWNER_ONLY = 'Only the project\u2019s owner can manage its members.';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function listMembers(pool: Pool, claims: Claims, projectId: string): Promise<Member[]> {
  const parsed = idSchema.safeParse(projectId);
  if (!parsed.success) return [];
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select pm.user_id, up.email, coalesce(nullif(up.display_name, ''), split_part(up.email, '@', 1), 'Member') as name,
              pm.role, pm.created_at
         from public.project_members pm left join public.user_profiles up on up.id = pm.user_id
        where pm.project_id = $1
        order by private.role_rank(pm.role) desc, lower(coalesce(up.display_name, up.email, '')), pm.created_at`,
      [parsed.data],
    );
    return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, role: r.role, joinedAt: (r.created_at as Date).toISOString() }));
  });
}

/** Pending invitations; only the owner's policy returns any. */
export async function listInvitations(pool: Pool, claims: Claims, projectId: string): Promise<PendingInvitation[]> {
  const parsed = idSchema.safeParse(projectId);
  if (!parsed.success) return [];
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select id, email, role, expires_at, expires_at <= now() as expired, created_at from public.invitations
        where project_id = $1 and status = 'pending' order by created_at desc`,
      [parsed.data],
    );
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      expiresAt: (r.expires_at as Date).toISOString(),
      expired: r.expired,
      createdAt: (r.created_at as Date).toISOString(),
    }));
  });
}

export interface CreatedInvitation {
  email: string;
  role: ShareRole;
  /** The secret link; shown once, only its hash is stored. */
  link: string;
  expiresAt: string;
  renewed: boolean;
}

export async function inviteMember(pool: Pool, claims: Claims, input: unknown, appUrl: string): Promise<CreatedInvitation> {
  const { projectId, email, role } = parse(inviteMemberInput, input);
  if (typeof claims.email === 'string' && claims.email.toLowerCase() === email) {
    throw new UserError('That is your own address; you are already in this project.', 'invalid', { email: 'Enter someone else\u2019s address.' });
  }
  const token = randomBytes(32).toString('base64url');
  const hash = tokenHash(token);
  try {
    return await withUser(pool, claims, async (tx) => {
      // asked first: the plan-limit trigger runs before the policy check and would otherwise answer a non-owner
      const { rows: owns } = await tx.query<{ ok: boolean }>(`select private.has_role($1, null, 'owner') as ok`, [projectId]);
      if (!owns[0]?.ok) throw new UserError('Only the project\u2019s owner can invite people.', 'forbidden');
      const { rows: members } = await tx.query(
        `select 1 from public.project_members pm join public.user_profiles up on up.id = pm.user_id
          where pm.project_id = $1 and lower(up.email) = $2`,
        [projectId, email],
      );
      if (members.length) throw new UserError('That person is already a member of this project.', 'conflict', { email: 'Already a member.' });
      // Inviting the same address again replaces the pending link, so an old copy of it stops working.
      const { rows: renewed } = await tx.query<{ expires_at: Date }>(
        `update public.invitations set token_hash = $3, role = $4, invited_by = (select auth.uid()), expires_at = now() + interval '14 days'
          where project_id = $1 and email = $2 and status = 'pending' returning expires_at`,
        [projectId, email, hash, role],
      );
      if (renewed[0]) {
        return { email, role, link: `${appUrl}/invite/${token}`, expiresAt: renewed[0].expires_at.toISOString(), renewed: true };
      }
      const { rows } = await tx.query<{ expires_at: Date }>(
        `insert into public.invitations (project_id, email, role, token_hash, invited_by) values ($1, $2, $3, $4, (select auth.uid()))
         returning expires_at`,
        [projectId, email, role, hash],
      );
      return { email, role, link: `${appUrl}/invite/${token}`, expiresAt: rows[0]!.expires_at.toISOString(), renewed: false };
    });
  } catch (error) {
    throw toUserError(error, { forbidden: 'Only the project\u2019s owner can invite people.' });
  }
}

export async function revokeInvitation(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, invitationId } = parse(revokeInvitationInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query(
        `update public.invitations set status = 'revoked' where id = $1 and project_id = $2 and status = 'pending'`,
        [invitationId, projectId],
      );
      if (!rowCount) throw new UserError('That invitation is gone already, or only the owner can withdraw it.', 'forbidden');
    });
  } catch (error) {
    throw toUserError(error, { forbidden: OWNER_ONLY });
  }
}

export async function changeRole(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, userId, role } = parse(changeRoleInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('update public.project_members set role = $3 where project_id = $1 and user_id = $2', [
        projectId,
        userId,
        role,
      ]);
      if (!rowCount) throw new UserError(OWNER_ONLY, 'forbidden');
    });
  } catch (error) {
    throw toUserError(error, { forbidden: OWNER_ONLY });
  }
}

export async function removeMember(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId, userId } = parse(removeMemberInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ ok: boolean }>(`select private.has_role($1, null, 'owner') as ok`, [projectId]);
      // members may delete their own row (leaving); removing someone else is the owner's
      if (!rows[0]?.ok && userId !== claims.sub) throw new UserError(OWNER_ONLY, 'forbidden');
      const { rowCount } = await tx.query('delete from public.project_members where project_id = $1 and user_id = $2', [projectId, userId]);
      if (!rowCount) throw new UserError('That person is no longer a member.', 'not_found');
    });
  } catch (error) {
    throw toUserError(error, { forbidden: OWNER_ONLY });
  }
}

export async function leaveProject(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { projectId } = parse(leaveProjectInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ user_id: string }>('select user_id from public.projects where id = $1', [projectId]);
      if (rows[0]?.user_id === claims.sub) {
        throw new UserError('You own this project, so you cannot leave it. Delete it instead if you are done with it.', 'forbidden');
      }
      const { rowCount } = await tx.query('delete from public.project_members where project_id = $1 and user_id = (select auth.uid())', [projectId]);
      // someone with only shared documents "leaves" by giving those shares back
      const { rowCount: shares } = await tx.query(
        `delete from public.document_collaborators dc using public.documents d
          where d.id = dc.document_id and d.project_id = $1 and dc.user_id = (select auth.uid())`,
        [projectId],
      );
      if (!rowCount && !shares) throw new UserError('You are not a member of this project.', 'not_found');
    });
  } catch (error) {
    throw toUserError(error);
  }
}

export interface InvitationPreview {
  projectTitle: string;
  role: ShareRole;
  inviterName: string;
  email: string;
  status: 'pending' | 'accepted' | 'revoked';
  expired: boolean;
}

/** What an invitation link offers; the link's secret is the permission (see invitation_preview). */
export async function previewInvitation(pool: Pool, claims: Claims | null, token: string): Promise<InvitationPreview | null> {
  const parsed = invitationToken.safeParse(token);
  if (!parsed.success) return null;
  const run = async (tx: import('@quire/db/session').Tx) => {
    const { rows } = await tx.query('select * from public.invitation_preview($1)', [tokenHash(parsed.data)]);
    const r = rows[0];
    if (!r) return null;
    return { projectTitle: r.project_title, role: r.role, inviterName: r.inviter_name, email: r.email, status: r.status, expired: r.expired };
  };
  return claims ? withUser(pool, claims, run) : withAnon(pool, run);
}

export async function acceptInvitation(pool: Pool, claims: Claims, input: unknown): Promise<{ projectId: string }> {
  const { token } = parse(acceptInvitationInput, input);
  try {
    return await withUser(pool, claims, async (tx) => {
      const { rows } = await tx.query<{ project_id: string }>('select public.accept_invitation($1) as project_id', [tokenHash(token)]);
      return { projectId: rows[0]!.project_id };
    });
  } catch (error) {
    throw toUserError(error);
  }
}

export async function listShares(pool: Pool, claims: Claims, projectId: string): Promise<DocumentShare[]> {
  const parsed = idSchema.safeParse(projectId);
  if (!parsed.success) return [];
  return withUser(pool, claims, async (tx) => {
    const { rows } = await tx.query(
      `select dc.document_id, d.title as document_title, dc.user_id, up.email,
              coalesce(nullif(up.display_name, ''), split_part(up.email, '@', 1), 'Reviewer') as name, dc.role
         from public.document_collaborators dc
         join public.documents d on d.id = dc.document_id
         left join public.user_profiles up on up.id = dc.user_id
        where d.project_id = $1
        order by d.title, name`,
      [parsed.data],
    );
    return rows.map((r) => ({
      documentId: r.document_id,
      documentTitle: r.document_title,
      userId: r.user_id,
      email: r.email,
      name: r.name,
      role: r.role,
    }));
  });
}

export async function shareDocument(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { documentId, email, role } = parse(shareDocumentInput, input);
  if (typeof claims.email === 'string' && claims.email.toLowerCase() === email) {
    throw new UserError('That is your own address.', 'invalid', { email: 'Enter someone else\u2019s address.' });
  }
  try {
    await withUser(pool, claims, (tx) => tx.query('select public.share_document($1, $2, $3)', [documentId, email, role]));
  } catch (error) {
    throw toUserError(error, { forbidden: 'Only the project\u2019s owner can share its documents.' });
  }
}

export async function unshareDocument(pool: Pool, claims: Claims, input: unknown): Promise<void> {
  const { documentId, userId } = parse(unshareDocumentInput, input);
  try {
    await withUser(pool, claims, async (tx) => {
      const { rowCount } = await tx.query('delete from public.document_collaborators where document_id = $1 and user_id = $2', [documentId, userId]);
      if (!rowCount) throw new UserError('Only the project\u2019s owner can stop sharing a document.', 'forbidden');
    });
  } catch (error) {
    throw toUserError(error);
  }
}
