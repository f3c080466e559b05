'use client';

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { useRouter } from 'next/navigation';
import {
  SECTION_KINDS,
  SECTION_KIND_LABELS,
  childrenOf,
  flatten,
  planDrop,
  planMove,
  type Placement,
  type SectionKind,
  type SectionPatch,
  type TreeMove,
} from '@quire/domain/structure';
import type { OutlineBoard, SectionDto } from '@/server/structure/outlines';
import { Alert, Button, EmptyState, buttonClass, inputClass } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from './api';
import { GeneratorNote } from './GeneratorNote';
import { LiveBadge } from './LiveBadge';
import { OutlineRow, type DropWhere, type OutlineRowSection, type RowActions } from './OutlineRow';
import { useBoardState } from './useBoardState';

const LIVE_TABLES = ['outlines', 'outline_sections', 'documents'] as const;
const KEY_MOVES: Record<string, TreeMove> = { ArrowUp: 'up', ArrowDown: 'down', ArrowRight: 'indent', ArrowLeft: 'outdent' };
/** An outline larger than this opens folded below its chapters (see `initialFold`). */
const FOLD_ABOVE = 300;

/**
 * A large outline opens as the book's shape — acts, parts, chapters — with what lies below each chapter folded: a
 * thousand rows took seconds to lay out before the writer saw anything (bench/structure). ←/→ and the arrows unfold
 * one section, "Expand all" the rest.
 */
function initialFold(board: OutlineBoard | null): Set<string> {
  if (!board || board.sections.length <= FOLD_ABOVE) return new Set();
  const parents = new Set(board.sections.map((s) => s.parentId));
  return new Set(flatten(board.sections).filter((row) => row.depth >= 3 && parents.has(row.id)).map((row) => row.id));
}

