'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { ROLE_LABELS, SHARE_ROLES, type ProjectRole } from '@quire/domain/roles';
import {
  changeRoleAction,
  inviteMemberAction,
  leaveProjectAction,
  removeMemberAction,
  revokeInvitationAction,
} from '@/app/actions/members';
import type { ActionResult } from '@/lib/errors';
import type { CreatedInvitation, Member, PendingInvitation } from '@/server/members';
import { Alert, Button, Card, Field, cx, inputClass } from '@/components/ui';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { SubmitButton } from '@/components/ui/SubmitButton';
import { formatRelative } from '@/components/ui/format';
import { CopyField } from './CopyField';

const ROLE_HELP: Record<Exclude<ProjectRole, 'owner'>, string> = {
  editor: 'writes and restructures the manuscript',
  commenter: 'reads and comments',
  viewer: 'reads only',
};

export function MembersPanel(props: {
  projectId: string;
  viewerId: string;
  isOwner: boolean;
  members: Member[];
  invitations: PendingInvitation[];
  seats: { used: number; limit: number | null; tierLabel: string };
}) {
  const { projectId, viewerId, isOwner, members, invitations, seats } = props;
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [pending, startTransition] = useTransition();
  const [invite, inviteAction] = useActionState<ActionResult<CreatedInvitation> | null, FormData>(inviteMemberAction, null);
  const inviteFields = invite && !invite.ok ? (invite.fields ?? {}) : {};

  function run(op: () => Promise<ActionResult>, done: string) {
    setError(null);
    setNotice(null);
    startTransition(async () => {
      const result = await op();
      if (result.ok) setNotice(done);
      else setError(result.error);
      router.refresh();
    });
  }

  const isMember = members.some((m) => m.userId === viewerId);
  const full = seats.limit !== null && seats.used >= seats.limit;

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
      <div className="space-y-4">
        {error ? <Alert>{error}</Alert> : null}
        {notice ? <Alert tone="success">{notice}</Alert> : null}
        {!isOwner ? <Alert tone="info">Only the owner can invite people or change roles. You can see who is here.</Alert> : null}
        <Card>
          <h2 className="border-b border-stone-200 px-4 py-3 text-sm font-semibold text-stone-800">
            Members <span className="font-normal text-stone-500">({members.length})</span>
          </h2>
          <ul className="divide-y divide-stone-100" data-testid="member-list">
            {members.map((m) => (
              <li key={m.userId} className="flex flex-wrap items-center gap-3 px-4 py-3" data-member-email={m.email ?? ''}>
                <div className="min-w-0 flex-1">
                  <p className="truncate font-medium text-ink">
                    {m.name}
                    {m.userId === viewerId ? <span className="ml-1 text-sm font-normal text-stone-500">(you)</span> : null}
                  </p>
                  <p className="truncate text-sm text-stone-500">{m.email}</p>
                </div>
                {isOwner && m.role !== 'owner' ? (
                  <div className="flex items-center gap-2">
                    <label htmlFor={`role-${m.userId}`} className="sr-only">
                      Role of {m.name}
                    </label>
                    <select
                      id={`role-${m.userId}`}
                      value={m.role}
                      disabled={pending}
                      onChange={(e) =>
                        run(
                          () => changeRoleAction({ projectId, userId: m.userId, role: e.target.value }),
                          `${m.name} is now ${ROLE_LABELS[e.target.value as ProjectRole].toLowerCase()}.`,
                        )
                      }
                      className="rounded-md border border-stone-300 bg-white px-2 py-1.5 text-sm text-ink focus:border-accent focus:outline-none focus:ring-2 focus:ring-accent/30"
                    >
                      {SHARE_ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ROLE_LABELS[r]}
                        </option>
                      ))}
                    </select>
                    {confirmRemove === m.userId ? (
                      <span className="flex items-center gap-2" role="alertdialog" aria-label={`Remove ${m.name}?`}>
                        <Button
                          size="sm"
                          variant="danger"
                          autoFocus
                          onClick={() => {
                            setConfirmRemove(null);
                            run(() => removeMemberAction({ projectId, userId: m.userId }), `${m.name} was removed from the project.`);
                          }}
                        >
                          Remove {m.name}
                        </Button>
                        <Button size="sm" variant="secondary" onClick={() => setConfirmRemove(null)}>
                          Cancel
                        </Button>
                      </span>
                    ) : (
                      <Button size="sm" variant="ghost" className="text-red-700" onClick={() => setConfirmRemove(m.userId)} aria-label={`Remove ${m.name}`}>
                        Remove
                      </Button>
                    )}
                  </div>
                ) : (
                  <RoleBadge role={m.role} />
                )}
              </li>
            ))}
          </ul>
        </Card>

        {isOwner ? (
          <Card>
            <h2 className="border-b border-stone-200 px-4 py-3 text-sm font-semibold text-stone-800">Pending invitations</h2>
            {invitations.length ? (
              <ul className="divide-y divide-stone-100" data-testid="invitation-list">
                {invitations.map((inv) => (
                  <li key={inv.id} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
                    <div className="min-w-0 flex-1">
                      <p className="truncate font-medium text-ink">{inv.email}</p>
                      <p className={cx('text-xs', inv.expired ? 'text-red-700' : 'text-stone-500')}>
                        {inv.expired ? 'Expired — invite again for a new link' : `Invited ${formatRelative(inv.createdAt)} · expires ${new Date(inv.expiresAt).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })}`}
                      </p>
                    </div>
                    <RoleBadge role={inv.role} />
                    <Button
                      size="sm"
                      variant="ghost"
                      disabled={pending}
                      aria-label={`Withdraw the invitation to ${inv.email}`}
                      onClick={() => run(() => revokeInvitationAction({ projectId, invitationId: inv.id }), `The invitation to ${inv.email} was withdrawn.`)}
                    >
                      Withdraw
                    </Button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="px-4 py-6 text-center text-sm text-stone-500">No invitations waiting for an answer.</p>
            )}
          </Card>
        ) : null}

        {!isOwner && isMember ? (
          <div className="rounded-xl border border-stone-200 bg-white p-4">
            {confirmLeave ? (
              <div role="alertdialog" aria-label="Leave this project?" className="flex flex-wrap items-center gap-3">
                <p className="flex-1 text-sm text-stone-700">Leave this project? You will need a new invitation to come back.</p>
                <Button variant="danger" size="sm" autoFocus onClick={() => run(() => leaveProjectAction({ projectId }), 'You left the project.')}>
                  Leave project
                </Button>
                <Button variant="secondary" size="sm" onClick={() => setConfirmLeave(false)}>
                  Stay
                </Button>
              </div>
            ) : (
              <Button variant="secondary" onClick={() => setConfirmLeave(true)}>
                Leave this project
              </Button>
            )}
          </div>
        ) : null}
      </div>

      {isOwner ? (
        <Card className="h-fit p-5">
          <h2 className="font-serif text-xl text-ink">Invite someone</h2>
          <p className="mb-4 mt-1 text-xs text-stone-500" data-testid="seat-usage">
            {seats.limit === null
              ? `${seats.tierLabel} plan: unlimited collaborators.`
              : `${seats.tierLabel} plan: ${seats.used} of ${seats.limit} collaborator seats used, counting pending invitations.`}
          </p>
          {full && !(invite && !invite.ok) ? (
            <div className="mb-4">
              <Alert tone="warning">This project has used every collaborator seat of its plan. Remove someone or withdraw an invitation first.</Alert>
            </div>
          ) : null}
          <form action={inviteAction} className="space-y-4">
            <input type="hidden" name="projectId" value={projectId} />
            {invite && !invite.ok ? <Alert title={invite.kind === 'quota' ? 'Collaborator limit reached' : undefined}>{invite.error}</Alert> : null}
            <Field label="Email address" htmlFor="invite-email" error={inviteFields.email}>
              <input id="invite-email" name="email" type="email" required autoComplete="off" placeholder="co-writer@example.com" className={inputClass} aria-invalid={Boolean(inviteFields.email)} />
            </Field>
            <Field label="Role" htmlFor="invite-role" error={inviteFields.role}>
              <select id="invite-role" name="role" defaultValue="editor" className={inputClass}>
                {SHARE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_LABELS[r]} — {ROLE_HELP[r]}
                  </option>
                ))}
              </select>
            </Field>
            <SubmitButton pendingLabel="Creating link…">Create invitation link</SubmitButton>
          </form>
          {invite?.ok ? (
            <div className="mt-5 space-y-2">
              <Alert tone="success">
                {invite.data.renewed ? 'New link for' : 'Invitation ready for'} <strong>{invite.data.email}</strong> as {ROLE_LABELS[invite.data.role].toLowerCase()}. Send them this link; it works once, for that address, for 14 days.
              </Alert>
              <CopyField value={invite.data.link} label="Invitation link" />
              <p className="text-xs text-stone-500">The link is shown only now. If it gets lost, invite the same address again for a new one.</p>
            </div>
          ) : null}
        </Card>
      ) : null}
    </div>
  );
}
