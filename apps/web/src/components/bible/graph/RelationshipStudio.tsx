'use client';

import { useCallback, useMemo, useState } from 'react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { RELATIONSHIP_KINDS, RELATIONSHIP_KIND_COLOURS, RELATIONSHIP_KIND_LABELS, type RelationshipKind } from '@quire/domain/bible/relationships';
import type { RelationshipDto, RelationshipGraph } from '@/server/bible/relationships';
import { Alert, Button, EmptyState, cx, inputClass } from '@/components/ui';
import { useProjectLive } from '@/components/live/useProjectLive';
import { api } from '@/components/structure/api';
import { LiveBadge } from '@/components/structure/LiveBadge';
import { formatCount } from '@/components/ui/format';
import { GraphCanvas } from './GraphCanvas';
import { RelationshipTable } from './RelationshipTable';

const LIVE_TABLES = ['characters', 'character_relationships'] as const;

interface Draft {
  id: string | null;
  version: number;
  fromId: string;
  toId: string;
  kind: RelationshipKind;
  label: string;
  description: string;
  mutual: boolean;
  changesAtDocumentId: string;
  changesNote: string;
}

const blank = (fromId = '', toId = ''): Draft => ({
  id: null, version: 0, fromId, toId, kind: 'friend', label: '', description: '', mutual: true, changesAtDocumentId: '', changesNote: '',
});

function draftOf(r: RelationshipDto): Draft {
  return { ...r, label: r.label, changesAtDocumentId: r.changesAtDocumentId ?? '', changesNote: r.changesNote };
}

