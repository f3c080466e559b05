'use client';

import { useActionState } from 'react';
import { acceptInvitationAction } from '@/app/actions/members';
import type { ActionResult } from '@/lib/errors';
import { Alert } from '@/components/ui';
import { SubmitButton } from '@/components/ui/SubmitButton';

export function AcceptInvitation({ token }: { token: string }) {
  const [state, action] = useActionState<ActionResult<{ projectId: string }> | null, FormData>(acceptInvitationAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state && !state.ok ? <Alert>{state.error}</Alert> : null}
      <SubmitButton className="w-full" pendingLabel="Joining…">
        Accept invitation
      </SubmitButton>
    </form>
  );
}
