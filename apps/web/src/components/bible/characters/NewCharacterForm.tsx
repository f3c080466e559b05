'use client';

import { useRef, useState, type FormEvent } from 'react';
import Link from 'next/link';
import { CHARACTER_ROLES, CHARACTER_ROLE_LABELS, type CharacterRole } from '@quire/domain/bible/characters';
import type { CharacterDto } from '@/server/bible/characters';
import { Button, inputClass } from '@/components/ui';
import { api } from '@/components/structure/api';

/** Adds characters one after another: the form stays open with the name field focused for the next one. */
export function NewCharacterForm({ projectId, onClose, onAdded }: { projectId: string; onClose: () => void; onAdded: () => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<CharacterRole>('supporting');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<CharacterDto | null>(null);
  const [busy, setBusy] = useState(false);
  const nameField = useRef<HTMLInputElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const result = await api<{ character: CharacterDto }>('POST', `/api/projects/${projectId}/characters`, { name, role, summary });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setError(null);
    setAdded(result.data.character);
    setName('');
    setSummary('');
    nameField.current?.focus();
    onAdded();
  }

  return (
    <form onSubmit={submit} onKeyDown={(e) => e.key === 'Escape' && onClose()} aria-label="New character" data-testid="character-form"
      className="grid gap-3 rounded-xl border border-stone-200 bg-white p-4 shadow-sm sm:grid-cols-[2fr_1fr]">
      <label className="text-sm font-medium text-stone-800">
        Name
        <input ref={nameField} className={inputClass} value={name} onChange={(e) => setName(e.target.value)} maxLength={200} autoFocus
          placeholder="Zoë Marchetti" aria-invalid={!!error} data-testid="new-character-name" />
      </label>
      <label className="text-sm font-medium text-stone-800">
        Role in the story
        <select className={inputClass} value={role} onChange={(e) => setRole(e.target.value as CharacterRole)} data-testid="new-character-role">
          {CHARACTER_ROLES.map((r) => <option key={r} value={r}>{CHARACTER_ROLE_LABELS[r]}</option>)}
        </select>
      </label>
      <label className="text-sm font-medium text-stone-800 sm:col-span-2">
        In a line <span className="font-normal text-stone-500">(optional)</span>
        <input className={inputClass} value={summary} onChange={(e) => setSummary(e.target.value)} maxLength={2000}
          placeholder="A cartographer who maps coastlines nobody asked for." data-testid="new-character-summary" />
      </label>
      {error ? <p role="alert" className="text-sm text-red-700 sm:col-span-2">{error}</p> : null}
      <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
        <Button type="submit" size="sm" disabled={busy} data-testid="new-character-save">Add to the cast</Button>
        <Button size="sm" variant="ghost" onClick={onClose}>Done</Button>
        {added ? (
          <span role="status" className="text-sm text-stone-600">
            Added {added.name}. <Link className="text-accent underline" href={`/projects/${projectId}/characters/${added.id}`}>Open the profile</Link>
          </span>
        ) : <span className="text-xs text-stone-500">Enter adds · Esc closes</span>}
      </div>
    </form>
  );
}
