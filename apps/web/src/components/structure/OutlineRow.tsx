'use client';

import { memo, useState, type DragEvent, type KeyboardEvent } from 'react';
import Link from 'next/link';
import { SECTION_KIND_LABELS, SECTION_STATUSES, SECTION_STATUS_LABELS, type SectionPatch } from '@quire/domain/structure';
import type { SectionDto } from '@/server/structure/outlines';
import { Button, cx } from '@/components/ui';
import { api } from './api';
import { CardEditor } from './CardEditor';
import { LinkSelect, type LinkChoice } from './LinkSelect';

export type DropWhere = 'before' | 'inside';

export type OutlineRowSection = SectionDto & { depth: number };

/**
 * What a row asks of the outline, one stable object for every row: a refetch then re-renders only the rows whose
 * section changed, not all thousand of them (bench/structure's live update).
 */
export interface RowActions {
  toggle(id: string): void;
  edit(id: string, on: boolean): void;
  focus(id: string): void;
  keyDown(section: OutlineRowSection, event: KeyboardEvent<HTMLLIElement>): void;
  patch(section: SectionDto, patch: SectionPatch): void;
  addChild(id: string): void;
  remove(section: SectionDto): void;
  createDocument(section: SectionDto): void;
  dragStart(section: SectionDto, event: DragEvent): void;
  dragOver(section: SectionDto, event: DragEvent<HTMLElement>): void;
  drop(section: SectionDto, event: DragEvent<HTMLElement>): void;
  dragEnd(): void;
}

export interface RowProps {
  projectId: string;
  section: OutlineRowSection;
  hasChildren: boolean;
  collapsed: boolean;
  canEdit: boolean;
  editing: boolean;
  focused: boolean;
  dropHint: DropWhere | null;
  /** this row is the one being dragged */
  dragged: boolean;
  /** the project's documents a section can link to; the same array as long as their ids and titles are */
  documents: readonly LinkChoice[];
  actions: RowActions;
}

/** A refetch brings every section as a new object; a row re-renders only when one of its fields changed. */
function sameRow(a: RowProps, b: RowProps): boolean {
  for (const key of Object.keys(a) as Array<keyof RowProps>) if (key !== 'section' && a[key] !== b[key]) return false;
  for (const key of Object.keys(a.section) as Array<keyof OutlineRowSection>) if (a.section[key] !== b.section[key]) return false;
  return true;
}

function WordMeter({ words, target }: { words: number | null; target: number | null }) {
  if (words === null && target === null) return null;
  const ratio = words !== null && target ? words / target : null;
  return (
    <span data-testid="word-meter" className={cx('text-xs tabular-nums', ratio !== null && (ratio > 1.5 || ratio < 0.5) ? 'text-amber-700' : 'text-stone-500')}>
      {words !== null ? words.toLocaleString('en-US') : '—'}
      {target ? ` / ${target.toLocaleString('en-US')}` : ''} words
    </span>
  );
}

/**
 * The target word count as the writer types it: their draft stays while the field has focus, whatever the live feed
 * brings in meanwhile (another writer's change to the same section re-renders the row), and is saved on blur or Enter.
 */
function TargetInput({ value, disabled, onCommit }: { value: number | null; disabled: boolean; onCommit: (value: number | null) => void }) {
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    const text = draft.trim();
    setDraft(null);
    const next = text === '' ? null : Number(text);
    if (next !== value && (next === null || (Number.isInteger(next) && next > 0))) onCommit(next);
  };
  return (
    <input
      aria-label="Target words"
      data-testid="section-target"
      type="number"
      min={1}
      placeholder="Target"
      disabled={disabled}
      value={draft ?? value ?? ''}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          commit();
        }
        if (e.key === 'Escape') setDraft(null);
      }}
      className="w-20 rounded border border-stone-200 px-1.5 py-0.5 text-xs disabled:bg-stone-50"
    />
  );
}

