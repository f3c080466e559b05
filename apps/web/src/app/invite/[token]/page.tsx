import type { Metadata } from 'next';
import { ROLE_LABELS } from '@quire/domain/roles';
import { getViewer } from '@/lib/auth/server';
import { getPool } from '@/lib/db';
import { previewInvitation } from '@/server/members';
import { signOutAction } from '@/app/actions/auth';
import { Alert, Card, LinkButton, buttonClass } from '@/components/ui';
import { AcceptInvitation } from '@/components/members/AcceptInvitation';

export const metadata: Metadata = { title: 'Invitation' };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const viewer = await getViewer();
  const invitation = await previewInvitation(getPool(), viewer?.claims ?? null, token);
  const back = `/invite/${token}`;
  let body: React.ReactNode;
  if (!invitation || invitation.status === 'revoked') {
    body = <Alert title="This invitation link is not valid">Ask the project owner to invite you again; they can create a new link.</Alert>;
  } else if (invitation.status === 'accepted') {
    body = (
      <div className="space-y-4">
        <Alert tone="info" title="This invitation has already been used">If it was you, the project is on your dashboard.</Alert>
        <LinkButton href="/projects">Go to your projects</LinkButton>
      </div>
    );
  } else if (invitation.expired) {
    body = <Alert title="This invitation has expired">Invitations last 14 days. Ask the project owner to invite you again.</Alert>;
  } else if (!viewer) {
    body = (
      <div className="space-y-3">
        <p className="text-sm text-stone-700">
          Sign in as <strong>{invitation.email}</strong> to accept, or create an account with that address.
        </p>
        <div className="flex flex-wrap gap-2">
          <LinkButton href={`/sign-in?next=${encodeURIComponent(back)}&email=${encodeURIComponent(invitation.email)}`}>Sign in</LinkButton>
          <LinkButton variant="secondary" href={`/sign-up?next=${encodeURIComponent(back)}&email=${encodeURIComponent(invitation.email)}`}>
            Create account
          </LinkButton>
        </div>
      </div>
    );
  } else if (viewer.email.toLowerCase() !== invitation.email) {
    body = (
      <div className="space-y-4">
        <Alert tone="warning" title="This invitation is for another address">
          It was sent to <strong>{invitation.email}</strong>, and you are signed in as <strong>{viewer.email}</strong>. Sign out, then sign in with the
          invited address.
        </Alert>
        <form action={signOutAction}>
          <button type="submit" className={buttonClass('secondary')}>
            Sign out
          </button>
        </form>
      </div>
    );
  } else {
    body = <AcceptInvitation token={token} />;
  }
  return (
    <div className="mx-auto max-w-md">
      <Card className="p-6 sm:p-8">
        <p className="text-sm font-medium uppercase tracking-widest text-accent">Invitation</p>
        {invitation && invitation.status === 'pending' ? (
          <h1 className="mt-2 font-serif text-2xl text-ink">
            {invitation.inviterName} invited you to “{invitation.projectTitle}” as {ROLE_LABELS[invitation.role].toLowerCase()}
          </h1>
        ) : (
          <h1 className="mt-2 font-serif text-2xl text-ink">Join a project on Quire</h1>
        )}
        <div className="mt-5">{body}</div>
      </Card>
    </div>
  );
}
