'use client';

import { useCallback, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import Link from 'next/link';
import { CHARACTER_ROLES, CHARACTER_ROLE_LABELS, type CharacterRole } from '@quire/domain/bible/characters';
import type { CastBoard, CharacterDto } from '@/server/bible/characters';
import { Alert, Button, EmptyState, cx, inputClass } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';
import { useBoardState } from '@/components/structure/useBoardState';
import { NewCharacterForm } from './NewCharacterForm';
import { Portrait, RoleTag } from './portrait';

const LIVE_TABLES = ['characters'] as const;

/** Letters that carry their mark inside them rather than as a combining one, so NFD does not take it off. */
const BASE_LETTERS: Record<string, string> = { ł: 'l', ø: 'o', đ: 'd', ħ: 'h', ı: 'i', ŧ: 't', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th', ð: 'd' };

/** Names and aliases, case- and accent-insensitively: "zoe" finds "Zoë", "lukasz" finds "Łukasz". */
const fold = (s: string) =>
  s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[łøđħıŧßæœþð]/g, (c) => BASE_LETTERS[c] ?? c);

function matches(c: CharacterDto, q: string, role: CharacterRole | '', tag: string): boolean {
  if (role && c.role !== role) return false;
  if (tag && !c.tags.includes(tag)) return false;
  if (!q) return true;
  const needle = fold(q.trim());
  return [c.name, ...c.aliases].some((n) => fold(n).includes(needle));
}

/**
 * The Characters tab: the cast as cards (portrait, name, role, aliases), searched by name or alias and filtered by role
 * and tag, live. Arrow keys move between cards, Enter opens one, “/” jumps to the search.
 */
export function CastStudio({ projectId, initial }: { projectId: string; initial: CastBoard }) {
  const load = useCallback(() => api<CastBoard>('GET', `/api/projects/${projectId}/characters`), [projectId]);
  const { board, refetch } = useBoardState(initial, load);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  const [q, setQ] = useState('');
  const [role, setRole] = useState<CharacterRole | ''>('');
  const [tag, setTag] = useState('');
  const [adding, setAdding] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  const grid = useRef<HTMLUListElement>(null);

  const shown = useMemo(() => board.characters.filter((c) => matches(c, q, role, tag)), [board, q, role, tag]);
  const roles = useMemo(() => CHARACTER_ROLES.filter((r) => board.characters.some((c) => c.role === r)), [board]);
  const filtered = q !== '' || role !== '' || tag !== '';

  function moveFocus(event: KeyboardEvent<HTMLUListElement>) {
    const cards = [...(grid.current?.querySelectorAll<HTMLAnchorElement>('[data-card-link]') ?? [])];
    const at = cards.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    // the number of cards in a row, from where they sit on screen
    const columns = Math.max(1, cards.filter((c) => c.offsetTop === cards[0]!.offsetTop).length);
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns, Home: -at, End: cards.length - 1 - at }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    cards[Math.min(cards.length - 1, Math.max(0, at + step))]!.focus();
  }

  return (
    <div
      className="space-y-4"
      data-testid="cast-studio"
      onKeyDown={(e) => {
        const typing = (e.target as HTMLElement).closest('input, textarea, select');
        if (e.key === '/' && !typing) {
          e.preventDefault();
          search.current?.focus();
        }
      }}
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Characters</h2>
        <LiveBadge connected={connected} />
        <span className="text-sm text-stone-500" data-testid="cast-count">
          {filtered ? `${shown.length} of ${board.characters.length}` : board.characters.length} character{board.characters.length === 1 ? '' : 's'}
        </span>
        <span className="flex-1" />
        <Link href={`/projects/${projectId}/characters/graph`} className="text-sm text-accent underline">Relationships</Link>
        <Link href={`/projects/${projectId}/characters/mentions`} className="text-sm text-accent underline">Appearances</Link>
        {board.canEdit && !adding ? (
          <Button size="sm" onClick={() => setAdding(true)} data-testid="add-character">New character</Button>
        ) : null}
      </div>

      {board.canEdit && adding ? <NewCharacterForm projectId={projectId} onClose={() => setAdding(false)} onAdded={refetch} /> : null}

      {board.characters.length > 0 ? (
        <div className="flex flex-wrap items-end gap-3" role="search">
          <label className="min-w-48 flex-1 text-sm text-stone-700">
            Search names and aliases <span className="hidden text-xs text-stone-400 sm:inline">(press /)</span>
            <input ref={search} type="search" className={inputClass} value={q} onChange={(e) => setQ(e.target.value)} placeholder="Type a name or alias" data-testid="cast-search" />
          </label>
          <label className="text-sm text-stone-700">
            Role
            <select className={inputClass} value={role} onChange={(e) => setRole(e.target.value as CharacterRole | '')} data-testid="cast-role">
              <option value="">Every role</option>
              {roles.map((r) => <option key={r} value={r}>{CHARACTER_ROLE_LABELS[r]}</option>)}
            </select>
          </label>
          {board.tags.length ? (
            <fieldset className="flex flex-wrap items-center gap-1.5" aria-label="Filter by tag">
              <legend className="sr-only">Filter by tag</legend>
              {board.tags.map((t) => (
                <button key={t} type="button" aria-pressed={tag === t} onClick={() => setTag(tag === t ? '' : t)} data-testid="cast-tag"
                  className={cx('rounded-full border px-2.5 py-1 text-xs', tag === t ? 'border-ink bg-ink text-white' : 'border-stone-300 bg-white text-stone-700 hover:border-stone-400')}>
                  #{t}
                </button>
              ))}
            </fieldset>
          ) : null}
        </div>
      ) : null}

      {board.characters.length === 0 ? (
        <EmptyState
          title="No characters yet"
          action={board.canEdit && !adding ? <Button onClick={() => setAdding(true)}>Add your first character</Button> : undefined}
        >
          {board.canEdit
            ? 'Start the cast: give each character a name and a role. Their profile holds aliases, traits, goals, backstory, a portrait and their arc; the text is searched for their names as you write.'
            : 'The owner and editors have not added anyone yet. Characters appear here as soon as they do.'}
        </EmptyState>
      ) : shown.length === 0 ? (
        <Alert tone="info" title="No one matches">
          Nobody in the cast matches {q ? `“${q}”` : 'these filters'}.{' '}
          <button type="button" className="underline" onClick={() => { setQ(''); setRole(''); setTag(''); }}>Clear the search and filters</button>
        </Alert>
      ) : (
        <ul ref={grid} className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-4" onKeyDown={moveFocus} aria-label="Cast" data-testid="cast-grid">
          {shown.map((c) => (
            <li key={c.id} data-testid="character-card">
              <Link href={`/projects/${projectId}/characters/${c.id}`} data-card-link
                className="flex h-full gap-3 rounded-xl border border-stone-200 bg-white p-3 shadow-sm transition hover:border-stone-300 hover:shadow focus:outline-none focus-visible:ring-2 focus-visible:ring-accent">
                <Portrait projectId={projectId} character={c} size="thumb" className="h-16 w-16 shrink-0 rounded-lg text-xl" />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-serif text-lg leading-tight text-ink" data-testid="character-name">{c.name}</span>
                  <span className="mt-1 block"><RoleTag role={c.role} /></span>
                  {c.aliases.length ? <span className="mt-1 block truncate text-xs text-stone-500">also {c.aliases.join(', ')}</span> : null}
                  {c.summary ? <span className="mt-1 line-clamp-2 block text-sm text-stone-600">{c.summary}</span> : null}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
