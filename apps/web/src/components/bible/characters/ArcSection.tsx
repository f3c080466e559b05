'use client';

import { useState } from 'react';
import Link from 'next/link';
import { ARC_TYPE_LABELS, STAGE_KIND_LABELS } from '@quire/domain/bible/arcs';
import type { ArcTargets, PlacedArc } from '@/server/bible/arcs';
import type { CharacterProfile } from '@/server/bible/profile';
import { Button, cx } from '@/components/ui';
import { api } from '@/components/structure/api';
import { ArcEditor } from './ArcEditor';
import { linkText } from './linkText';

const STAGE_TONES = { start: 'bg-sky-600', turn: 'bg-amber-500', end: 'bg-emerald-600' } as const;

/** The manuscript as a bar of chapters (width = words) with the arc's placed stages standing where their text is. */
function ManuscriptStrip({ arc, targets, projectId }: { arc: PlacedArc; targets: ArcTargets; projectId: string }) {
  const chapters = targets.documents.filter((d) => d.words > 0);
  if (!targets.totalWords) return <p className="text-sm text-stone-500">The manuscript has no words yet; stages line up here once the text is written.</p>;
  return (
    <div className="pt-7" data-testid="arc-strip">
      <div className="relative">
        <div className="flex h-7 overflow-hidden rounded-md border border-stone-200 bg-stone-50">
          {chapters.map((d, i) => (
            <Link key={d.id} href={`/projects/${projectId}/documents/${d.id}`} title={`${d.title} · ${d.words.toLocaleString('en')} words`}
              style={{ width: `${(d.words / targets.totalWords) * 100}%` }}
              className={cx('truncate border-r border-stone-200 px-1 text-[11px] leading-7 text-stone-600 last:border-r-0 hover:bg-stone-100', i % 2 ? 'bg-white' : 'bg-stone-50')}>
              {d.title}
            </Link>
          ))}
        </div>
        {arc.stages.map((s, i) => {
          const at = arc.placements[i]?.percent;
          if (at === null || at === undefined) return null;
          return (
            <span key={s.id} className="absolute -top-7 flex -translate-x-1/2 flex-col items-center" style={{ left: `${Math.min(99, Math.max(1, at))}%` }}
              title={`${STAGE_KIND_LABELS[s.kind]}: ${s.title} · ${at}%`} data-testid="arc-marker">
              <span className={cx('flex h-5 w-5 items-center justify-center rounded-full text-[10px] font-bold text-white shadow', STAGE_TONES[s.kind], arc.placements[i]?.outOfOrder && 'ring-2 ring-red-500')}>{i + 1}</span>
              <span className={cx('h-9 w-0.5', STAGE_TONES[s.kind])} />
            </span>
          );
        })}
      </div>
      <div className="mt-1 flex justify-between text-[11px] text-stone-400"><span>Opening</span><span>{targets.totalWords.toLocaleString('en')} words</span><span>Ending</span></div>
    </div>
  );
}

function ArcView({ arc, targets, projectId }: { arc: PlacedArc; targets: ArcTargets; projectId: string }) {
  return (
    <div className="space-y-4">
      <ManuscriptStrip arc={arc} targets={targets} projectId={projectId} />
      {arc.stages.length ? (
        <ol className="space-y-2" data-testid="arc-stages">
          {arc.stages.map((s, i) => {
            const place = arc.placements[i]!;
            const where = linkText(s, targets);
            return (
              <li key={s.id} className="flex gap-3" data-testid="arc-stage">
                <span className={cx('mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full text-xs font-bold text-white', STAGE_TONES[s.kind])}>{i + 1}</span>
                <div className="min-w-0 flex-1 text-sm">
                  <p>
                    <span className="text-xs uppercase tracking-wide text-stone-500">{STAGE_KIND_LABELS[s.kind]}</span>{' '}
                    <span className="font-medium text-ink">{s.title}</span>
                  </p>
                  {s.description ? <p className="whitespace-pre-wrap text-stone-700">{s.description}</p> : null}
                  <p className="mt-0.5 text-xs text-stone-500">
                    {where ? <>{where}{place.percent !== null ? ` · ${place.percent}% into the manuscript` : ''}</> : null}
                    {place.unplaced && s.link ? <span className="text-amber-700"> · {place.unplaced}</span> : null}
                    {!s.link ? 'Not linked to the story yet.' : null}
                    {place.outOfOrder ? <span className="font-medium text-red-700" data-testid="arc-out-of-order"> · stands earlier in the text than the stage before it</span> : null}
                  </p>
                </div>
              </li>
            );
          })}
        </ol>
      ) : <p className="text-sm text-stone-500">No stages yet.</p>}
    </div>
  );
}