export function OutlineStudio({ projectId, initial, canEdit }: { projectId: string; initial: OutlineBoard | null; canEdit: boolean }) {
  const router = useRouter();
  const { board, refetch: reload, apply } = useBoardState<OutlineBoard | null>(initial, () =>
    api<OutlineBoard>('GET', `/api/projects/${projectId}/outlines/${initial?.outline.id}`),
  );
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(() => initialFold(initial));
  const [editing, setEditing] = useState<string | null>(null);
  const [focusedId, setFocusedId] = useState<string | null>(initial?.sections[0]?.id ?? null);
  const [dragging, setDragging] = useState<string | null>(null);
  /** the card being dragged, readable by the drag events that follow dragstart before React re-renders */
  const dragged = useRef<string | null>(null);
  const [drop, setDrop] = useState<{ id: string; where: DropWhere } | null>(null);
  const [newTitle, setNewTitle] = useState('');
  const [newKind, setNewKind] = useState<SectionKind>('chapter');
  const [newParent, setNewParent] = useState<string | null>(null);
  const addInput = useRef<HTMLInputElement>(null);
  const treeRef = useRef<HTMLUListElement>(null);
  /** set by a keyboard move: the moved row should keep the keyboard once it is re-rendered in its new place */
  const refocus = useRef(false);
  const outlineId = board?.outline.id;

  const refetch = useCallback(async () => {
    if (!outlineId) return router.refresh();
    await reload();
  }, [outlineId, reload, router]);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);

  const rows = useMemo(() => {
    const all = flatten(board?.sections ?? []);
    const hidden = new Set<string>();
    return all.filter((row) => {
      if (row.parentId && (hidden.has(row.parentId) || collapsed.has(row.parentId))) {
        hidden.add(row.id);
        return false;
      }
      return true;
    });
  }, [board, collapsed]);
  const parents = useMemo(() => new Set((board?.sections ?? []).map((s) => s.parentId)), [board]);

  // after a move or a refetch the focused row is a new element; keep the keyboard where the writer was
  useEffect(() => {
    if (!focusedId || editing) return;
    const el = treeRef.current?.querySelector<HTMLElement>(`[data-section-id="${focusedId}"]`);
    // a moved row's element is re-inserted, which drops focus to the body; give it back
    if (!refocus.current) return;
    const active = document.activeElement;
    const lost = active === document.body || (treeRef.current?.contains(active) && active?.getAttribute('role') === 'treeitem');
    // the move's answer and the live refetch each redraw the tree, so this holds until the writer focuses elsewhere
    if (!lost) refocus.current = false;
    else if (el && active !== el) el.focus();
  }, [rows, focusedId, editing]);

  function titleOf(id: string | null) {
    return board?.sections.find((s) => s.id === id)?.title ?? 'the top level';
  }

  async function move(section: SectionDto, placement: Placement) {
    const result = await api<{ section: SectionDto }>('POST', `/api/projects/${projectId}/sections/${section.id}/move`, { version: section.version, ...placement });
    if (!result.ok) {
      setError(result.status === 409 ? 'Someone else moved or changed that section just now; the outline shows their change. Try again.' : result.error);
      return refetch();
    }
    setError(null);
    // the move is shown (and announced) as soon as the server confirmed it, not after another round trip
    const moved = result.data.section;
    const sections = (board?.sections ?? []).filter((s) => s.id !== moved.id).concat(moved);
    apply((current) => (current ? { ...current, sections: current.sections.filter((s) => s.id !== moved.id).concat(moved) } : current));
    const siblings = childrenOf(sections, placement.parentId);
    const at = siblings.findIndex((s) => s.id === section.id) + 1;
    setAnnouncement(`Moved “${section.title}” ${placement.parentId ? `into “${titleOf(placement.parentId)}”` : 'to the top level'}, position ${at} of ${siblings.length}.`);
    await refetch();
  }

  async function patch(section: SectionDto, change: SectionPatch) {
    const result = await api<{ section: SectionDto }>('PATCH', `/api/projects/${projectId}/sections/${section.id}`, { version: section.version, patch: change });
    if (!result.ok) setError(result.status === 409 ? 'Someone else changed that section just now; their change is shown. Make yours again if you still want it.' : result.error);
    else {
      setError(null);
      const saved = result.data.section;
      apply((current) => (current ? { ...current, sections: current.sections.map((s) => (s.id === saved.id ? saved : s)) } : current));
    }
    await refetch();
  }

  function onKeyDown(section: OutlineRowSection, event: KeyboardEvent<HTMLLIElement>) {
    if (event.target !== event.currentTarget) return;
    const index = rows.findIndex((r) => r.id === section.id);
    if (event.altKey && KEY_MOVES[event.key] && canEdit) {
      event.preventDefault();
      const placement = planMove(board!.sections, section.id, KEY_MOVES[event.key]!);
      if (placement) {
        refocus.current = true;
        void move(section, placement);
      } else setAnnouncement(`“${section.title}” cannot move that way.`);
      return;
    }
    const focus = (id: string | undefined) => {
      if (!id) return;
      event.preventDefault();
      setFocusedId(id);
      treeRef.current?.querySelector<HTMLElement>(`[data-section-id="${id}"]`)?.focus();
    };
    if (event.key === 'ArrowDown') focus(rows[index + 1]?.id);
    else if (event.key === 'ArrowUp') focus(rows[index - 1]?.id);
    else if (event.key === 'ArrowLeft') {
      if (!collapsed.has(section.id) && board!.sections.some((s) => s.parentId === section.id)) setCollapsed(new Set([...collapsed, section.id]));
      else focus(section.parentId ?? undefined);
    } else if (event.key === 'ArrowRight') {
      const next = new Set(collapsed);
      next.delete(section.id);
      setCollapsed(next);
    } else if ((event.key === 'Enter' || event.key === 'F2') && canEdit) {
      event.preventDefault();
      setEditing(section.id);
    } else if (event.key === 'n' && canEdit) {
      event.preventDefault();
      setNewParent(section.id);
      addInput.current?.focus();
    }
  }

  // where a pointer over a row drops: its upper half places the card before it, its lower half nests it inside
  const whereOn = (event: DragEvent<HTMLElement>): DropWhere => {
    const box = event.currentTarget.getBoundingClientRect();
    return event.clientY - box.top < box.height / 2 ? 'before' : 'inside';
  };
  const rowActions: RowActions = {
    toggle: (id) =>
      setCollapsed((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    edit: (id, on) => setEditing(on ? id : null),
    focus: (id) => setFocusedId(id),
    keyDown: onKeyDown,
    patch: (section, change) => void patch(section, change),
    addChild: (id) => (setNewParent(id), addInput.current?.focus()),
    remove: async (section) => {
      if (!window.confirm(`Delete “${section.title}” and everything inside it?`)) return;
      const result = await api('DELETE', `/api/projects/${projectId}/sections/${section.id}`);
      if (!result.ok) setError(result.error);
      await refetch();
    },
    createDocument: async (section) => {
      const result = await api('POST', `/api/projects/${projectId}/sections/${section.id}/document`, { version: section.version });
      if (!result.ok) setError(result.error);
      await refetch();
    },
    dragStart: (section, event) => {
      event.dataTransfer.setData('text/plain', section.id);
      event.dataTransfer.effectAllowed = 'move';
      dragged.current = section.id;
      setDragging(section.id);
    },
    dragOver: (section, event) => {
      const moving = dragged.current;
      if (!moving || moving === section.id) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      const where = whereOn(event);
      if (drop?.id !== section.id || drop.where !== where) setDrop({ id: section.id, where });
    },
    drop: (section, event) => {
      event.preventDefault();
      // read from the drop itself and a ref, never from state a dragover set a moment ago and React has not rendered
      const moving = board?.sections.find((s) => s.id === (dragged.current ?? event.dataTransfer.getData('text/plain')));
      const where = whereOn(event);
      dragged.current = null;
      setDrop(null);
      setDragging(null);
      if (!moving || !board) return;
      const placement = planDrop(board.sections, moving.id, section.id, where);
      if (placement) void move(moving, placement);
      else setAnnouncement(`“${moving.title}” cannot go there.`);
    },
    dragEnd: () => {
      dragged.current = null;
      setDragging(null);
      setDrop(null);
    },
  };
  // the rows get one object for good, whose calls reach this render's functions (and so its state)
  const latestActions = useRef(rowActions);
  useLayoutEffect(() => {
    latestActions.current = rowActions;
  });
  const actions = useMemo<RowActions>(
    () => ({
      toggle: (id) => latestActions.current.toggle(id),
      edit: (id, on) => latestActions.current.edit(id, on),
      focus: (id) => latestActions.current.focus(id),
      keyDown: (section, event) => latestActions.current.keyDown(section, event),
      patch: (section, change) => latestActions.current.patch(section, change),
      addChild: (id) => latestActions.current.addChild(id),
      remove: (section) => latestActions.current.remove(section),
      createDocument: (section) => latestActions.current.createDocument(section),
      dragStart: (section, event) => latestActions.current.dragStart(section, event),
      dragOver: (section, event) => latestActions.current.dragOver(section, event),
      drop: (section, event) => latestActions.current.drop(section, event),
      dragEnd: () => latestActions.current.dragEnd(),
    }),
    [],
  );
  // a refetch brings a new list every time; the rows keep theirs while the documents' ids and titles stay the same
  const choicesKey = JSON.stringify((board?.documents ?? []).map((d) => [d.id, d.title]));
  const linkChoices = useMemo(() => (JSON.parse(choicesKey) as Array<[string, string]>).map(([id, title]) => ({ id, title })), [choicesKey]);

  async function addSection(event: FormEvent) {
    event.preventDefault();
    if (!board || !newTitle.trim()) return;
    const result = await api<{ section: SectionDto }>('POST', `/api/projects/${projectId}/outlines/${board.outline.id}/sections`, {
      parentId: newParent,
      kind: newKind,
      title: newTitle,
    });
    if (!result.ok) return setError(result.error);
    setError(null);
    setNewTitle('');
    setFocusedId(result.data.section.id);
    const added = result.data.section;
    apply((current) => (current && !current.sections.some((s) => s.id === added.id) ? { ...current, sections: [...current.sections, added] } : current));
    setAnnouncement(`Added “${added.title}”${newParent ? ` inside “${titleOf(newParent)}”` : ''}.`);
    await refetch();
  }

  async function createOutline(title: string) {
    const result = await api<{ outline: { id: string } }>('POST', `/api/projects/${projectId}/outlines`, { title });
    if (!result.ok) return setError(result.error);
    router.push(`/projects/${projectId}/outline?outline=${result.data.outline.id}`);
    router.refresh();
  }

  if (!board) {
    return (
      <EmptyState
        title="No outline yet"
        action={canEdit ? <Button onClick={() => createOutline('Outline')} data-testid="create-outline">Create an outline</Button> : null}
      >
        {canEdit
          ? 'Plan the book as acts, chapters and scenes. Link each to its document to watch the words add up against your targets.'
          : 'The owner and editors have not planned this project yet. Their outline will appear here.'}
      </EmptyState>
    );
  }

  return (
    <div className="space-y-4" data-testid="outline-studio" data-outline-id={board.outline.id}>
      <div className="flex flex-wrap items-center gap-3">
        {board.outlines.length > 1 ? (
          <select aria-label="Outline" value={board.outline.id} className="rounded-md border border-stone-300 px-2 py-1 text-sm"
            onChange={(e) => router.push(`/projects/${projectId}/outline?outline=${e.target.value}`)}>
            {board.outlines.map((o) => <option key={o.id} value={o.id}>{o.title}</option>)}
          </select>
        ) : (
          <h2 className="font-serif text-xl text-ink">{board.outline.title}</h2>
        )}
        <LiveBadge connected={connected} />
        <span className="flex-1" />
        <a className={buttonClass('secondary', 'sm')} href={`/api/projects/${projectId}/outlines/${board.outline.id}/export`} download data-testid="export-markdown">
          Export Markdown
        </a>
        {collapsed.size > 0 ? (
          <Button size="sm" variant="ghost" onClick={() => setCollapsed(new Set())} data-testid="expand-all">Expand all ({collapsed.size} folded)</Button>
        ) : null}
        {canEdit ? <Button size="sm" variant="ghost" onClick={() => createOutline(`Outline ${board.outlines.length + 1}`)}>New outline</Button> : null}
      </div>
      {board.outline.generator ? <GeneratorNote generator={board.outline.generator} /> : null}
      {error ? <Alert>{error}</Alert> : null}
      {!canEdit ? <Alert tone="info">You can read this outline. Only the owner and editors can change it.</Alert> : null}
      {canEdit ? (
        <form onSubmit={addSection} className="flex flex-wrap items-end gap-2" data-testid="add-section-form">
          <label className="min-w-[12rem] flex-1 text-xs font-medium text-stone-600">
            {newParent ? `New section inside “${titleOf(newParent)}”` : 'New section at the top level'}
            <input ref={addInput} className={inputClass} value={newTitle} maxLength={200} placeholder="e.g. Act I, Chapter 3, The storm" data-testid="new-section-title"
              onChange={(e) => setNewTitle(e.target.value)} />
          </label>
          <select aria-label="Kind" value={newKind} onChange={(e) => setNewKind(e.target.value as SectionKind)} className="rounded-md border border-stone-300 px-2 py-2 text-sm" data-testid="new-section-kind">
            {SECTION_KINDS.map((k) => <option key={k} value={k}>{SECTION_KIND_LABELS[k]}</option>)}
          </select>
          <Button type="submit" data-testid="add-section">Add</Button>
          {newParent ? <Button variant="ghost" onClick={() => setNewParent(null)}>Top level</Button> : null}
        </form>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title="This outline is empty">
          {canEdit ? 'Add an act or a chapter above. Drag cards to reorder them, or drop one on the lower half of another to nest it.' : 'Nothing is planned here yet.'}
        </EmptyState>
      ) : (
        <ul ref={treeRef} role="tree" aria-label={`Outline: ${board.outline.title}`} className="rounded-xl border border-stone-200 bg-white" data-testid="outline-tree">
          {rows.map((row) => (
            <OutlineRow
              key={row.id}
              projectId={projectId}
              section={row}
              hasChildren={parents.has(row.id)}
              collapsed={collapsed.has(row.id)}
              canEdit={canEdit}
              editing={editing === row.id}
              focused={(focusedId ?? rows[0]?.id) === row.id}
              dropHint={drop?.id === row.id ? drop.where : null}
              dragged={dragging === row.id}
              documents={linkChoices}
              actions={actions}
            />
          ))}
        </ul>
      )}
      <p className="text-xs text-stone-500">
        Keys: ↑/↓ to walk the outline, Enter to edit, Alt+↑/↓ to move, Alt+→ to nest under the section above, Alt+← to move out, n to add inside.
      </p>
      <div aria-live="polite" className="sr-only" data-testid="announcer">{announcement}</div>
    </div>
  );
}