export function RelationshipStudio({ projectId, initial }: { projectId: string; initial: RelationshipGraph }) {
  const router = useRouter();
  const [graph, setGraph] = useState(initial);
  const [view, setView] = useState<'graph' | 'table'>('graph');
  const [hidden, setHidden] = useState<Set<RelationshipKind>>(new Set());
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState<RelationshipDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refetch = useCallback(async () => {
    const result = await api<RelationshipGraph>('GET', `/api/projects/${projectId}/relationships`);
    if (result.ok) setGraph(result.data);
  }, [projectId]);
  const connected = useProjectLive(projectId, LIVE_TABLES, refetch);

  const shown = useMemo(() => graph.relationships.filter((r) => !hidden.has(r.kind)), [graph, hidden]);
  const counts = useMemo(() => {
    const out = new Map<RelationshipKind, number>();
    for (const r of graph.relationships) out.set(r.kind, (out.get(r.kind) ?? 0) + 1);
    return out;
  }, [graph]);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    if (!draft) return;
    setBusy(true);
    const fields = {
      kind: draft.kind, label: draft.kind === 'other' ? draft.label : '', description: draft.description, mutual: draft.mutual,
      changesAtDocumentId: draft.changesAtDocumentId || null, changesNote: draft.changesNote,
    };
    const result = draft.id
      ? await api<{ relationship: RelationshipDto }>('PATCH', `/api/projects/${projectId}/relationships/${draft.id}`, { version: draft.version, patch: fields })
      : await api<{ relationship: RelationshipDto }>('POST', `/api/projects/${projectId}/relationships`, { fromId: draft.fromId, toId: draft.toId, ...fields });
    setBusy(false);
    if (result.ok) {
      setDraft(null);
      setConflict(null);
      setError(null);
    } else if (result.status === 409 && result.current) {
      // someone else saved first: show theirs, keep what this writer typed, and let them apply it on top
      setConflict(result.current as RelationshipDto);
      setError(result.error);
    } else setError(result.error);
    await refetch();
  }

  async function remove(r: RelationshipDto) {
    const result = await api('DELETE', `/api/projects/${projectId}/relationships/${r.id}`);
    setError(result.ok ? null : result.error);
    await refetch();
  }

  const name = (id: string) => graph.characters.find((c) => c.id === id)?.name ?? '—';
  const toggle = (kind: RelationshipKind) => {
    const next = new Set(hidden);
    if (next.has(kind)) next.delete(kind);
    else next.add(kind);
    setHidden(next);
  };

  return (
    <div className="space-y-4" data-testid="relationship-studio">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-serif text-xl text-ink">Relationships</h2>
        <LiveBadge connected={connected} />
        <span className="text-sm text-stone-500" data-testid="relationship-summary">
          {formatCount(graph.characters.length, 'character')} · {shown.length === graph.relationships.length
            ? formatCount(graph.relationships.length, 'relationship')
            : `${shown.length} of ${formatCount(graph.relationships.length, 'relationship')} shown`}
        </span>
        <span className="flex-1" />
        <Link href={`/projects/${projectId}/characters/mentions`} className="text-sm text-accent underline">Appearances</Link>
        <div role="group" aria-label="View" className="inline-flex overflow-hidden rounded-md border border-stone-300">
          {(['graph', 'table'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)} data-testid={`view-${v}`}
              className={cx('px-3 py-1 text-sm', view === v ? 'bg-ink text-white' : 'bg-white text-stone-700')}>
              {v === 'graph' ? 'Graph' : 'Table'}
            </button>
          ))}
        </div>
        {graph.canEdit && graph.characters.length >= 2 ? (
          <Button size="sm" onClick={() => { setDraft(blank(graph.characters[0]!.id, graph.characters[1]!.id)); setConflict(null); }} data-testid="add-relationship">
            Add relationship
          </Button>
        ) : null}
      </div>

      <fieldset className="flex flex-wrap gap-2" aria-label="Show relationship types">
        <legend className="sr-only">Show relationship types</legend>
        {RELATIONSHIP_KINDS.filter((k) => counts.has(k)).map((kind) => (
          <label key={kind} className="inline-flex cursor-pointer items-center gap-1.5 rounded-full border border-stone-200 bg-white px-2.5 py-1 text-xs">
            <input type="checkbox" checked={!hidden.has(kind)} onChange={() => toggle(kind)} data-testid={`kind-${kind}`} />
            <span aria-hidden className="h-2.5 w-2.5 rounded-full" style={{ background: RELATIONSHIP_KIND_COLOURS[kind] }} />
            {RELATIONSHIP_KIND_LABELS[kind]} ({counts.get(kind)})
          </label>
        ))}
      </fieldset>

      {error ? <Alert>{error}</Alert> : null}

      {draft ? (
        <form onSubmit={save} className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:grid-cols-2" data-testid="relationship-form" aria-label={draft.id ? 'Edit relationship' : 'New relationship'}>
          {conflict ? (
            <div className="sm:col-span-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900" data-testid="relationship-conflict">
              Their version: {RELATIONSHIP_KIND_LABELS[conflict.kind]}{conflict.label ? ` (${conflict.label})` : ''}, {conflict.mutual ? 'mutual' : 'one way'} — “{conflict.description}”.
              {' '}<button type="button" className="underline" onClick={() => { setDraft({ ...draft, version: conflict.version }); setConflict(null); setError(null); }}>Keep mine (apply on top)</button>
              {' · '}<button type="button" className="underline" onClick={() => { setDraft(draftOf(conflict)); setConflict(null); setError(null); }}>Take theirs</button>
            </div>
          ) : null}
          <label className="text-sm">From
            <select className={inputClass} value={draft.fromId} disabled={!!draft.id} onChange={(e) => setDraft({ ...draft, fromId: e.target.value })} data-testid="rel-from">
              {graph.characters.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
          <label className="text-sm">To
            <select className={inputClass} value={draft.toId} disabled={!!draft.id} onChange={(e) => setDraft({ ...draft, toId: e.target.value })} data-testid="rel-to">
              {graph.characters.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
            </select>
          </label>
          <label className="text-sm">Type
            <select className={inputClass} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as RelationshipKind })} data-testid="rel-kind">
              {RELATIONSHIP_KINDS.map((k) => <option key={k} value={k}>{RELATIONSHIP_KIND_LABELS[k]}</option>)}
            </select>
          </label>
          {draft.kind === 'other' ? (
            <label className="text-sm">Custom type
              <input className={inputClass} value={draft.label} maxLength={60} onChange={(e) => setDraft({ ...draft, label: e.target.value })} data-testid="rel-label" />
            </label>
          ) : (
            <label className="flex items-center gap-2 self-end text-sm">
              <input type="checkbox" checked={draft.mutual} onChange={(e) => setDraft({ ...draft, mutual: e.target.checked })} data-testid="rel-mutual" /> Mutual (both ways)
            </label>
          )}
          <label className="text-sm sm:col-span-2">Description
            <textarea className={inputClass} rows={2} value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} data-testid="rel-description" />
          </label>
          <label className="text-sm">Changes at
            <select className={inputClass} value={draft.changesAtDocumentId} onChange={(e) => setDraft({ ...draft, changesAtDocumentId: e.target.value })}>
              <option value="">Nowhere in particular</option>
              {graph.documents.map((d) => <option key={d.id} value={d.id}>{d.title}</option>)}
            </select>
          </label>
          <label className="text-sm">How it changes
            <input className={inputClass} value={draft.changesNote} maxLength={2000} onChange={(e) => setDraft({ ...draft, changesNote: e.target.value })} />
          </label>
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" size="sm" disabled={busy} data-testid="rel-save">{draft.id ? 'Save' : 'Add'}</Button>
            <Button type="button" size="sm" variant="ghost" onClick={() => { setDraft(null); setConflict(null); setError(null); }}>Cancel</Button>
            {draft.id ? <span className="self-center text-xs text-stone-500">{name(draft.fromId)} → {name(draft.toId)}</span> : null}
          </div>
        </form>
      ) : null}

      {graph.characters.length === 0 ? (
        <EmptyState title="No characters yet">Add characters on the Characters tab; their relationships appear here as a graph and a table.</EmptyState>
      ) : graph.relationships.length === 0 && !draft ? (
        <EmptyState title="No relationships yet">
          {graph.canEdit ? 'Add one to start the graph: family, romance, rivalry, alliance, mentor, or a custom type of your own.' : 'No one has added a relationship yet.'}
        </EmptyState>
      ) : view === 'graph' ? (
        <GraphCanvas
          characters={graph.characters}
          relationships={shown}
          onOpen={(id) => router.push(`/projects/${projectId}/characters/${id}`)}
          onSelectLink={(id) => {
            const r = graph.relationships.find((x) => x.id === id);
            if (r && graph.canEdit) setDraft(draftOf(r));
          }}
        />
      ) : null}
      {view === 'table' && graph.relationships.length > 0 ? (
        <RelationshipTable projectId={projectId} characters={graph.characters} relationships={shown} documents={graph.documents} canEdit={graph.canEdit}
          onEdit={(r) => { setDraft(draftOf(r)); setConflict(null); }} onDelete={remove} />
      ) : null}
    </div>
  );
}