/** The profile's Arc section: each arc against the manuscript, editable by owners and editors. */
export function ArcSection({ projectId, profile, onSaved }: { projectId: string; profile: CharacterProfile; onSaved: () => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const name = profile.character.name;

  async function start() {
    const stages = [
      { id: crypto.randomUUID(), kind: 'start', title: 'Where they begin', description: '', link: null },
      { id: crypto.randomUUID(), kind: 'end', title: 'Where they end', description: '', link: null },
    ];
    const title = profile.arcs.length ? `${name}’s arc ${profile.arcs.length + 1}` : `${name}’s arc`;
    const result = await api<{ arc: PlacedArc }>('POST', `/api/projects/${projectId}/characters/${profile.character.id}/arcs`, { title, stages });
    if (!result.ok) return setError(result.error);
    setError(null);
    setEditing(result.data.arc.id);
    onSaved();
  }

  return (
    <section className="rounded-xl border border-stone-200 bg-white p-4 shadow-sm" aria-label="Arc" data-testid="profile-arc">
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <h3 className="font-serif text-lg text-ink">Arc</h3>
        <span className="text-xs text-stone-500">start state, turning points and end state, laid against the manuscript</span>
        <span className="flex-1" />
        {profile.canEdit && !profile.arcs.length ? <Button size="sm" onClick={start} data-testid="start-arc">Start an arc</Button> : null}
        {profile.canEdit && profile.arcs.length > 0 && !editing ? <Button size="sm" variant="ghost" onClick={start}>Add another arc</Button> : null}
      </div>
      {error ? <p role="alert" className="mb-2 text-sm text-red-700">{error}</p> : null}
      {!profile.arcs.length ? (
        <p className="text-sm text-stone-500">
          {profile.canEdit
            ? `No arc yet. Write where ${name} starts, the turning points and where they end up, and link each to a chapter, an outline section or a beat to see it against the manuscript.`
            : `No one has written ${name}’s arc yet.`}
        </p>
      ) : profile.arcs.map((arc, i) => (
        <div key={arc.id} className={i ? 'mt-4 space-y-2 border-t border-stone-100 pt-4' : 'space-y-2'} data-testid="arc">
          <div className="flex flex-wrap items-center gap-2">
            <p className="font-medium text-ink">{arc.title || 'Untitled arc'}</p>
            <span className="rounded bg-stone-100 px-1.5 py-0.5 text-xs text-stone-600">{ARC_TYPE_LABELS[arc.arcType]}</span>
            <span className="flex-1" />
            {profile.canEdit && editing !== arc.id ? <Button size="sm" variant="secondary" onClick={() => setEditing(arc.id)} data-testid="edit-arc">Edit arc</Button> : null}
          </div>
          {editing === arc.id ? (
            <ArcEditor projectId={projectId} characterId={profile.character.id} arc={arc} targets={profile.targets}
              onDone={() => { setEditing(null); onSaved(); }} />
          ) : <ArcView arc={arc} targets={profile.targets} projectId={projectId} />}
        </div>
      ))}
    </section>
  );
}
