'use client';

import type { DragEvent, KeyboardEvent } from 'react';
import { BEAT_STATUSES, type BeatPatch } from '@quire/domain/structure';
import type { BeatBoard, BeatDto } from '@/server/structure/beats';
import { Button, cx } from '@/components/ui';
import { api } from './api';
import { CardEditor } from './CardEditor';
import { LinkSelect } from './LinkSelect';

export function BeatCard({ projectId, beat, board, editing, onEdit, onPatch, onDelete, onKeyDown, drag, dropBefore, dragged }: {
  projectId: string;
  beat: BeatDto;
  board: BeatBoard;
  editing: boolean;
  onEdit: (on: boolean) => void;
  onPatch: (patch: BeatPatch) => void;
  onDelete: () => void;
  onKeyDown: (event: KeyboardEvent<HTMLElement>) => void;
  drag: { start: (e: DragEvent) => void; over: (e: DragEvent) => void; drop: (e: DragEvent) => void; end: () => void };
  dropBefore: boolean;
  dragged: boolean;
}) {
  const canEdit = board.canEdit;
  const p = beat.placement;
  return (
    <article
      tabIndex={0}
      aria-label={`Beat: ${beat.name}`}
      data-testid="beat-card"
      data-beat-id={beat.id}
      data-beat-name={beat.name}
      data-act={beat.act}
      data-version={beat.version}
      draggable={canEdit && !editing}
      onDragStart={drag.start}
      onDragOver={drag.over}
      onDrop={drag.drop}
      onDragEnd={drag.end}
      onKeyDown={onKeyDown}
      className={cx(
        'rounded-lg border bg-white p-3 shadow-sm outline-none focus-visible:ring-2 focus-visible:ring-accent/40',
        p.farOff ? 'border-amber-400' : 'border-stone-200',
        dropBefore && 'border-t-4 border-t-accent',
        dragged && 'opacity-50',
      )}
    >
      {editing ? (
        <CardEditor<BeatDto>
          initial={{ title: beat.name, body: beat.description }}
          version={beat.version}
          labels={{ title: 'Beat', body: 'What happens' }}
          read={(row) => ({ title: row.name, body: row.description })}
          save={async (text, version) => {
            const result = await api<{ beat: BeatDto }>('PATCH', `/api/projects/${projectId}/beats/${beat.id}`, { version, patch: { name: text.title, description: text.body } });
            return result.ok ? { ok: true, data: result.data.beat } : result;
          }}
          onDone={() => onEdit(false)}
        />
      ) : (
        <>
          <button type="button" tabIndex={-1} disabled={!canEdit} onClick={() => onEdit(true)} className="text-left font-medium text-ink enabled:hover:underline" data-testid="beat-name">
            {beat.name}
          </button>
          {beat.description ? <p className="mt-1 line-clamp-3 text-sm text-stone-600">{beat.description}</p> : null}
        </>
      )}
      <p className="mt-2 text-xs tabular-nums text-stone-600" data-testid="beat-position" data-percent={p.percent ?? ''} data-far-off={p.farOff}>
        {p.percent !== null ? `Lands at ${p.percent}%` : 'Not placed yet'}
        {beat.idealPercent !== null ? ` · ideal ${beat.idealPercent}%` : ''}
        {p.farOff ? <> <span className="font-semibold text-amber-700">· far off</span></> : null}
      </p>
      <div className="mt-2 flex flex-wrap gap-1.5">
        <select aria-label="Beat status" disabled={!canEdit} value={beat.status} onChange={(e) => onPatch({ status: e.target.value as BeatDto['status'] })}
          className="rounded border border-stone-200 bg-white px-1 py-0.5 text-xs disabled:bg-stone-50">
          {BEAT_STATUSES.map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
        </select>
        <LinkSelect aria-label="Linked document" data-testid="beat-document" disabled={!canEdit} value={beat.documentId} none="No document" choices={board.documents}
          onChoose={(value) => onPatch({ documentId: value || null })} className="max-w-[9rem] rounded border border-stone-200 bg-white px-1 py-0.5 text-xs disabled:bg-stone-50" />
        <LinkSelect aria-label="Linked outline section" data-testid="beat-section" disabled={!canEdit} value={beat.outlineSectionId} none="No section" choices={board.sections}
          onChoose={(value) => onPatch({ outlineSectionId: value || null })} className="max-w-[9rem] rounded border border-stone-200 bg-white px-1 py-0.5 text-xs disabled:bg-stone-50" />
        {canEdit ? <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${beat.name}`}>Delete</Button> : null}
      </div>
    </article>
  );
}
