'use client';

import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import { MAX_ACTS, byRank, type BeatPatch } from '@quire/domain/structure';
import type { BeatBoard, BeatDto } from '@/server/structure/beats';
import { Alert, Button, EmptyState, inputClass } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from './api';
import { BeatCard } from './BeatCard';
import { LiveBadge } from './LiveBadge';
import { useBoardState } from './useBoardState';

const LIVE_TABLES = ['story_beats', 'outline_sections', 'documents'] as const;
const beatOrder = (a: BeatDto, b: BeatDto) => a.act - b.act || byRank(a, b);

export function BeatStudio({ projectId, initial }: { projectId: string; initial: BeatBoard }) {
  const { board, refetch, apply } = useBoardState(initial, () => api<BeatBoard>('GET', `/api/projects/${projectId}/beats`));
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  /** the beat being dragged, readable by the drag events that follow dragstart before React re-renders */
  const dragged = useRef<string | null>(null);
  const [dropAt, setDropAt] = useState<{ act: number; before: string | null } | null>(null);
  const [templateId, setTemplateId] = useState(initial.templates[0]?.id ?? '');
  const [extraActs, setExtraActs] = useState(0);
  const [adding, setAdding] = useState<{ act: number; name: string } | null>(null);
  const [keeping, setKeeping] = useState<string | null>(null);

  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);
  /**
   * A beat moved by keyboard is a new element in another act, and one moved within its act may be re-inserted by a
   * later redraw (the move's answer, then the live refetch), which drops focus. The keyboard follows the beat through
   * every redraw until the writer puts focus somewhere else.
   */
  const keepFocus = useRef<string | null>(null);
  useEffect(() => {
    const id = keepFocus.current;
    if (!id) return;
    const active = document.activeElement as HTMLElement | null;
    if (active && active !== document.body && active.dataset.beatId !== id) return void (keepFocus.current = null);
    document.querySelector<HTMLElement>(`[data-testid=beat-card][data-beat-id="${id}"]`)?.focus();
  }, [board]);
  const acts = Math.min(MAX_ACTS, board.acts + extraActs);
  const column = (act: number) => board.beats.filter((b) => b.act === act);

  async function move(beat: BeatDto, act: number, afterId: string | null) {
    const result = await api<{ beat: BeatDto }>('POST', `/api/projects/${projectId}/beats/${beat.id}/move`, { version: beat.version, act, afterId });
    if (!result.ok) setError(result.status === 409 ? 'Someone else moved or changed that beat just now; the board shows their change.' : result.error);
    else {
      setError(null);
      const moved = result.data.beat;
      apply((current) => ({ ...current, beats: current.beats.map((b) => (b.id === moved.id ? moved : b)).sort(beatOrder) }));
      const list = [...board.beats.filter((b) => b.id !== moved.id && b.act === act), moved].sort(beatOrder);
      setAnnouncement(`Moved “${beat.name}” to act ${act}, position ${list.findIndex((b) => b.id === moved.id) + 1} of ${list.length}.`);
    }
    await refetch();
  }

  async function patch(beat: BeatDto, change: BeatPatch) {
    const result = await api<{ beat: BeatDto }>('PATCH', `/api/projects/${projectId}/beats/${beat.id}`, { version: beat.version, patch: change });
    if (!result.ok) setError(result.status === 409 ? 'Someone else changed that beat just now; their change is shown. Make yours again if you still want it.' : result.error);
    else {
      setError(null);
      const saved = result.data.beat;
      apply((current) => ({ ...current, beats: current.beats.map((b) => (b.id === saved.id ? saved : b)) }));
    }
    await refetch();
  }

  function onKeyDown(beat: BeatDto, event: KeyboardEvent<HTMLElement>) {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' && board.canEdit) return (event.preventDefault(), setEditing(beat.id));
    if (!event.altKey || !board.canEdit) return;
    keepFocus.current = beat.id;
    const list = column(beat.act);
    const at = list.findIndex((b) => b.id === beat.id);
    if (event.key === 'ArrowUp' && at > 0) void move(beat, beat.act, at >= 2 ? list[at - 2]!.id : null);
    else if (event.key === 'ArrowDown' && at < list.length - 1) void move(beat, beat.act, list[at + 1]!.id);
    else if (event.key === 'ArrowLeft' && beat.act > 1) void move(beat, beat.act - 1, column(beat.act - 1).at(-1)?.id ?? null);
    else if (event.key === 'ArrowRight' && beat.act < acts) void move(beat, beat.act + 1, column(beat.act + 1).at(-1)?.id ?? null);
    else return void (keepFocus.current = null);
    event.preventDefault();
  }

  function dropOn(act: number, before: string | null, event: DragEvent) {
    const beat = board.beats.find((b) => b.id === (dragged.current ?? event.dataTransfer.getData('text/plain')));
    dragged.current = null;
    setDragging(null);
    setDropAt(null);
    if (!beat || beat.id === before) return;
    const list = column(act).filter((b) => b.id !== beat.id);
    const at = before ? list.findIndex((b) => b.id === before) : list.length;
    void move(beat, act, at > 0 ? list[at - 1]!.id : null);
  }

  async function applyTemplate() {
    const result = await api<{ added: number }>('POST', `/api/projects/${projectId}/beats/template`, { templateId });
    if (!result.ok) return setError(result.error);
    setAnnouncement(`Added ${result.data.added} beats.`);
    await refetch();
  }

  async function keepAsTemplate(name: string) {
    const result = await api<{ template: { id: string; name: string } }>('POST', `/api/projects/${projectId}/beats/templates`, { name });
    if (!result.ok) return setError(result.error);
    setError(null);
    setKeeping(null);
    setAnnouncement(`Saved this board as your template “${result.data.template.name}”.`);
    await refetch();
  }

  async function addBeat(act: number, name: string) {
    const result = await api('POST', `/api/projects/${projectId}/beats`, { act, name });
    if (!result.ok) return setError(result.error);
    setAdding(null);
    await refetch();
  }

  return (
    <div className="space-y-4" data-testid="beat-studio">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Beat board</h2>
        <LiveBadge connected={connected} />
        <span className="text-sm text-stone-500" data-testid="manuscript-words">{board.totalWords.toLocaleString('en-US')} words in the manuscript</span>
        <span className="flex-1" />
        {board.canEdit ? (
          <>
            <select aria-label="Beat template" value={templateId} onChange={(e) => setTemplateId(e.target.value)} className="max-w-[16rem] rounded-md border border-stone-300 px-2 py-1 text-sm" data-testid="template-select">
              {[true, false].map((mine) => {
                const list = board.templates.filter((t) => t.mine === mine);
                return list.length ? (
                  <optgroup key={String(mine)} label={mine ? 'Your templates' : 'Public structures'}>
                    {list.map((t) => <option key={t.id} value={t.id}>{t.name} ({t.beats.length} beats)</option>)}
                  </optgroup>
                ) : null;
              })}
            </select>
            <Button size="sm" onClick={applyTemplate} data-testid="apply-template">Apply template</Button>
            {acts < MAX_ACTS ? <Button size="sm" variant="ghost" onClick={() => setExtraActs(extraActs + 1)}>Add act</Button> : null}
          </>
        ) : null}
        {board.canSaveTemplate && board.beats.length > 0 && keeping === null ? (
          <Button size="sm" variant="secondary" onClick={() => setKeeping('')} data-testid="keep-template">Save as template</Button>
        ) : null}
      </div>
      {keeping !== null ? (
        <form onSubmit={(e) => (e.preventDefault(), void keepAsTemplate(keeping))} className="flex flex-wrap items-end gap-2 rounded-lg bg-stone-50 p-3" data-testid="keep-template-form">
          <label className="min-w-[14rem] flex-1 text-xs font-medium text-stone-600">
            Keep this board as a private template for your other projects
            <input autoFocus className={inputClass} value={keeping} maxLength={120} placeholder="e.g. My mystery structure" data-testid="template-name"
              onChange={(e) => setKeeping(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setKeeping(null)} />
          </label>
          <Button size="sm" type="submit" data-testid="save-template">Save template</Button>
          <Button size="sm" variant="ghost" onClick={() => setKeeping(null)}>Cancel</Button>
        </form>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      {!board.canEdit ? <Alert tone="info">You can read this board. Only the owner and editors can change it.</Alert> : null}
      {board.beats.length === 0 ? (
        <EmptyState title="No beats yet">
          {board.canEdit
            ? 'Apply a structure such as Save the Cat or the Hero’s Journey above, or add your own beats to any act. Link a beat to a chapter to see where it lands in the manuscript.'
            : 'The owner and editors have not laid out the story’s beats yet.'}
        </EmptyState>
      ) : null}
      <div className="grid gap-4 md:grid-flow-col md:auto-cols-fr" data-testid="beat-columns">
        {Array.from({ length: acts }, (_, i) => i + 1).map((act) => (
          <section
            key={act}
            aria-label={`Act ${act}`}
            data-testid="beat-column"
            data-act={act}
            className="min-h-[6rem] space-y-2 rounded-xl bg-stone-100/70 p-2"
            onDragOver={(e) => {
              if (!dragged.current) return;
              e.preventDefault();
              if (e.target === e.currentTarget) setDropAt({ act, before: null });
            }}
            // a drop on the column itself (not on a card) puts the beat at the end of the act
            onDrop={(e: DragEvent) => (e.preventDefault(), dropOn(act, null, e))}
          >
            <h3 className="px-1 text-sm font-semibold text-stone-700">Act {act}</h3>
            {column(act).map((beat) => (
              <BeatCard
                key={beat.id}
                projectId={projectId}
                beat={beat}
                board={board}
                editing={editing === beat.id}
                onEdit={(on) => setEditing(on ? beat.id : null)}
                onPatch={(change) => patch(beat, change)}
                onDelete={async () => {
                  if (!window.confirm(`Delete the beat “${beat.name}”?`)) return;
                  const result = await api('DELETE', `/api/projects/${projectId}/beats/${beat.id}`);
                  if (!result.ok) setError(result.error);
                  await refetch();
                }}
                onKeyDown={(e) => onKeyDown(beat, e)}
                dropBefore={dropAt?.before === beat.id}
                dragged={dragging === beat.id}
                drag={{
                  start: (e) => {
                    e.dataTransfer.setData('text/plain', beat.id);
                    e.dataTransfer.effectAllowed = 'move';
                    dragged.current = beat.id;
                    setDragging(beat.id);
                  },
                  over: (e) => {
                    if (!dragged.current) return;
                    e.preventDefault();
                    e.stopPropagation();
                    if (dropAt?.before !== beat.id) setDropAt({ act, before: beat.id });
                  },
                  drop: (e) => (e.preventDefault(), e.stopPropagation(), dropOn(act, beat.id, e)),
                  end: () => {
                    dragged.current = null;
                    setDragging(null);
                    setDropAt(null);
                  },
                }}
              />
            ))}
            {board.canEdit ? (
              adding?.act === act ? (
                <form onSubmit={(e) => (e.preventDefault(), void addBeat(act, adding.name))} className="space-y-1">
                  <input autoFocus className={inputClass} value={adding.name} maxLength={200} placeholder="Name the beat" aria-label={`New beat in act ${act}`}
                    onChange={(e) => setAdding({ act, name: e.target.value })} onKeyDown={(e) => e.key === 'Escape' && setAdding(null)} />
                  <Button size="sm" type="submit">Add</Button>
                </form>
              ) : (
                <Button size="sm" variant="ghost" className="w-full" onClick={() => setAdding({ act, name: '' })} data-testid="add-beat">+ Add beat</Button>
              )
            ) : null}
          </section>
        ))}
      </div>
      <p className="text-xs text-stone-500">Keys: Enter to edit a focused beat, Alt+↑/↓ to reorder, Alt+←/→ to move between acts. A beat is “far off” when it lands more than 10 points from its ideal place.</p>
      <div aria-live="polite" className="sr-only" data-testid="announcer">{announcement}</div>
    </div>
  );
}