export const OutlineRow = memo(function OutlineRow(props: RowProps) {
  const { section: s, canEdit, projectId, actions } = props;
  return (
    <li
      role="treeitem"
      aria-level={s.depth}
      aria-expanded={props.hasChildren ? !props.collapsed : undefined}
      aria-selected={props.focused}
      aria-label={`${SECTION_KIND_LABELS[s.kind]}: ${s.title}`}
      tabIndex={props.focused ? 0 : -1}
      data-testid="outline-section"
      data-section-id={s.id}
      data-section-title={s.title}
      data-depth={s.depth}
      data-version={s.version}
      data-parent-id={s.parentId ?? ''}
      draggable={canEdit && !props.editing}
      onDragStart={(e) => actions.dragStart(s, e)}
      onDragOver={(e) => actions.dragOver(s, e)}
      onDrop={(e) => actions.drop(s, e)}
      onDragEnd={actions.dragEnd}
      onFocus={(e) => e.target === e.currentTarget && actions.focus(s.id)}
      onKeyDown={(e) => actions.keyDown(s, e)}
      style={{ paddingLeft: `${(s.depth - 1) * 1.25 + 0.5}rem` }}
      className={cx(
        'group relative border-b border-stone-100 py-2 pr-2 outline-none focus-visible:bg-amber-50/60',
        props.dropHint === 'before' && 'border-t-2 border-t-accent',
        props.dropHint === 'inside' && 'bg-amber-50 ring-1 ring-inset ring-accent/40',
        props.dragged && 'opacity-50',
      )}
    >
      <div className="flex flex-wrap items-start gap-x-2 gap-y-1">
        <button
          type="button"
          tabIndex={-1}
          aria-label={props.collapsed ? 'Expand' : 'Collapse'}
          onClick={() => actions.toggle(s.id)}
          className={cx('mt-0.5 w-5 text-stone-400', !props.hasChildren && 'invisible')}
        >
          {props.collapsed ? '▸' : '▾'}
        </button>
        <div className="min-w-0 flex-1">
          {props.editing ? (
            <CardEditor<SectionDto>
              initial={{ title: s.title, body: s.summary }}
              version={s.version}
              labels={{ title: 'Title', body: 'Synopsis' }}
              read={(row) => ({ title: row.title, body: row.summary })}
              save={async (text, version) => {
                const result = await api<{ section: SectionDto }>('PATCH', `/api/projects/${projectId}/sections/${s.id}`, { version, patch: { title: text.title, summary: text.body } });
                return result.ok ? { ok: true, data: result.data.section } : result;
              }}
              onDone={() => actions.edit(s.id, false)}
            />
          ) : (
            <div>
              <span className="mr-2 rounded bg-stone-100 px-1.5 py-0.5 text-[11px] uppercase tracking-wide text-stone-600">{SECTION_KIND_LABELS[s.kind]}</span>
              <button
                type="button"
                tabIndex={-1}
                disabled={!canEdit}
                onClick={() => actions.edit(s.id, true)}
                className="text-left font-medium text-ink enabled:hover:underline"
                data-testid="section-title"
              >
                {s.title}
              </button>
              {s.summary ? <p className="mt-0.5 line-clamp-2 text-sm text-stone-600" data-testid="section-summary">{s.summary}</p> : null}
            </div>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <select
            aria-label="Status"
            data-testid="section-status"
            disabled={!canEdit}
            value={s.status}
            onChange={(e) => actions.patch(s, { status: e.target.value as SectionDto['status'] })}
            className="rounded border border-stone-200 bg-white px-1.5 py-0.5 text-xs disabled:bg-stone-50"
          >
            {SECTION_STATUSES.map((status) => (
              <option key={status} value={status}>{SECTION_STATUS_LABELS[status]}</option>
            ))}
          </select>
          <TargetInput value={s.targetWordCount} disabled={!canEdit} onCommit={(value) => actions.patch(s, { targetWordCount: value })} />
          <WordMeter words={s.documentWords} target={s.targetWordCount} />
          {s.documentId ? (
            <Link href={`/projects/${projectId}/documents/${s.documentId}`} className="text-xs text-accent hover:underline" data-testid="section-document">
              {s.documentTitle}
            </Link>
          ) : null}
          {canEdit ? (
            <LinkSelect
              aria-label="Linked document"
              data-testid="section-link"
              value={s.documentId}
              none="No document"
              choices={props.documents}
              extra={<option value="__new">+ New document from this section</option>}
              onChoose={(value) => (value === '__new' ? actions.createDocument(s) : actions.patch(s, { documentId: value || null }))}
              className="max-w-[10rem] rounded border border-stone-200 bg-white px-1.5 py-0.5 text-xs"
            />
          ) : null}
          {canEdit ? (
            <span className="flex gap-1 opacity-70 group-hover:opacity-100">
              <Button size="sm" variant="ghost" onClick={() => actions.addChild(s.id)} aria-label={`Add a section inside ${s.title}`} data-testid="add-child">
                + Inside
              </Button>
              <Button size="sm" variant="ghost" onClick={() => actions.remove(s)} aria-label={`Delete ${s.title}`} data-testid="delete-section">
                Delete
              </Button>
            </span>
          ) : null}
        </div>
      </div>
    </li>
  );
}, sameRow);
