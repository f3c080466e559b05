'use client';

import { useCallback, useState, type ReactNode } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { relationshipLabel } from '@quire/domain/bible/relationships';
import type { CharacterProfile } from '@/server/bible/profile';
import { Alert, Button, EmptyState, LinkButton } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';
import { useBoardState } from '@/components/structure/useBoardState';
import { ArcSection } from './ArcSection';
import { PortraitControl } from './PortraitControl';
import { ProfileForm } from './ProfileForm';
import { RoleTag } from './portrait';

const LIVE_TABLES = ['characters', 'character_arcs', 'character_relationships', 'document_mention_scans', 'documents', 'outline_sections', 'story_beats'] as const;

function Section({ title, children, testId, action }: { title: string; children: ReactNode; testId?: string; action?: ReactNode }) {
  return (
    <section className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm" data-testid={testId} aria-label={title}>
      <div className="mb-2 flex items-center gap-2">
        <h3 className="font-serif text-lg text-ink">{title}</h3>
        <span className="flex-1" />
        {action}
      </div>
      {children}
    </section>
  );
}

function Prose({ text, empty }: { text: string; empty: string }) {
  return text ? <p className="whitespace-pre-wrap text-sm leading-relaxed text-stone-800">{text}</p> : <p className="text-sm italic text-stone-400">{empty}</p>;
}

