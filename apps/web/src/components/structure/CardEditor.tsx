'use client';

import { useState, type FormEvent } from 'react';
import { Button, inputClass } from '@/components/ui';
import type { ApiResult } from './api';

export interface CardText {
  title: string;
  body: string;
}

/**
 * Inline editing of a card's two text fields against the version it started from. When someone else saved first, the
 * server answers 409 with their row: their text is shown beside this writer's, which stays in the fields, and the
 * writer either applies theirs on top of the new version or takes the other one.
 */
export function CardEditor<Row extends { version: number }>({
  initial,
  version,
  labels,
  read,
  save,
  onDone,
}: {
  initial: CardText;
  version: number;
  labels: { title: string; body: string };
  read: (row: Row) => CardText;
  save: (text: CardText, version: number) => Promise<ApiResult<Row>>;
  onDone: () => void;
}) {
  const [text, setText] = useState(initial);
  const [base, setBase] = useState(version);
  const [theirs, setTheirs] = useState<CardText | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    setSaving(true);
    setError(null);
    const result = await save(text, base);
    setSaving(false);
    if (result.ok) return onDone();
    if (result.status === 409 && result.current) {
      const current = result.current as Row;
      setTheirs(read(current));
      // the next save is an informed one: on top of what the other writer saved
      setBase(current.version);
      return;
    }
    setError(result.error);
  }

  return (
    <form onSubmit={submit} className="space-y-2" data-testid="card-editor" onKeyDown={(e) => {
      if (e.key === 'Escape') onDone();
      if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
    }}>
      {theirs ? (
        <div role="alert" data-testid="conflict" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p className="font-semibold">Someone else changed this card while you were editing.</p>
          <p className="mt-1">Their version:</p>
          <p className="mt-1 font-medium" data-testid="conflict-theirs-title">{theirs.title}</p>
          {theirs.body ? <p className="whitespace-pre-wrap" data-testid="conflict-theirs-body">{theirs.body}</p> : null}
          <p className="mt-2">Your text is still below. Save to apply yours on top, or take theirs.</p>
          <div className="mt-2 flex gap-2">
            <Button size="sm" variant="secondary" data-testid="take-theirs" onClick={() => (setText(theirs), setTheirs(null))}>
              Take theirs
            </Button>
          </div>
        </div>
      ) : null}
      <label className="block text-xs font-medium text-stone-600">
        {labels.title}
        <input className={inputClass} value={text.title} autoFocus maxLength={200} data-testid="edit-title"
          onChange={(e) => setText({ ...text, title: e.target.value })} />
      </label>
      <label className="block text-xs font-medium text-stone-600">
        {labels.body}
        <textarea className={inputClass} rows={3} value={text.body} maxLength={20000} data-testid="edit-body"
          onChange={(e) => setText({ ...text, body: e.target.value })} />
      </label>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex gap-2">
        <Button size="sm" type="submit" disabled={saving} data-testid="save-card">
          {theirs ? 'Apply mine' : 'Save'}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <span className="self-center text-xs text-stone-500">Ctrl+Enter saves · Esc cancels</span>
      </div>
    </form>
  );
}
