'use client';

import { useActionState, useState } from 'react';
import { deleteProjectAction, renameProjectAction } from '@/app/actions/projects';
import type { ActionResult } from '@/lib/errors';
import { Alert, Button, Card, Field, inputClass } from '@/components/ui';
import { SubmitButton } from '@/components/ui/SubmitButton';
import { LimitedInput } from '@/components/ui/CharacterLimit';
import { TITLE_LIMIT } from './limits';

export function ProjectSettings({ projectId, title, isOwner }: { projectId: string; title: string; isOwner: boolean }) {
  const [rename, renameAction] = useActionState<ActionResult | null, FormData>(renameProjectAction, null);
  const [remove, removeAction] = useActionState<ActionResult | null, FormData>(deleteProjectAction, null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  return (
    <div className="grid max-w-2xl gap-6">
      <Card className="p-5">
        <h2 className="font-serif text-xl text-ink">Title</h2>
        <form action={renameAction} className="mt-4 space-y-4">
          <input type="hidden" name="projectId" value={projectId} />
          {rename ? rename.ok ? <Alert tone="success">The project was renamed.</Alert> : <Alert>{rename.error}</Alert> : null}
          <Field label="Project title" htmlFor="project-title-input" error={rename && !rename.ok ? rename.fields?.title : undefined}>
            <LimitedInput id="project-title-input" name="title" defaultValue={title} required limit={TITLE_LIMIT} className={inputClass} />
          </Field>
          <SubmitButton pendingLabel="Saving…">Rename project</SubmitButton>
        </form>
      </Card>
      {isOwner ? (
        <Card className="border-red-200 p-5">
          <h2 className="font-serif text-xl text-red-900">Delete this project</h2>
          <p className="mt-1 text-sm text-stone-700">
            Deleting removes every document, comment, version and member of “{title}”. It cannot be undone.
          </p>
          {confirming ? (
            <form action={removeAction} className="mt-4 space-y-4">
              <input type="hidden" name="projectId" value={projectId} />
              {remove && !remove.ok ? <Alert>{remove.error}</Alert> : null}
              <Field label={`Type “${title}” to confirm`} htmlFor="confirm-title">
                <input id="confirm-title" name="confirmTitle" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus className={inputClass} />
              </Field>
              <div className="flex flex-wrap gap-2">
                <SubmitButton variant="danger" pendingLabel="Deleting…">
                  Delete forever
                </SubmitButton>
                <Button variant="secondary" onClick={() => (setConfirming(false), setTyped(''))}>
                  Cancel
                </Button>
              </div>
            </form>
          ) : (
            <Button variant="danger" className="mt-4" onClick={() => setConfirming(true)}>
              Delete project…
            </Button>
          )}
        </Card>
      ) : null}
    </div>
  );
}
