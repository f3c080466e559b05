'use client';

import { useState, type FormEvent } from 'react';
import { ISSUE_CATEGORIES, ISSUE_SEVERITIES, type IssueCategory, type IssueSeverity } from '@quire/domain/structure';
import { Button, inputClass } from '@/components/ui';
import { api } from './api';

const label = (value: string) => value.replace('_', ' ').replace(/^./, (c) => c.toUpperCase());

/**
 * A plot issue written by hand (it joins the project's standing manual run). Escape closes it; the board opens it
 * with the "+ New issue" button or the n key.
 */
export function NewIssueForm({ projectId, onDone }: { projectId: string; onDone: (created: { title: string } | null, error?: string) => void }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [severity, setSeverity] = useState<IssueSeverity>('medium');
  const [category, setCategory] = useState<IssueCategory>('plot_hole');
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return;
    setSaving(true);
    const result = await api('POST', `/api/projects/${projectId}/plot`, { title, description, severity, category });
    setSaving(false);
    if (!result.ok) return onDone(null, result.error);
    onDone({ title });
  }

  return (
    <form onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onDone(null)} className="space-y-2 rounded-xl border border-stone-200 bg-white p-3" data-testid="new-issue-form">
      <label className="block text-xs font-medium text-stone-600">
        What is wrong
        <input autoFocus className={inputClass} value={title} maxLength={300} placeholder="e.g. The keeper knows the code before he finds it" data-testid="new-issue-title"
          onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label className="block text-xs font-medium text-stone-600">
        Details (optional)
        <textarea className={inputClass} rows={2} value={description} maxLength={20_000} data-testid="new-issue-description" onChange={(e) => setDescription(e.target.value)} />
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <select aria-label="Severity" data-testid="new-issue-severity" value={severity} onChange={(e) => setSeverity(e.target.value as IssueSeverity)}
          className="rounded-md border border-stone-300 px-2 py-1 text-sm">
          {ISSUE_SEVERITIES.map((s) => <option key={s} value={s}>{label(s)}</option>)}
        </select>
        <select aria-label="Category" data-testid="new-issue-category" value={category} onChange={(e) => setCategory(e.target.value as IssueCategory)}
          className="rounded-md border border-stone-300 px-2 py-1 text-sm">
          {ISSUE_CATEGORIES.map((c) => <option key={c} value={c}>{label(c)}</option>)}
        </select>
        <span className="flex-1" />
        <Button size="sm" variant="ghost" onClick={() => onDone(null)}>Cancel</Button>
        <Button size="sm" type="submit" disabled={saving || !title.trim()} data-testid="save-issue">Add issue</Button>
      </div>
    </form>
  );
}
