'use client';

import { useState, type FormEvent, type ReactNode } from 'react';
import { CHARACTER_ROLES, CHARACTER_ROLE_LABELS, type CharacterRole } from '@quire/domain/bible/characters';
import type { CharacterDto } from '@/server/bible/characters';
import { Button, inputClass } from '@/components/ui';
import { api } from '@/components/structure/api';
import { ConflictNotice } from '../ConflictNotice';

/** The editable profile as the form holds it: lists as comma-separated text. */
interface ProfileText {
  name: string;
  aliases: string;
  role: CharacterRole;
  summary: string;
  traits: string;
  personality: string;
  goal: string;
  backstory: string;
  notes: string;
  tags: string;
}

const LISTS = ['aliases', 'traits', 'tags'] as const;
const LABELS: Record<keyof ProfileText, string> = {
  name: 'Name', aliases: 'Aliases and nicknames', role: 'Role in the story', summary: 'Description', traits: 'Traits',
  personality: 'Personality', goal: 'Goals', backstory: 'Backstory', notes: 'Notes', tags: 'Tags',
};

const textOf = (c: CharacterDto): ProfileText => ({
  name: c.name, aliases: c.aliases.join(', '), role: c.role, summary: c.summary, traits: c.traits.join(', '), personality: c.personality,
  goal: c.goal, backstory: c.backstory, notes: c.notes, tags: c.tags.join(', '),
});

const current = (row: unknown) => row as CharacterDto;
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** Only the fields this writer changed from the version they started on: the rest is never sent back. */
function patchOf(text: ProfileText, base: ProfileText): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(text) as Array<keyof ProfileText>) {
    if (text[key] === base[key]) continue;
    patch[key] = (LISTS as readonly string[]).includes(key) ? list(text[key]) : text[key];
  }
  return patch;
}

/**
 * Edits the whole profile against the version it was opened on. A save that someone else beat answers 409 with their
 * profile: the fields they changed are shown, this writer's text stays, and saving again applies it on top.
 */
export function ProfileForm({ projectId, character, onDone }: { projectId: string; character: CharacterDto; onDone: (saved: CharacterDto | null) => void }) {
  const [opened, setOpened] = useState(() => textOf(character));
  const [text, setText] = useState(opened);
  const [version, setVersion] = useState(character.version);
  const [theirs, setTheirs] = useState<ProfileText | null>(null);
  const [changedByThem, setChangedByThem] = useState<Array<keyof ProfileText>>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    const patch = patchOf(text, opened);
    if (!Object.keys(patch).length) return onDone(null);
    setBusy(true);
    const result = await api<{ character: CharacterDto }>('PATCH', `/api/projects/${projectId}/characters/${character.id}`, { version, patch });
    setBusy(false);
    if (result.ok) return onDone(result.data.character);
    if (result.status === 409 && result.current) {
      const now = textOf(current(result.current));
      // fields only they changed come into the form; fields this writer changed keep this writer's text
      const merged = { ...now };
      for (const key of Object.keys(patch) as Array<keyof ProfileText>) (merged as Record<string, unknown>)[key] = text[key];
      setChangedByThem((Object.keys(now) as Array<keyof ProfileText>).filter((k) => now[k] !== opened[k]));
      setTheirs(now);
      setText(merged);
      // the next save is an informed one: on top of what the other writer saved, sending what differs from it
      setOpened(now);
      setVersion(current(result.current).version);
      setError(null);
      return;
    }
    setError(result.error);
  }

  const field = (key: keyof ProfileText, input: ReactNode, hint?: string, wide = false) => (
    <label className={wide ? 'block text-sm font-medium text-stone-800 sm:col-span-2' : 'block text-sm font-medium text-stone-800'}>
      {LABELS[key]}
      {hint ? <span className="ml-1 font-normal text-stone-500">{hint}</span> : null}
      {input}
    </label>
  );
  const line = (key: keyof ProfileText, max: number, hint?: string, wide = false) =>
    field(key, <input className={inputClass} value={text[key]} maxLength={max} onChange={(e) => setText({ ...text, [key]: e.target.value })} data-testid={`profile-${key}`} />, hint, wide);
  const area = (key: keyof ProfileText, rows: number, max: number) =>
    field(key, <textarea className={inputClass} rows={rows} value={text[key]} maxLength={max} onChange={(e) => setText({ ...text, [key]: e.target.value })} data-testid={`profile-${key}`} />, undefined, true);

  return (
    <form onSubmit={submit} aria-label={`Edit ${character.name}`} data-testid="profile-form" className="grid gap-4 sm:grid-cols-2"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone(null);
        if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
      }}>
      {theirs ? (
        <div className="sm:col-span-2">
          <ConflictNotice what="profile" onTakeTheirs={() => { setText(theirs); setTheirs(null); }}>
            {changedByThem.length ? (
              <dl className="space-y-1">
                {changedByThem.map((k) => (
                  <div key={k}><dt className="inline font-medium">{LABELS[k]}: </dt><dd className="inline whitespace-pre-wrap">{k === 'role' ? CHARACTER_ROLE_LABELS[theirs.role] : theirs[k] || '(empty)'}</dd></div>
                ))}
              </dl>
            ) : <p>They saved the same text you had.</p>}
          </ConflictNotice>
        </div>
      ) : null}
      {line('name', 200)}
      {field('role', (
        <select className={inputClass} value={text.role} onChange={(e) => setText({ ...text, role: e.target.value as CharacterRole })} data-testid="profile-role">
          {CHARACTER_ROLES.map((r) => <option key={r} value={r}>{CHARACTER_ROLE_LABELS[r]}</option>)}
        </select>
      ))}
      {line('aliases', 2_000, '(separate with commas)', true)}
      {area('summary', 2, 2_000)}
      {line('traits', 3_000, '(separate with commas)', true)}
      {area('personality', 3, 20_000)}
      {area('goal', 3, 20_000)}
      {area('backstory', 5, 50_000)}
      {area('notes', 4, 50_000)}
      {line('tags', 3_000, '(separate with commas)', true)}
      {error ? <p role="alert" className="text-sm text-red-700 sm:col-span-2">{error}</p> : null}
      <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
        <Button type="submit" size="sm" disabled={busy} data-testid="profile-save">{theirs ? 'Apply mine' : 'Save profile'}</Button>
        <Button size="sm" variant="ghost" onClick={() => onDone(null)}>Cancel</Button>
        <span className="text-xs text-stone-500">Ctrl+Enter saves · Esc cancels</span>
      </div>
    </form>
  );
}
