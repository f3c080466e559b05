'use client';

import { useActionState, useState } from 'react';
import { createProjectAction } from '@/app/actions/projects';
import type { ActionResult } from '@/lib/errors';
import type { TemplateSummary } from '@/server/projects';
import { Alert, Field, cx, inputClass } from '@/components/ui';
import { SubmitButton } from '@/components/ui/SubmitButton';
import { LimitedInput } from '@/components/ui/CharacterLimit';
import { TITLE_LIMIT } from './limits';

const KIND_HINT: Record<TemplateSummary['kind'], string> = {
  novel: 'Parts, chapters and scenes',
  screenplay: 'Acts and scenes in screenplay format',
  blog_post: 'A post with notes beside it',
};

export function NewProjectForm({ templates }: { templates: TemplateSummary[] }) {
  const [state, formAction] = useActionState<ActionResult<{ id: string }> | null, FormData>(createProjectAction, null);
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? '');
  const fields = state && !state.ok ? (state.fields ?? {}) : {};
  if (!templates.length) {
    return <Alert tone="warning">No templates are installed on this server yet, so projects cannot be created. Ask the administrator to load the seed data.</Alert>;
  }
  return (
    <form action={formAction} className="space-y-5">
      {state && !state.ok ? <Alert title={state.kind === 'quota' ? 'Plan limit reached' : undefined}>{state.error}</Alert> : null}
      <Field label="Title" htmlFor="new-project-title" error={fields.title}>
        <LimitedInput id="new-project-title" name="title" required limit={TITLE_LIMIT} placeholder="The Lighthouse Keeper" className={inputClass} aria-invalid={Boolean(fields.title)} />
      </Field>
      <fieldset>
        <legend className="mb-2 text-sm font-medium text-stone-800">Start from</legend>
        <div className="grid gap-2">
          {templates.map((t) => (
            <label
              key={t.id}
              className={cx(
                'flex cursor-pointer flex-col rounded-lg border p-3 text-sm transition-colors focus-within:ring-2 focus-within:ring-accent/40',
                templateId === t.id ? 'border-accent bg-accent-soft' : 'border-stone-200 bg-white hover:border-stone-400',
              )}
            >
              <span className="flex items-center gap-2">
                <input type="radio" name="templateId" value={t.id} checked={templateId === t.id} onChange={() => setTemplateId(t.id)} className="accent-[#9a3412]" />
                <span className="font-medium">{t.name}</span>
              </span>
              <span className="mt-1 text-xs text-stone-600">{t.description || KIND_HINT[t.kind]}</span>
              <span className="mt-1 text-xs text-stone-500">{t.documentCount} starter {t.documentCount === 1 ? 'document' : 'documents'}</span>
            </label>
          ))}
        </div>
        {fields.templateId ? <p className="mt-1 text-sm text-red-700">{fields.templateId}</p> : null}
      </fieldset>
      <SubmitButton pendingLabel="Creating…">Create project</SubmitButton>
    </form>
  );
}
