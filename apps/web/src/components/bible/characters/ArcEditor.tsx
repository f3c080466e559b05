'use client';

import { useState, type FormEvent } from 'react';
import { ARC_TYPES, ARC_TYPE_LABELS, STAGE_KIND_LABELS, type ArcStage, type ArcType, type StageLink } from '@quire/domain/bible/arcs';
import type { ArcDto, ArcTargets } from '@/server/bible/arcs';
import { Button, inputClass } from '@/components/ui';
import { api } from '@/components/structure/api';
import { ConflictNotice } from '../ConflictNotice';
import { linkText } from './linkText';

type LinkType = '' | StageLink['type'];

/** A stage's link from the two pickers: what kind of place, then which one. */
function linkFrom(type: LinkType, id: string, quote: string): StageLink | null {
  if (!type || !id) return null;
  return type === 'document' ? { type, id, quote } : { type, id };
}

function StageFields({ stage, index, count, targets, onChange, onMove, onRemove }: {
  stage: ArcStage;
  index: number;
  count: number;
  targets: ArcTargets;
  onChange: (s: ArcStage) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const type: LinkType = stage.link?.type ?? '';
  const targetId = stage.link?.id ?? '';
  const quote = stage.link?.type === 'document' ? stage.link.quote : '';
  const options = type === 'document'
    ? targets.documents.map((d) => ({ id: d.id, label: `${d.title} (${d.percent}%)` }))
    : type === 'section' ? targets.sections.map((s) => ({ id: s.id, label: `${'\u00a0\u00a0'.repeat(s.depth - 1)}${s.title}` }))
      : type === 'beat' ? targets.beats.map((b) => ({ id: b.id, label: b.name })) : [];
  const movable = stage.kind === 'turn';
  return (
    <li className="grid gap-2 rounded-lg border border-stone-200 bg-stone-50/60 p-3 sm:grid-cols-[9rem_1fr]" data-testid="stage-fields" aria-label={`Stage ${index + 1}`}>
      <p className="text-xs font-semibold uppercase tracking-wide text-stone-500 sm:pt-2">{index + 1}. {STAGE_KIND_LABELS[stage.kind]}</p>
      <div className="space-y-2">
        <input className={inputClass} value={stage.title} maxLength={200} placeholder="In a few words" aria-label="Stage title"
          onChange={(e) => onChange({ ...stage, title: e.target.value })} data-testid="stage-title" />
        <textarea className={inputClass} rows={2} value={stage.description} maxLength={5000} placeholder="What they believe, want or do at this point" aria-label="Stage description"
          onChange={(e) => onChange({ ...stage, description: e.target.value })} data-testid="stage-description" />
        <div className="flex flex-wrap gap-2">
          <select className={`${inputClass} w-auto`} value={type} aria-label="Linked to" data-testid="stage-link-type"
            onChange={(e) => {
              const next = e.target.value as LinkType;
              const first = next === 'document' ? targets.documents[0]?.id : next === 'section' ? targets.sections[0]?.id : next === 'beat' ? targets.beats[0]?.id : '';
              onChange({ ...stage, link: linkFrom(next, first ?? '', '') });
            }}>
            <option value="">Not linked</option>
            <option value="document" disabled={!targets.documents.length}>A place in a chapter</option>
            <option value="section" disabled={!targets.sections.length}>An outline section</option>
            <option value="beat" disabled={!targets.beats.length}>A beat</option>
          </select>
          {type ? (
            <select className={`${inputClass} w-auto min-w-0 flex-1`} value={targetId} aria-label="Which one"
              onChange={(e) => onChange({ ...stage, link: linkFrom(type, e.target.value, quote) })} data-testid="stage-link-target">
              {options.map((o) => <option key={o.id} value={o.id}>{o.label}</option>)}
            </select>
          ) : null}
        </div>
        {type === 'document' ? (
          <input className={inputClass} value={quote} maxLength={200} placeholder="A phrase from the text that marks the moment (optional)" aria-label="Phrase in the text"
            onChange={(e) => onChange({ ...stage, link: linkFrom(type, targetId, e.target.value) })} data-testid="stage-link-quote" />
        ) : null}
        <div className="flex gap-1">
          {movable ? (
            <>
              <Button size="sm" variant="ghost" disabled={index === 0} onClick={() => onMove(-1)} aria-label="Move earlier">↑</Button>
              <Button size="sm" variant="ghost" disabled={index === count - 1} onClick={() => onMove(1)} aria-label="Move later">↓</Button>
            </>
          ) : null}
          <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove stage ${index + 1}`}>Remove</Button>
        </div>
      </div>
    </li>
  );
}

/** Turning points move among themselves; the start stays first and the end last. */
function move(stages: ArcStage[], index: number, by: -1 | 1): ArcStage[] {
  const to = index + by;
  if (to < 0 || to >= stages.length || stages[to]!.kind !== 'turn') return stages;
  const next = [...stages];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return next;
}

function withStage(stages: ArcStage[], kind: ArcStage['kind']): ArcStage[] {
  const stage: ArcStage = { id: crypto.randomUUID(), kind, title: '', description: '', link: null };
  if (kind === 'start') return [stage, ...stages];
  if (kind === 'end') return [...stages, stage];
  const end = stages.findIndex((s) => s.kind === 'end');
  return end < 0 ? [...stages, stage] : [...stages.slice(0, end), stage, ...stages.slice(end)];
}

/** Edits one arc (title, kind, every stage) and saves it as a whole on top of the version it was opened on. */
export function ArcEditor({ projectId, characterId, arc, targets, onDone }: { projectId: string; characterId: string; arc: ArcDto; targets: ArcTargets; onDone: () => void }) {
  const [title, setTitle] = useState(arc.title);
  const [arcType, setArcType] = useState<ArcType>(arc.arcType);
  const [stages, setStages] = useState<ArcStage[]>(arc.stages);
  const [version, setVersion] = useState(arc.version);
  const [theirs, setTheirs] = useState<ArcDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const url = `/api/projects/${projectId}/characters/${characterId}/arcs/${arc.id}`;

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    const result = await api<{ arc: ArcDto }>('PATCH', url, { version, patch: { title, arcType, stages } });
    setBusy(false);
    if (result.ok) return onDone();
    if (result.status === 409 && result.current) {
      const current = result.current as ArcDto;
      setTheirs(current);
      setVersion(current.version);
      setError(null);
      return;
    }
    setError(result.error);
  }

  async function remove() {
    const result = await api('DELETE', url);
    if (result.ok) onDone();
    else setError(result.error);
  }

  const has = (kind: ArcStage['kind']) => stages.some((s) => s.kind === kind);
  return (
    <form onSubmit={submit} className="space-y-3" data-testid="arc-editor" aria-label="Edit arc"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onDone();
        if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit();
      }}>
      {theirs ? (
        <ConflictNotice what="arc" onTakeTheirs={() => { setTitle(theirs.title); setArcType(theirs.arcType); setStages(theirs.stages); setTheirs(null); }}>
          <p className="font-medium">{theirs.title} · {ARC_TYPE_LABELS[theirs.arcType]}</p>
          <ol className="list-decimal pl-5">
            {theirs.stages.map((s) => <li key={s.id}>{STAGE_KIND_LABELS[s.kind]}: {s.title}{s.description ? ` — ${s.description}` : ''}{linkText(s, targets) ? ` (${linkText(s, targets)})` : ''}</li>)}
          </ol>
        </ConflictNotice>
      ) : null}
      <div className="grid gap-2 sm:grid-cols-2">
        <label className="text-sm font-medium text-stone-800">Arc title
          <input className={inputClass} value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} data-testid="arc-title" />
        </label>
        <label className="text-sm font-medium text-stone-800">Kind of arc
          <select className={inputClass} value={arcType} onChange={(e) => setArcType(e.target.value as ArcType)} data-testid="arc-type">
            {ARC_TYPES.map((t) => <option key={t} value={t}>{ARC_TYPE_LABELS[t]}</option>)}
          </select>
        </label>
      </div>
      <ol className="space-y-2">
        {stages.map((s, i) => (
          <StageFields key={s.id} stage={s} index={i} count={stages.length} targets={targets}
            onChange={(next) => setStages(stages.map((x) => (x.id === s.id ? next : x)))}
            onMove={(by) => setStages(move(stages, i, by))}
            onRemove={() => setStages(stages.filter((x) => x.id !== s.id))} />
        ))}
      </ol>
      <div className="flex flex-wrap gap-2">
        {!has('start') ? <Button size="sm" variant="secondary" onClick={() => setStages(withStage(stages, 'start'))}>+ Start state</Button> : null}
        <Button size="sm" variant="secondary" onClick={() => setStages(withStage(stages, 'turn'))} data-testid="add-turn">+ Turning point</Button>
        {!has('end') ? <Button size="sm" variant="secondary" onClick={() => setStages(withStage(stages, 'end'))}>+ End state</Button> : null}
      </div>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <div className="flex flex-wrap items-center gap-2 border-t border-stone-100 pt-3">
        <Button type="submit" size="sm" disabled={busy} data-testid="arc-save">{theirs ? 'Apply mine' : 'Save arc'}</Button>
        <Button size="sm" variant="ghost" onClick={onDone}>Cancel</Button>
        <span className="flex-1" />
        <Button size="sm" variant="ghost" onClick={remove} className="text-red-700">Delete arc</Button>
      </div>
    </form>
  );
}