/** One character: who they are, their portrait, where the text names them, who they are tied to, and their arc. Live. */
export function CharacterProfileStudio({ projectId, initial }: { projectId: string; initial: CharacterProfile }) {
  const router = useRouter();
  const [gone, setGone] = useState(false);
  const base = `/projects/${projectId}/characters`;
  const load = useCallback(async () => {
    const result = await api<CharacterProfile>('GET', `/api/projects/${projectId}/characters/${initial.character.id}`);
    if (!result.ok && result.status === 404) setGone(true);
    return result;
  }, [projectId, initial.character.id]);
  const { board: profile, refetch, apply } = useBoardState(initial, load);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  const [editing, setEditing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const c = profile.character;

  async function remove() {
    const result = await api('DELETE', `/api/projects/${projectId}/characters/${c.id}`);
    if (result.ok) router.push(base);
    else setError(result.error);
  }

  if (gone) {
    return (
      <EmptyState title={`${c.name} was deleted`} action={<LinkButton href={base}>Back to the cast</LinkButton>}>
        Someone removed this character, with their relationships and arc, while you had the profile open.
      </EmptyState>
    );
  }

  return (
    <div className="space-y-4" data-testid="character-profile">
      <nav className="flex flex-wrap items-center gap-3 text-sm">
        <Link href={base} className="text-stone-600 hover:text-ink">← Characters</Link>
        <LiveBadge connected={connected} />
        <span className="flex-1" />
        <Link href={`${base}/graph`} className="text-accent underline">Relationship graph</Link>
      </nav>

      <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
        <aside className="space-y-4">
          <div className="mx-auto max-w-[14rem] lg:max-w-none">
            <PortraitControl projectId={projectId} character={c} canEdit={profile.canEdit}
              onChanged={(character) => apply((p) => ({ ...p, character }))} />
          </div>
          <div className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm">
            <dl className="space-y-3 text-sm">
              <div>
                <dt className="text-xs uppercase tracking-wide text-stone-500">Also known as</dt>
                <dd className="mt-0.5 text-stone-800" data-testid="profile-aliases-shown">{c.aliases.length ? c.aliases.join(' · ') : <span className="italic text-stone-400">No aliases</span>}</dd>
              </div>
              <div>
                <dt className="text-xs uppercase tracking-wide text-stone-500">Traits</dt>
                <dd className="mt-1 flex flex-wrap gap-1">
                  {c.traits.length ? c.traits.map((t) => <span key={t} className="rounded-md bg-stone-100 px-2 py-0.5 text-xs text-stone-700">{t}</span>) : <span className="italic text-stone-400">None yet</span>}
                </dd>
              </div>
              <div>
                <dt className="text-xs uppercase tracking-wide text-stone-500">Tags</dt>
                <dd className="mt-1 flex flex-wrap gap-1">
                  {c.tags.length ? c.tags.map((t) => <span key={t} className="rounded-full border border-stone-300 px-2 py-0.5 text-xs text-stone-700">#{t}</span>) : <span className="italic text-stone-400">None</span>}
                </dd>
              </div>
            </dl>
          </div>
        </aside>

        <div className="min-w-0 space-y-4">
          <header className="flex flex-wrap items-start gap-3">
            <div className="min-w-0 flex-1">
              <h2 className="break-words font-serif text-3xl text-ink" data-testid="profile-name">{c.name}</h2>
              <div className="mt-1 flex flex-wrap items-center gap-2 text-sm text-stone-600">
                <RoleTag role={c.role} />
                {profile.appearances.total ? <span>named {profile.appearances.total} time{profile.appearances.total === 1 ? '' : 's'} in {profile.appearances.chapters.length} chapter{profile.appearances.chapters.length === 1 ? '' : 's'}</span> : null}
              </div>
            </div>
            {profile.canEdit && !editing ? (
              <div className="flex gap-2">
                <Button size="sm" onClick={() => setEditing(true)} data-testid="edit-profile">Edit profile</Button>
                <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(true)} data-testid="delete-character">Delete</Button>
              </div>
            ) : null}
          </header>

          {confirmDelete ? (
            <Alert tone="warning" title={`Delete ${c.name}?`}>
              Their relationships, arc, timeline links and portrait go with them. The manuscript is not changed.
              <div className="mt-2 flex gap-2">
                <Button size="sm" variant="danger" onClick={remove} data-testid="confirm-delete">Delete {c.name}</Button>
                <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(false)} autoFocus>Keep</Button>
              </div>
            </Alert>
          ) : null}
          {error ? <Alert>{error}</Alert> : null}

          {editing ? (
            <Section title="Edit profile">
              <ProfileForm projectId={projectId} character={c} onDone={(saved) => {
                setEditing(false);
                if (saved) apply((p) => ({ ...p, character: saved }));
                void refetch();
              }} />
            </Section>
          ) : (
            <>
              <Section title="Description" testId="profile-description"><Prose text={c.summary} empty="No description yet." /></Section>
              <div className="grid gap-4 xl:grid-cols-2">
                <Section title="Personality"><Prose text={c.personality} empty="Nothing about their personality yet." /></Section>
                <Section title="Goals" testId="profile-goals"><Prose text={c.goal} empty="What do they want? Not written yet." /></Section>
              </div>
              <Section title="Backstory"><Prose text={c.backstory} empty="No backstory yet." /></Section>
              {c.notes ? <Section title="Notes"><Prose text={c.notes} empty="" /></Section> : null}
            </>
          )}

          <ArcSection projectId={projectId} profile={profile} onSaved={refetch} />

          <div className="grid gap-4 xl:grid-cols-2">
            <Section title="Appearances" testId="profile-appearances"
              action={<Link href={`${base}/mentions`} className="text-xs text-accent underline">All appearances</Link>}>
              {profile.appearances.chapters.length ? (
                <ol className="divide-y divide-stone-100 text-sm">
                  {profile.appearances.chapters.map((ch, i) => (
                    <li key={ch.documentId} className="flex items-center gap-2 py-1.5" data-testid="appearance">
                      <Link href={`/projects/${projectId}/documents/${ch.documentId}`} className="min-w-0 flex-1 truncate text-ink hover:text-accent">{ch.title}</Link>
                      {i === 0 ? <span className="rounded bg-emerald-50 px-1.5 text-xs text-emerald-800">first</span> : null}
                      {i === profile.appearances.chapters.length - 1 && i > 0 ? <span className="rounded bg-stone-100 px-1.5 text-xs text-stone-600">last</span> : null}
                      <span className="tabular-nums text-stone-500">{ch.mentions}×</span>
                    </li>
                  ))}
                </ol>
              ) : (
                <p className="text-sm text-stone-500">
                  {profile.appearances.scannedDocuments
                    ? `The text does not name ${c.name} or their aliases yet.`
                    : 'The manuscript has not been scanned for names yet; appearances show here a few seconds after writing.'}
                </p>
              )}
            </Section>
            <Section title="Relationships" testId="profile-relationships"
              action={<Link href={`${base}/graph`} className="text-xs text-accent underline">Open the graph</Link>}>
              {profile.relationships.length ? (
                <ul className="divide-y divide-stone-100 text-sm">
                  {profile.relationships.map((r) => (
                    <li key={r.id} className="py-1.5" data-testid="profile-relationship">
                      <span className="text-stone-500">{r.mutual ? '↔' : r.outgoing ? '→' : '←'} </span>
                      <span className="font-medium text-stone-700">{relationshipLabel(r)}</span>{' '}
                      <Link href={`${base}/${r.other.id}`} className="text-ink underline decoration-stone-300 hover:text-accent">{r.other.name}</Link>
                      {r.description ? <p className="text-xs text-stone-500">{r.description}</p> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-stone-500">No relationships yet. {profile.canEdit ? <>Add them on the <Link href={`${base}/graph`} className="underline">relationship graph</Link>.</> : null}</p>
              )}
            </Section>
          </div>
        </div>
      </div>
    </div>
  );
}
