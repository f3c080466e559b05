'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { ROLE_LABELS, SHARE_ROLES } from '@quire/domain/roles';
import { shareDocumentAction, unshareDocumentAction } from '@/app/actions/members';
import type { ActionResult } from '@/lib/errors';
import type { DocumentShare } from '@/server/members';
import { Alert, Button, Card, Field, inputClass } from '@/components/ui';
import { RoleBadge } from '@/components/ui/RoleBadge';
import { SubmitButton } from '@/components/ui/SubmitButton';

/** Per-document shares: a reviewer outside the project gets one document, nothing else. */
export function SharesPanel({ projectId, isOwner, shares, documents }: {
  projectId: string;
  isOwner: boolean;
  shares: DocumentShare[];
  documents: { id: string; title: string }[];
}) {
  const router = useRouter();
  const [state, action] = useActionState<ActionResult | null, FormData>(shareDocumentAction, null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fields = state && !state.ok ? (state.fields ?? {}) : {};
  if (!isOwner && !shares.length) return null;
  return (
    <Card className="p-5">
      <h2 className="font-serif text-xl text-ink">Shared documents</h2>
      <p className="mt-1 text-sm text-stone-600">
        Share a single document with a reviewer outside the project. They see that document and nothing else, and do not use a collaborator seat.
      </p>
      {error ? (
        <div className="mt-3">
          <Alert>{error}</Alert>
        </div>
      ) : null}
      {shares.length ? (
        <ul className="mt-4 divide-y divide-stone-100 rounded-lg border border-stone-200" data-testid="share-list">
          {shares.map((s) => (
            <li key={`${s.documentId}:${s.userId}`} className="flex flex-wrap items-center gap-3 px-4 py-3 text-sm">
              <div className="min-w-0 flex-1">
                <p className="truncate font-medium text-ink">{s.name}</p>
                <p className="truncate text-stone-500">
                  {s.email ? `${s.email} · ` : ''}“{s.documentTitle}”
                </p>
              </div>
              <RoleBadge role={s.role} />
              {isOwner ? (
                <Button
                  size="sm"
                  variant="ghost"
                  disabled={pending}
                  aria-label={`Stop sharing “${s.documentTitle}” with ${s.name}`}
                  onClick={() =>
                    startTransition(async () => {
                      setError(null);
                      const result = await unshareDocumentAction({ projectId, documentId: s.documentId, userId: s.userId });
                      if (!result.ok) setError(result.error);
                      router.refresh();
                    })
                  }
                >
                  Stop sharing
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {isOwner && documents.length ? (
        <form action={action} className="mt-5 grid gap-4 sm:grid-cols-[1fr_1fr_10rem_auto] sm:items-end">
          <input type="hidden" name="projectId" value={projectId} />
          <Field label="Document" htmlFor="share-document">
            <select id="share-document" name="documentId" className={inputClass}>
              {documents.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.title}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Reviewer's email" htmlFor="share-email" error={fields.email}>
            <input id="share-email" name="email" type="email" required placeholder="reviewer@example.com" className={inputClass} />
          </Field>
          <Field label="Role" htmlFor="share-role">
            <select id="share-role" name="role" defaultValue="commenter" className={inputClass}>
              {SHARE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          </Field>
          <SubmitButton pendingLabel="Sharing…">Share</SubmitButton>
          {state ? (
            <div className="sm:col-span-4">{state.ok ? <Alert tone="success">{state.message ?? 'Shared.'}</Alert> : <Alert>{state.error}</Alert>}</div>
          ) : null}
        </form>
      ) : null}
    </Card>
  );
}
